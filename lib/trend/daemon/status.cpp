// SPDX-License-Identifier: MIT
#include "trend/daemon/status.hpp"

#include "trend/util/json.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace trend::daemon {

namespace {

using json::put;
using json::Writer;

void put_time(Writer& w, const std::optional<Timestamp>& t) {
    if (t)
        put(w, format_iso(*t));
    else
        w.Null();
}

std::int64_t total(const DaemonStatus& s, std::string_view column) {
    for (std::size_t c = 0; c < s.totals.columns.size(); ++c)
        if (s.totals.columns[c] == column && !s.totals.rows.empty())
            if (const auto* v = std::get_if<std::int64_t>(&s.totals.rows[0][c]))
                return *v;
    return 0;
}

} // namespace

std::vector<std::string> degraded_reasons(const DaemonStatus& s) {
    std::vector<std::string> out;
    for (const FeedStatus& f : s.feeds)
        if (f.failures_in_row > 0)
            out.push_back(fmt::format("feed {} failing ({} in a row: {})", f.name,
                                      f.failures_in_row, f.last_outcome));
    if (const auto failed = total(s, "drafts_failed_24h"); failed > 0)
        out.push_back(fmt::format("{} draft(s) failed in the last 24h", failed));
    return out;
}

std::string status_json(const DaemonStatus& s) {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    const auto reasons = degraded_reasons(s);
    w.StartObject();
    w.Key("healthy");
    w.Bool(reasons.empty());
    w.Key("degraded_reasons");
    w.StartArray();
    for (const auto& r : reasons)
        put(w, r);
    w.EndArray();
    w.Key("version");
    put(w, s.version);
    w.Key("pid");
    w.Int64(s.pid);
    w.Key("started_at");
    put(w, format_iso(s.started_at));
    w.Key("uptime_s");
    w.Int64((s.now - s.started_at).count());
    w.Key("config");
    put(w, s.config_path);
    w.Key("database");
    put(w, s.database);
    w.Key("database_bytes");
    w.Int64(s.database_bytes);
    w.Key("loop_lag_s");
    w.Double(s.loop_lag_seconds);
    w.Key("fetches_active");
    w.Int(s.fetches_active);
    w.Key("fetches_waiting");
    w.Uint64(s.fetches_waiting);
    w.Key("feeds");
    w.StartArray();
    for (const FeedStatus& f : s.feeds) {
        w.StartObject();
        w.Key("name");
        put(w, f.name);
        w.Key("url");
        put(w, f.url);
        w.Key("geo");
        put(w, f.geo);
        w.Key("interval_s");
        w.Int64(f.interval.count());
        w.Key("state");
        put(w, f.in_flight ? "polling" : f.waiting ? "waiting" : "scheduled");
        w.Key("last_poll_at");
        put_time(w, f.last_poll_at);
        w.Key("last_outcome");
        if (f.last_outcome.empty())
            w.Null();
        else
            put(w, f.last_outcome);
        w.Key("last_error");
        if (f.last_error.empty())
            w.Null();
        else
            put(w, f.last_error);
        w.Key("last_items");
        w.Int(f.last_items);
        w.Key("failures_in_row");
        w.Int(f.failures_in_row);
        w.Key("backoff_s");
        w.Int64(f.backoff.count());
        w.Key("next_poll_at");
        put_time(w, f.next_poll_at);
        w.EndObject();
    }
    w.EndArray();
    w.Key("totals");
    w.StartObject();
    for (std::size_t c = 0; c < s.totals.columns.size() && !s.totals.rows.empty(); ++c) {
        w.Key(s.totals.columns[c].c_str());
        store::write_json(w, s.totals.rows[0][c]);
    }
    w.EndObject();
    w.EndObject();
    return buf.GetString();
}

std::string metrics_text(const DaemonStatus& s) {
    std::string out;
    auto family = [&](std::string_view name, std::string_view type, std::string_view help) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    };
    family("trendd_up", "gauge", "1 while the daemon runs.");
    out += "trendd_up 1\n";
    family("trendd_start_time_seconds", "gauge", "Start time, UNIX seconds.");
    out += fmt::format("trendd_start_time_seconds {}\n", s.started_at.time_since_epoch().count());
    family("trendd_polls_total", "counter", "Polls since start, by feed and outcome.");
    for (const FeedStatus& f : s.feeds)
        for (const auto& [outcome, n] : f.polls_by_outcome)
            out += fmt::format("trendd_polls_total{{feed=\"{}\",outcome=\"{}\"}} {}\n", f.name,
                               outcome, n);
    family("trendd_feed_failures_in_row", "gauge", "Consecutive failed polls, by feed.");
    for (const FeedStatus& f : s.feeds)
        out += fmt::format("trendd_feed_failures_in_row{{feed=\"{}\"}} {}\n", f.name,
                           f.failures_in_row);
    family("trendd_observations_total", "counter", "Observations in the database.");
    out += fmt::format("trendd_observations_total {}\n", total(s, "observations"));
    family("trendd_spikes_total", "counter", "Spikes in the database.");
    out += fmt::format("trendd_spikes_total {}\n", total(s, "spikes"));
    family("trendd_drafts", "gauge", "Drafts in the database, by status.");
    for (const auto& row : s.drafts_by_status.rows)
        if (row.size() == 2 && std::holds_alternative<std::string>(row[0]) &&
            std::holds_alternative<std::int64_t>(row[1]))
            out += fmt::format("trendd_drafts{{status=\"{}\"}} {}\n", std::get<std::string>(row[0]),
                               std::get<std::int64_t>(row[1]));
    family("trendd_fetches_active", "gauge", "Transfers in flight.");
    out += fmt::format("trendd_fetches_active {}\n", s.fetches_active);
    family("trendd_fetches_waiting", "gauge", "Polls waiting for the concurrency limits.");
    out += fmt::format("trendd_fetches_waiting {}\n", s.fetches_waiting);
    family("trendd_loop_lag_seconds", "gauge", "How late the event loop's 1 s tick last fired.");
    out += fmt::format("trendd_loop_lag_seconds {:.6f}\n", s.loop_lag_seconds);
    family("trendd_loop_lag_max_seconds", "gauge", "The largest loop lag since start.");
    out += fmt::format("trendd_loop_lag_max_seconds {:.6f}\n", s.loop_lag_max_seconds);
    family("trendd_database_bytes", "gauge", "Size of the database file.");
    out += fmt::format("trendd_database_bytes {}\n", s.database_bytes);
    return out;
}

} // namespace trend::daemon
