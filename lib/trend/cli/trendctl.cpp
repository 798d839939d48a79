// SPDX-License-Identifier: MIT
#include "trend/cli/trendctl.hpp"

#include "trend/cli/render.hpp"
#include "trend/config/config.hpp"
#include "trend/control/client.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/log/log.hpp"
#include "trend/pipeline/pipeline.hpp"
#include "trend/replay/backtest.hpp"
#include "trend/store/database.hpp"
#include "trend/store/queries.hpp"
#include "trend/util/fs.hpp"
#include "trend/util/json.hpp"
#include "trend/util/text.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <zlib.h>

namespace trend::cli {

namespace fs = std::filesystem;

namespace {

/** A command failed for a reason the user can act on: printed as "trendctl: <what>" on
 *  stderr, and under --json also as {"ok":false,"error":kind,"message":what} on stdout. */
struct CommandError : std::runtime_error {
    int code;
    std::string kind; ///< a stable kebab-case code ("" = from the exit code)
    CommandError(const std::string& what, int c = k_exit_failed, std::string k = {})
        : std::runtime_error(what), code(c), kind(std::move(k)) {}
};

/** The error code of a CommandError under --json. */
std::string error_kind(const CommandError& e) {
    if (!e.kind.empty())
        return e.kind;
    switch (e.code) {
    case k_exit_usage:
        return "usage";
    case k_exit_not_running:
        return "not-running";
    default:
        return "failed";
    }
}

struct Globals {
    std::string config_path;
    std::string db_path;
    bool json = false;
    double timeout_s = 5;
    config::Config config;

    /** One request to the daemon; throws control::Unreachable or control::NoAnswer. */
    control::Reply ask(std::string_view cmd, std::string_view feed = {}, double timeout = 0) const {
        const auto ms = static_cast<long long>((timeout > 0 ? timeout : timeout_s) * 1000);
        return control::call(config.daemon.control_socket, cmd, feed,
                             std::chrono::milliseconds(ms));
    }

    fs::path database() const {
        return db_path.empty() ? config.daemon.database : fs::path(db_path);
    }

    SQLite::Database open_ro() const {
        return store::open_database(database(), store::Access::read_only);
    }

