// SPDX-License-Identifier: MIT
#include "trend/cli/context.hpp"

#include "trend/cli/render.hpp"
#include "trend/util/time.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace trend::cli {

void Globals::load() {
        config::LoadResult r = config::load_named_or_default(config_path);
        if (r.config) {
            config = std::move(*r.config);
            return;
        }
        if (!r.best_effort)
            throw CommandError(r.errors.empty() ? "cannot read the configuration"
                                                : r.errors.front().str(),
                               k_exit_usage);
        std::fprintf(stderr,
                     "trendctl: warning: %s has errors (see trendd --check-config); "
                     "using the paths it names\n",
                     r.errors.empty() ? "the configuration" : r.errors.front().file.c_str());
        config = std::move(*r.best_effort);
}

std::string as_text(const store::Value& v) {
    return cell_text(v);
}

const store::Value& column(const store::Rows& rows, std::size_t row, std::string_view name) {
    for (std::size_t c = 0; c < rows.columns.size(); ++c)
        if (rows.columns[c] == name)
            return rows.rows.at(row).at(c);
    throw std::logic_error(fmt::format("no column {}", name));
}

/** "24h" -> ISO time 24h ago; "all" -> the epoch. */
std::string since_iso(const std::string& since) {
    if (since == "all")
        return "0000";
    const auto d = parse_duration(since);
    if (!d)
        throw CommandError(fmt::format("--since \"{}\" is not a duration (24h, 7d, all)", since),
                           k_exit_usage);
    return format_iso(SystemClock{}.now() - *d);
}

int print_rows(const Globals& g, const store::Rows& rows, const std::vector<std::string>& columns) {
    if (g.json)
        std::printf("%s\n", rows_json(rows).c_str());
    else if (g.csv)
        write_csv(stdout, rows);
    else if (rows.rows.empty())
        std::printf("(none)\n");
    else
        print_table(stdout, rows, columns);
    return k_exit_ok;
}

} // namespace trend::cli
