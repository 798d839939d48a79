// SPDX-License-Identifier: MIT
#include "trend/cli/trendctl.hpp"

#include "trend/cli/context.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/log/log.hpp"
#include "trend/replay/backtest.hpp"
#include "trend/util/json.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

namespace trend::cli {

namespace {

/** {"ok":false,"error":kind,"message":what}: an error under --json. */
std::string error_json(const CommandError& e) {
    return json::object([&](json::Writer& w) {
        w.Key("ok");
        w.Bool(false);
        w.Key("error");
        json::put(w, error_kind(e));
        w.Key("message");
        json::put(w, e.what());
    });
}

int fail(const Globals& g, const CommandError& e) {
    std::fprintf(stderr, "trendctl: %s\n", e.what());
    if (g.json)
        std::printf("%s\n", error_json(e).c_str());
    return e.code;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) of two ASCII words. */
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                                d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

/** What is wrong with the command word, as chronyc and systemctl say it: none given, or an
 *  unknown one with the nearest known command suggested. nullopt when it is fine (CLI11
 *  reports everything else). */
std::optional<std::string> command_problem(CLI::App& app, int argc, char** argv) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({}))
        names.push_back(sub->get_name());
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help" || arg == "--version")
            return std::nullopt;
        if (arg == "-c" || arg == "--config" || arg == "--db" || arg == "--timeout") {
            ++i; // its value
            continue;
        }
        if (arg.starts_with("-"))
            continue; // --json, --config=FILE, or an option CLI11 will judge
        if (std::find(names.begin(), names.end(), arg) != names.end())
            return std::nullopt;
        std::string best;
        std::size_t best_distance = 3; // at most two edits away, or a unique prefix
        for (const std::string& n : names) {
            const std::size_t dist = n.starts_with(arg) ? 1 : distance(arg, n);
            if (dist < best_distance) {
                best = n;
                best_distance = dist;
            }
        }
        std::string message = fmt::format("unknown command \"{}\"", arg);
        if (!best.empty())
            message += fmt::format("; did you mean \"{}\"?", best);
        else
            message += fmt::format(" (commands: {})", fmt::join(names, ", "));
        return message;
    }
    return fmt::format("a command is required (commands: {}; trendctl --help)",
                       fmt::join(names, ", "));
}

/** Runs the chosen command, turning its errors into a message and an exit code. */
int run_command(Globals& g, const Command& run) {
    try {
        g.load();
        return run();
    } catch (const CommandError& e) {
        return fail(g, e);
    } catch (const replay::BacktestError& e) {
        return fail(
            g, CommandError(fmt::format("backtest: {}", e.what()), k_exit_failed, "bad-input"));
    } catch (const store::DatabaseError& e) {
        return fail(g, CommandError(e.what(), k_exit_failed, "database"));
    } catch (const std::exception& e) { // the rest: say what, exit 1
        return fail(g, CommandError(e.what()));
    }
}

} // namespace

int trendctl_main(int argc, char** argv) {
    log::set_level(log::Level::warning);
    fetch::global_init();
    CLI::App app{"trendctl: status, spikes, drafts and history of trendd", "trendctl"};
    app.require_subcommand(1);
    // The global options may follow the command too (`trendctl extract FILE --json`):
    // subcommands made after this pass the options they do not know to the app.
    app.fallthrough();
    Globals g;
    app.add_option("-c,--config", g.config_path,
                   "configuration file (default /etc/trendd/trendd.toml)");
    app.add_option("--db", g.db_path, "database file (default: the configuration's)");
    auto* json = app.add_flag("--json", g.json, "print JSON (shapes in docs/cli.md)");
    app.add_flag("--csv", g.csv, "table commands print CSV with every column (for spreadsheets)")
        ->excludes(json);
    app.add_option("--timeout", g.timeout_s,
                   "seconds to wait for the daemon (default 5; poll waits at least 120)");
    app.set_version_flag("--version", "trendctl " TRENDD_VERSION);

    Command run;
    add_database_commands(app, g, run);
    add_daemon_commands(app, g, run);
    add_history_commands(app, g, run);
    add_page_commands(app, g, run);
    add_parse_command(app, g, run);
    if (auto problem = command_problem(app, argc, argv)) {
        std::fprintf(stderr, "trendctl: %s\n", problem->c_str());
        // Not parsed yet: --json is looked for by hand.
        if (std::any_of(argv + 1, argv + argc,
                        [](const char* a) { return a == std::string_view("--json"); }))
            std::printf("%s\n", error_json(CommandError(*problem, k_exit_usage)).c_str());
        return k_exit_usage;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? k_exit_ok : k_exit_usage;
    }
    return run_command(g, run);
}

} // namespace trend::cli
