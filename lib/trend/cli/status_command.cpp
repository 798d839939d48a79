// SPDX-License-Identifier: MIT
#include "trend/cli/context.hpp"
#include "trend/cli/render.hpp"
#include "trend/util/fs.hpp"
#include "trend/util/json.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include <cstdio>

namespace trend::cli {

namespace {

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

std::string time_text(const std::optional<Timestamp>& t) {
    return t ? format_iso(*t) : "-";
}

} // namespace

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
    const std::string health = !running    ? "not_running"
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
                                store::write_json(w, view->totals);
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

} // namespace trend::cli
