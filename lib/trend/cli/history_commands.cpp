// SPDX-License-Identifier: MIT
#include "trend/cli/context.hpp"
#include "trend/cli/render.hpp"
#include "trend/replay/backtest.hpp"
#include "trend/util/json.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <map>

#include <stdlib.h>

namespace trend::cli {

namespace {

struct BacktestArgs {
    std::string snapshots, observations, db, drafts;
};

int cmd_backtest(Globals& g, const BacktestArgs& a) {
    if (g.config.rules.empty())
        throw CommandError("the configuration has no [[rule]] to backtest", k_exit_usage);
    replay::BacktestOptions o;
    o.snapshots = a.snapshots;
    o.observations = a.observations;
    o.drafts_dir = a.drafts;
    fs::path temp_dir;
    if (a.db.empty()) {
        std::string tmpl = (fs::temp_directory_path() / "trendctl-backtest-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr)
            throw CommandError("cannot create a temporary directory");
        temp_dir = tmpl;
        o.database = temp_dir / "backtest.db";
    } else {
        o.database = a.db;
        if (fs::exists(o.database) && fs::equivalent(o.database, g.config.daemon.database))
            throw CommandError("--db must not be the live database", k_exit_usage);
        if (fs::exists(o.database))
            throw CommandError(
                fmt::format("--db {} exists: a backtest replays into a new file", a.db),
                k_exit_usage);
    }
    struct Cleanup {
        fs::path dir;
        ~Cleanup() {
            std::error_code ec;
            if (!dir.empty())
                fs::remove_all(dir, ec);
        }
    } cleanup{temp_dir};

    const replay::BacktestResult r = replay::run_backtest(g.config, o);
    std::map<std::string, int> per_rule;
    for (std::size_t i = 0; i < r.spikes.rows.size(); ++i)
        ++per_rule[as_text(column(r.spikes, i, "rule"))];
    if (g.json) {
        std::printf("%s\n", json::object([&](json::Writer& w) {
                                w.Key("snapshots");
                                w.Int(r.snapshots);
                                w.Key("observations");
                                w.Int64(r.observations);
                                w.Key("seconds");
                                w.Double(std::round(r.seconds * 1000) / 1000);
                                w.Key("drafts_written");
                                w.Int(r.drafts_written);
                                w.Key("drafts_failed");
                                w.Int(r.drafts_failed);
                                w.Key("spikes_per_rule");
                                w.StartObject();
                                for (const auto& [rule, n] : per_rule) {
                                    json::put_key(w, rule);
                                    w.Int(n);
                                }
                                w.EndObject();
                                w.Key("spikes");
                                write_rows(w, r.spikes);
                            }).c_str());
        return k_exit_ok;
    }
    if (g.csv)
        return print_rows(g, r.spikes, {});
    if (!r.spikes.rows.empty())
        print_table(
            stdout, r.spikes,
            {"detected_at", "rule", "term", "geo", "traffic_label", "reason", "draft_slug"});
    std::printf("\nreplayed %d snapshots (%lld observations) in %.2f s: %zu spikes", r.snapshots,
                r.observations, r.seconds, r.spikes.rows.size());
    for (const auto& [rule, n] : per_rule)
        std::printf(", %s %d", rule.c_str(), n);
    std::printf("\n");
    if (!a.drafts.empty())
        std::printf("drafts: %d written to %s, %d failed\n", r.drafts_written, a.drafts.c_str(),
                    r.drafts_failed);
    if (!a.db.empty())
        std::printf("database kept: %s\n", a.db.c_str());
    return k_exit_ok;
}

int cmd_export(Globals& g, const std::string& out_path) {
    SQLite::Database db = g.open_ro();
    const store::Rows rows = store::export_observations(db);
    const bool gz = out_path.size() > 3 && out_path.ends_with(".gz");
    gzFile out = gzopen(out_path.c_str(), gz ? "wb9" : "wbT");
    if (out == nullptr)
        throw CommandError(fmt::format("cannot write {}", out_path));
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        store::Rows one{rows.columns, {rows.rows[i]}};
        const std::string line = row_json(one) + "\n";
        gzwrite(out, line.data(), static_cast<unsigned>(line.size()));
    }
    if (gzclose(out) != Z_OK)
        throw CommandError(fmt::format("cannot finish writing {}", out_path));
    if (!g.json)
        std::printf("%zu observations written to %s\n", rows.rows.size(), out_path.c_str());
    return k_exit_ok;
}

/** The arguments of the history commands; CLI11 writes into them while parsing. */
struct HistoryArgs {
    BacktestArgs backtest;
    std::string out;
};

} // namespace

/** Commands that replay or export recorded history. */
void add_history_commands(CLI::App& app, Globals& g, Command& run) {
    auto a = std::make_shared<HistoryArgs>();
    auto* backtest = app.add_subcommand("backtest", "replay recorded history through the rules");
    BacktestArgs& bt = a->backtest;
    backtest->add_option("--snapshots", bt.snapshots, "directory of saved feed documents");
    backtest->add_option("--observations", bt.observations, "JSON Lines of observations (.gz ok)");
    backtest->add_option("--db", bt.db, "keep the replay database in this file");
    backtest->add_option("--drafts", bt.drafts, "also draft the spikes into this directory");
    backtest->callback([&g, &run, a] { run = [&g, a] { return cmd_backtest(g, a->backtest); }; });
    auto* exp = app.add_subcommand("export", "write observations as JSON Lines");
    exp->add_option("--observations", a->out, "output file (.gz compresses)")->required();
    exp->callback([&g, &run, a] { run = [&g, a] { return cmd_export(g, a->out); }; });
}

} // namespace trend::cli