    /** The configuration named by --config (which must exist), else the default file, else
     *  the built-in defaults. A file with errors still tells where the database and the
     *  daemon are (say, just edited, before `trendctl reload`): its paths are used, with a
     *  warning. */
    void load() {
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
};

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

std::string json_string(const rapidjson::Value& o, const char* key) {
    const auto it = o.FindMember(key);
    if (it == o.MemberEnd() || it->value.IsNull())
        return "-";
    if (it->value.IsString())
        return it->value.GetString();
    if (it->value.IsInt64())
        return std::to_string(it->value.GetInt64());
    return "?";
}

/** The daemon's own view, from the socket's status reply. */
void print_daemon(const rapidjson::Document& d) {
    std::printf("trendd %s: pid %s, up %s, %s\n", json_string(d, "version").c_str(),
                json_string(d, "pid").c_str(),
                format_duration(Seconds{d["uptime_s"].GetInt64()}).c_str(),
                d["healthy"].GetBool() ? "healthy" : "DEGRADED");
    for (const auto& r : d["degraded_reasons"].GetArray())
        std::printf("  - %s\n", r.GetString());
    store::Rows feeds{{"feed", "state", "last_poll_at", "last_outcome", "failures_in_row",
                       "backoff_s", "next_poll_at"},
                      {}};
    for (const auto& f : d["feeds"].GetArray()) {
        std::vector<store::Value> row;
        for (const auto& c : feeds.columns)
            row.emplace_back(json_string(f, c == "feed" ? "name" : c.c_str()));
        feeds.rows.push_back(std::move(row));
    }
    std::printf("\n");
    print_table(stdout, feeds);
    std::printf("\n");
}

/** The database's side of `trendctl status`. */
struct DatabaseView {
    store::Totals totals;
    store::Rows feeds;
    store::Rows newest;
    std::int64_t bytes = 0;
    int schema = 0;
};

void write_totals(json::Writer& w, const store::Totals& t) {
    w.StartObject();
    const std::pair<const char*, std::int64_t> counts[] = {
        {"feeds", t.feeds},
        {"polls", t.polls},
        {"observations", t.observations},
        {"terms", t.terms},
        {"articles", t.articles},
        {"spikes", t.spikes},
        {"open_spikes", t.open_spikes},
        {"spikes_24h", t.spikes_24h},
        {"drafts_written", t.drafts_written},
        {"drafts_pending", t.drafts_pending},
        {"drafts_failed", t.drafts_failed},
        {"drafts_failed_24h", t.drafts_failed_24h},
        {"drafts_retrying", t.drafts_retrying},
        {"notifications_pending", t.notifications_pending},
        {"notifications_failed", t.notifications_failed},
    };
    for (const auto& [key, n] : counts) {
        w.Key(key);
        w.Int64(n);
    }
    const auto time = [&](const char* key, const std::optional<Timestamp>& at) {
        w.Key(key);
        if (at)
            json::put(w, format_iso(*at));
        else
            w.Null();
    };
    time("last_spike_at", t.last_spike_at);
    w.Key("last_spike_term");
    if (t.last_spike_term.empty())
        w.Null();
    else
        json::put(w, t.last_spike_term);
    time("last_observation_at", t.last_observation_at);
    w.EndObject();
}

std::string time_text(const std::optional<Timestamp>& t) {
    return t ? format_iso(*t) : "-";
}

int cmd_status(Globals& g) {
    const fs::path socket = g.config.daemon.control_socket;
    std::optional<control::Reply> live;
    std::string unreachable; ///< why the daemon is not running
    std::string no_answer;   ///< why a running daemon gave no status
    try {
        live = g.ask("status");
        if (!live->ok)
            no_answer = fmt::format("{}: {}", live->error, live->message);
    } catch (const control::Unreachable& e) {
        unreachable = e.what();
    } catch (const std::exception& e) { // NoAnswer, or a reply that is not one
        no_answer = e.what();
    }
    rapidjson::Document daemon_status;
    if (live && live->ok)
        daemon_status.Parse(live->data_json.c_str());
    const bool answered = live && live->ok && daemon_status.IsObject() &&
                          daemon_status.HasMember("healthy") && daemon_status["healthy"].IsBool();
    if (live && live->ok && !answered)
        no_answer = "the status reply is not what this trendctl understands";
    const bool running = answered || !no_answer.empty();
    const bool healthy = answered && daemon_status["healthy"].GetBool();
    // A daemon that runs but does not answer is not "not running" (a false alarm for
    // monitoring): it is busy, and that is a problem, exit 1.
    const std::string health = !running      ? "not_running"
                               : !answered ? "busy"
                               : healthy   ? "ok"
                                           : "degraded";
    const int code = !running ? k_exit_not_running : healthy ? k_exit_ok : k_exit_failed;

    std::optional<DatabaseView> view;
    std::string db_error;
    try {
        SQLite::Database db = g.open_ro();
        view.emplace();
        view->totals = store::totals(db);
        view->feeds = store::feed_health(db);
        view->newest = store::newest_observations(db, 5);
        view->bytes = util::database_size(g.database());
        view->schema = db.execAndGet("PRAGMA user_version").getInt();
    } catch (const std::exception& e) {
        // Still say what the daemon says; the exit code stays the daemon's.
        view.reset();
        db_error = e.what();
    }

    if (g.json) {
        std::printf("%s\n", json::object([&](json::Writer& w) {
                                w.Key("health");
                                json::put(w, health);
                                w.Key("daemon");
                                w.StartObject();
                                w.Key("running");
                                w.Bool(running);
                                w.Key("socket");
                                json::put(w, socket.string());
                                if (!no_answer.empty()) {
                                    w.Key("error");
                                    json::put(w, no_answer);
                                }
                                w.Key("status");
                                if (answered)
                                    w.RawValue(live->data_json.data(), live->data_json.size(),
                                               rapidjson::kObjectType);
                                else
                                    w.Null();
                                w.EndObject();
                                w.Key("database");
                                w.StartObject();
                                if (!view) {
                                    w.Key("error");
                                    json::put(w, db_error);
                                    w.EndObject();
                                    return;
                                }
                                w.Key("path");
                                json::put(w, g.database().string());
                                w.Key("bytes");
                                w.Int64(view->bytes);
                                w.Key("schema_version");
                                w.Int(view->schema);
                                w.EndObject();
                                w.Key("totals");
                                write_totals(w, view->totals);
                                w.Key("feeds");
                                write_rows(w, view->feeds);
                                w.Key("newest_observations");
                                write_rows(w, view->newest);
                            }).c_str());
        return code;
    }
    if (answered)
        print_daemon(daemon_status);
    else if (running)
        std::printf("trendd: running but not answering (%s)\n\n", no_answer.c_str());
    else
        std::printf("trendd: not running (%s)\n", unreachable.c_str());
    if (!view) {
        std::printf("database: cannot open: %s\n", db_error.c_str());
        return code;
    }
    const store::Totals& t = view->totals;
    std::printf("database: %s (%.1f MiB with its write-ahead log, schema %d)\n",
                g.database().c_str(), static_cast<double>(view->bytes) / (1024.0 * 1024.0),
                view->schema);
    std::printf("observations: %lld of %lld terms, %lld articles; newest %s\n",
                static_cast<long long>(t.observations), static_cast<long long>(t.terms),
                static_cast<long long>(t.articles), time_text(t.last_observation_at).c_str());
    std::printf("spikes: %lld (%lld open, %lld in the last 24h); last: %s at %s\n",
                static_cast<long long>(t.spikes), static_cast<long long>(t.open_spikes),
                static_cast<long long>(t.spikes_24h),
                t.last_spike_term.empty() ? "-" : t.last_spike_term.c_str(),
                time_text(t.last_spike_at).c_str());
    std::printf("drafts: %lld written, %lld pending, %lld failed\n",
                static_cast<long long>(t.drafts_written), static_cast<long long>(t.drafts_pending),
                static_cast<long long>(t.drafts_failed));
    std::printf("webhook notifications: %lld pending, %lld failed\n\n",
                static_cast<long long>(t.notifications_pending),
                static_cast<long long>(t.notifications_failed));
    print_table(stdout, view->feeds,
                {"feed", "geo", "last_poll_at", "last_outcome", "last_items", "failures_in_row",
                 "last_error"});
    if (!view->newest.rows.empty()) {
        std::printf("\nnewest observations:\n");
        print_table(stdout, view->newest, {"observed_at", "feed", "term", "traffic_label"});
    }
    return code;
}

/** poll, reload, metrics: commands the running daemon carries out. */
int cmd_live(Globals& g, const std::string& cmd, const std::string& feed) {
    control::Reply r;
    try {
        r = g.ask(cmd, feed, cmd == "poll" ? std::max(g.timeout_s, 120.0) : 0);
    } catch (const control::Unreachable& e) {
        throw CommandError(fmt::format("trendd is not running ({})", e.what()), k_exit_not_running);
    } catch (const control::NoAnswer& e) {
        throw CommandError(fmt::format("trendd runs but did not answer ({})", e.what()),
                           k_exit_failed, "busy");
    }
    if (!r.ok)
        throw CommandError(fmt::format("{}: {}", r.error, r.message), k_exit_failed, r.error);
    rapidjson::Document d;
    d.Parse(r.data_json.c_str());
    if (g.json && cmd != "metrics") {
        std::printf("%s\n", r.data_json.c_str());
    } else if (cmd == "metrics") {
        std::fputs(d["text"].GetString(), stdout);
    } else if (cmd == "reload") {
        std::printf("reloaded: %s feeds, %s rules\n", json_string(d, "feeds").c_str(),
                    json_string(d, "rules").c_str());
    }
    if (cmd != "poll")
        return k_exit_ok;
    bool all_ok = true;
    for (const auto& m : d["polled"].GetObject()) {
        const std::string outcome = m.value.GetString();
        const auto o = fetch::outcome_from_string(outcome);
        all_ok = all_ok && o && fetch::is_success(*o);
        if (!g.json)
            std::printf("%s: %s\n", m.name.GetString(), outcome.c_str());
    }
    return all_ok ? k_exit_ok : k_exit_failed;
}

int print_rows(const Globals& g, const store::Rows& rows, const std::vector<std::string>& columns) {
    if (g.json)
        std::printf("%s\n", rows_json(rows).c_str());
    else if (rows.rows.empty())
        std::printf("(none)\n");
    else
        print_table(stdout, rows, columns);
    return k_exit_ok;
}

int cmd_show(Globals& g, const std::string& what) {
    SQLite::Database db = g.open_ro();
    const store::Rows rows = store::draft_document(db, what);
    if (rows.rows.empty())
        throw CommandError(fmt::format("no draft with id or slug \"{}\"", what));
    if (g.json)
        std::printf("%s\n", row_json(rows).c_str());
    else if (std::holds_alternative<std::nullptr_t>(column(rows, 0, "markdown")))
        throw CommandError(fmt::format("draft {} is {} and has no text yet", what,
                                       as_text(column(rows, 0, "status"))));
    else
        std::fputs(std::get<std::string>(column(rows, 0, "markdown")).c_str(), stdout);
    return k_exit_ok;
}

int cmd_history(Globals& g, const std::string& term, const std::string& geo) {
    SQLite::Database db = g.open_ro();
    const std::string norm = text::normalize_term(text::repair_utf8(term));
    const store::Rows rows = store::history(db, norm, geo);
    if (g.json)
        return print_rows(g, rows, {});
    if (rows.rows.empty())
        throw CommandError(
            fmt::format("no observations of \"{}\"{}", term, geo.empty() ? "" : " in " + geo));
    std::vector<std::optional<std::int64_t>> values;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        const auto& v = column(rows, i, "traffic");
        values.push_back(std::holds_alternative<std::int64_t>(v)
                             ? std::optional<std::int64_t>(std::get<std::int64_t>(v))
                             : std::nullopt);
    }
    std::printf("%s: %s  %s -> %s over %zu observations\n\n", term.c_str(),
                sparkline(values).c_str(), as_text(column(rows, 0, "traffic_label")).c_str(),
                as_text(column(rows, rows.rows.size() - 1, "traffic_label")).c_str(),
                rows.rows.size());
    print_table(stdout, rows, {"observed_at", "feed", "geo", "traffic_label", "rank"});
    return k_exit_ok;
}

/** How long `trendctl draft` waits for a retry (an LLM's Retry-After); a later one is left to
 *  the daemon. */
constexpr Seconds k_draft_retry_horizon{120};

int cmd_draft(Globals& g, const std::string& term) {
    config::Config cfg = g.config;
    cfg.daemon.database = g.database();
    SystemClock clock;
    boost::asio::io_context io;
    // A guest of the daemon's queues: it runs only the job it asks for.
    pipeline::Pipeline p(io, std::move(cfg), clock, {.owner = false});
    const std::string norm = text::normalize_term(text::repair_utf8(term));
    const auto id = p.store().request_draft(norm, clock.now());
    if (!id)
        throw CommandError(
            fmt::format("no observation of \"{}\" in {}", term, g.database().string()));
    p.drain(k_draft_retry_horizon, [&io] { io.stop(); }, *id);
    io.run();
    SQLite::Database db = g.open_ro();
    const store::Rows rows = store::draft_document(db, std::to_string(*id));
    const std::string status = as_text(column(rows, 0, "status"));
    if (g.json)
        std::printf("%s\n", row_json(rows).c_str());
    else
        std::printf("draft %lld: %s %s\n", static_cast<long long>(*id), status.c_str(),
                    as_text(column(rows, 0, "path")).c_str());
    return status == "draft" || status == "needs_review" ? k_exit_ok : k_exit_failed;
}

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

/** Every command's arguments: CLI11 writes into them while parsing. */
struct Args {
    std::string since = "24h";
    std::string term;
    std::string status;
    std::string geo;
    std::string draft;
    std::string feed;
    std::string out;
    BacktestArgs backtest;
};

/** The command chosen on the command line; set by the subcommand's callback. */
using Command = std::function<int()>;

/** Commands that read the database (they work whether the daemon runs or not). */
void add_database_commands(CLI::App& app, Globals& g, Args& a, Command& run) {
    app.add_subcommand("status", "daemon, feeds, spikes and drafts at a glance (exit 0 ok, 1 "
                                 "degraded, 3 not running)")
        ->callback([&] { run = [&] { return cmd_status(g); }; });
    app.add_subcommand("feeds", "the feeds and their health")->callback([&] {
        run = [&] {
            auto db = g.open_ro();
            return print_rows(g, store::feed_health(db),
                              {"feed", "type", "geo", "enabled", "last_poll_at", "last_outcome",
                               "last_items", "failures_in_row", "polls_24h", "failures_24h"});
        };
    });
    auto* spikes = app.add_subcommand("spikes", "spikes detected, newest first");
    spikes->add_option("--since", a.since, "how far back: 24h, 7d, all (default 24h)");
    spikes->add_option("--term", a.term, "only this term");
    spikes->callback([&] {
        run = [&] {
            auto db = g.open_ro();
            const std::string term = a.term.empty() ? "" : text::normalize_term(a.term);
            return print_rows(g, store::spikes(db, since_iso(a.since), term),
                              {"id", "detected_at", "rule", "term", "geo", "traffic_label",
                               "status", "draft_status", "draft_slug"});
        };
    });
    auto* drafts = app.add_subcommand("drafts", "drafts and their status, newest first");
    drafts->add_option("--status", a.status, "queued, drafting, draft, needs_review or failed");
    drafts->callback([&] {
        run = [&] {
            auto db = g.open_ro();
            return print_rows(g, store::drafts(db, a.status),
                              {"id", "status", "created_at", "term", "geo", "slug", "word_count",
                               "unverified", "last_error"});
        };
    });
    auto* show = app.add_subcommand("show", "print a draft's Markdown");
    show->add_option("draft", a.draft, "draft id or slug")->required();
    show->callback([&] { run = [&] { return cmd_show(g, a.draft); }; });
    auto* history = app.add_subcommand("history", "a term's traffic over time");
    history->add_option("term", a.term, "the term")->required();
    history->add_option("--geo", a.geo, "only this geo");
    history->callback([&] { run = [&] { return cmd_history(g, a.term, a.geo); }; });
    auto* draft = app.add_subcommand("draft", "draft an explainer now for a term we hold");
    draft->add_option("term", a.term, "the term")->required();
    draft->callback([&] { run = [&] { return cmd_draft(g, a.term); }; });
}

/** Commands the running daemon carries out, over the control socket. */
void add_daemon_commands(CLI::App& app, Globals& g, Args& a, Command& run) {
    auto* poll = app.add_subcommand("poll", "poll one feed (or all) now and wait for the outcome");
    poll->add_option("feed", a.feed, "feed name (default: every enabled feed)");
    poll->callback([&] { run = [&] { return cmd_live(g, "poll", a.feed); }; });
    app.add_subcommand("reload", "re-read the configuration (refused if it has errors)")
        ->callback([&] { run = [&] { return cmd_live(g, "reload", ""); }; });
    app.add_subcommand("metrics", "Prometheus metrics of the running daemon")->callback([&] {
        run = [&] { return cmd_live(g, "metrics", ""); };
    });
}

/** Commands that replay or export recorded history. */
void add_history_commands(CLI::App& app, Globals& g, Args& a, Command& run) {
    auto* backtest = app.add_subcommand("backtest", "replay recorded history through the rules");
    BacktestArgs& bt = a.backtest;
    backtest->add_option("--snapshots", bt.snapshots, "directory of saved feed documents");
    backtest->add_option("--observations", bt.observations, "JSON Lines of observations (.gz ok)");
    backtest->add_option("--db", bt.db, "keep the replay database in this file");
    backtest->add_option("--drafts", bt.drafts, "also draft the spikes into this directory");
    backtest->callback([&] { run = [&] { return cmd_backtest(g, a.backtest); }; });
    auto* exp = app.add_subcommand("export", "write observations as JSON Lines");
    exp->add_option("--observations", a.out, "output file (.gz compresses)")->required();
    exp->callback([&] { run = [&] { return cmd_export(g, a.out); }; });
}

/** Runs the chosen command, turning its errors into a message and an exit code. */
int fail(const Globals& g, const CommandError& e) {
    std::fprintf(stderr, "trendctl: %s\n", e.what());
    if (g.json)
        std::printf("%s\n", json::object([&](json::Writer& w) {
                                w.Key("ok");
                                w.Bool(false);
                                w.Key("error");
                                json::put(w, error_kind(e));
                                w.Key("message");
                                json::put(w, e.what());
                            }).c_str());
    return e.code;
}

int run_command(Globals& g, const Command& run) {
    try {
        g.load();
        return run();
    } catch (const CommandError& e) {
        return fail(g, e);
    } catch (const replay::BacktestError& e) {
        return fail(g, CommandError(fmt::format("backtest: {}", e.what()), k_exit_failed,
                                    "bad-input"));
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
    Globals g;
    app.add_option("-c,--config", g.config_path,
                   "configuration file (default /etc/trendd/trendd.toml)");
    app.add_option("--db", g.db_path, "database file (default: the configuration's)");
    app.add_flag("--json", g.json, "print JSON (shapes in docs/cli.md)");
    app.add_option("--timeout", g.timeout_s,
                   "seconds to wait for the daemon (default 5; poll waits at least 120)");
    app.set_version_flag("--version", "trendctl " TRENDD_VERSION);

    Args args;
    Command run;
    add_database_commands(app, g, args, run);
    add_daemon_commands(app, g, args, run);
    add_history_commands(app, g, args, run);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? k_exit_ok : k_exit_usage;
    }
    return run_command(g, run);
}

} // namespace trend::cli
