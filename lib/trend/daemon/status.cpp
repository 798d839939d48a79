// SPDX-License-Identifier: MIT
#include "trend/daemon/status.hpp"

#include "trend/util/json.hpp"

#include <fmt/format.h>

#include <algorithm>
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

void put_text_or_null(Writer& w, const std::string& s) {
    if (s.empty())
        w.Null();
    else
        put(w, s);
}

std::string_view state_name(FeedSchedule::State s) {
    switch (s) {
    case FeedSchedule::State::polling:
        return "polling";
    case FeedSchedule::State::waiting:
        return "waiting";
    case FeedSchedule::State::scheduled:
        break;
    }
    return "scheduled";
}

/** Label values may hold any feed name: escape as the exposition format requires. */
std::string label(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

} // namespace

std::vector<std::string> degraded_reasons(const DaemonStatus& s) {
    std::vector<std::string> out;
    for (const FeedSchedule& f : s.feeds)
        if (f.failures_in_row > 0)
            out.push_back(fmt::format("feed {} failing ({} in a row: {})", f.feed.name,
                                      f.failures_in_row, f.last_outcome));
    for (const store::FeedHealthState& h : s.health)
        if (!h.problems.empty())
            out.push_back(fmt::format("feed {}: {}", h.feed, h.problems));
    if (s.totals.drafts_failed_24h > 0)
        out.push_back(
            fmt::format("{} draft(s) failed in the last 24h", s.totals.drafts_failed_24h));
    if (s.totals.drafts_retrying > 0)
        out.push_back(fmt::format("{} draft(s) failing and queued for a retry",
                                  s.totals.drafts_retrying));
    const store::PageHealth& ph = s.page_health;
    if (s.pages_enabled && ph.recent_failures >= k_page_failures_degraded &&
        2 * ph.recent_failures >= ph.recent)
        out.push_back(fmt::format("page fetches failing ({} of the last {})", ph.recent_failures,
                                  ph.recent));
    out.insert(out.end(), s.problems.begin(), s.problems.end());
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
    w.Key("writes_waiting");
    w.Uint64(s.writes_waiting);
    w.Key("feeds");
    w.StartArray();
    for (const FeedSchedule& f : s.feeds) {
        w.StartObject();
        w.Key("name");
        put(w, f.feed.name);
        w.Key("url");
        put(w, f.feed.url);
        w.Key("geo");
        put(w, f.feed.geo);
        w.Key("interval_s");
        w.Int64(f.feed.interval.count());
        w.Key("state");
        put(w, state_name(f.state));
        w.Key("last_poll_at");
        put_time(w, f.last_poll_at);
        w.Key("last_success_at");
        put_time(w, f.last_success_at);
        w.Key("last_outcome");
        put_text_or_null(w, f.last_outcome);
        w.Key("last_error");
        put_text_or_null(w, f.last_error);
        w.Key("last_items");
        w.Int(f.last_items);
        w.Key("failures_in_row");
        w.Int(f.failures_in_row);
        w.Key("backoff_s");
        w.Int64(f.backoff.count());
        w.Key("next_poll_at");
        put_time(w, f.state == FeedSchedule::State::scheduled
                        ? std::optional(std::chrono::ceil<Seconds>(f.due))
                        : std::nullopt);
        w.EndObject();
    }
    w.EndArray();
    w.Key("totals");
    store::write_json(w, s.totals);
    w.Key("pages");
    w.StartObject();
    w.Key("enabled");
    w.Bool(s.pages_enabled);
    w.Key("queued");
    w.Int64(s.page_health.queued);
    w.Key("fetching");
    w.Int64(s.page_health.fetching);
    w.Key("oldest_due_at");
    put_time(w, s.page_health.oldest_due);
    w.Key("recent");
    w.Int(s.page_health.recent);
    w.Key("recent_failures");
    w.Int(s.page_health.recent_failures);
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
    for (const FeedSchedule& f : s.feeds) {
        auto count = [&](std::string_view outcome) {
            const auto it = f.polls_by_outcome.find(std::string(outcome));
            out += fmt::format("trendd_polls_total{{feed=\"{}\",outcome=\"{}\"}} {}\n",
                               label(f.feed.name), outcome,
                               it == f.polls_by_outcome.end() ? 0 : it->second);
        };
        for (const fetch::Outcome o : fetch::k_outcomes)
            count(fetch::to_string(o));
        count("store_error");
    }
    family("trendd_feed_failures_in_row", "gauge", "Consecutive failed polls, by feed.");
    for (const FeedSchedule& f : s.feeds)
        out += fmt::format("trendd_feed_failures_in_row{{feed=\"{}\"}} {}\n", label(f.feed.name),
                           f.failures_in_row);
    family("trendd_feed_last_success_timestamp_seconds", "gauge",
           "When the feed last answered as it should (ok or not_modified), UNIX seconds; 0 "
           "when never.");
    for (const FeedSchedule& f : s.feeds)
        out += fmt::format("trendd_feed_last_success_timestamp_seconds{{feed=\"{}\"}} {}\n",
                           label(f.feed.name),
                           f.last_success_at ? f.last_success_at->time_since_epoch().count() : 0);
    family("trendd_feed_degraded", "gauge",
           "1 while a feed that answers is quiet or broken, by feed and reason (no_items, "
           "frozen, schema_drift).");
    for (const FeedSchedule& f : s.feeds) {
        const auto h = std::find_if(s.health.begin(), s.health.end(),
                                    [&](const store::FeedHealthState& x) {
                                        return x.feed == f.feed.name;
                                    });
        const bool known = h != s.health.end();
        const std::pair<const char*, bool> reasons[] = {
            {"no_items", known && h->no_items},
            {"frozen", known && h->frozen},
            {"schema_drift", known && h->schema_drift},
        };
        for (const auto& [reason, on] : reasons)
            out += fmt::format("trendd_feed_degraded{{feed=\"{}\",reason=\"{}\"}} {}\n",
                               label(f.feed.name), reason, on ? 1 : 0);
    }
    family("trendd_observations", "gauge", "Observations in the database.");
    out += fmt::format("trendd_observations {}\n", s.totals.observations);
    family("trendd_spikes", "gauge", "Spikes in the database.");
    out += fmt::format("trendd_spikes {}\n", s.totals.spikes);
    family("trendd_drafts", "gauge", "Drafts in the database, by status.");
    for (const auto& [status, n] : s.drafts_by_status)
        out += fmt::format("trendd_drafts{{status=\"{}\"}} {}\n", label(status), n);
    family("trendd_fetches_active", "gauge", "Transfers in flight.");
    out += fmt::format("trendd_fetches_active {}\n", s.fetches_active);
    family("trendd_fetches_waiting", "gauge", "Polls waiting for the concurrency limits.");
    out += fmt::format("trendd_fetches_waiting {}\n", s.fetches_waiting);
    family("trendd_database_writes_waiting", "gauge",
           "Writes held back because another connection locks the database.");
    out += fmt::format("trendd_database_writes_waiting {}\n", s.writes_waiting);
    family("trendd_loop_lag_seconds", "gauge", "How late the event loop's 1 s tick last fired.");
    out += fmt::format("trendd_loop_lag_seconds {:.6f}\n", s.loop_lag_seconds);
    family("trendd_loop_lag_max_seconds", "gauge", "The largest loop lag since start.");
    out += fmt::format("trendd_loop_lag_max_seconds {:.6f}\n", s.loop_lag_max_seconds);
    family("trendd_database_bytes", "gauge",
           "Size of the database: the file, its write-ahead log and its index.");
    out += fmt::format("trendd_database_bytes {}\n", s.database_bytes);
    family("trendd_pages_total", "counter", "Page fetch attempts since start, by outcome.");
    for (std::size_t i = 0; i < store::k_page_outcomes.size(); ++i)
        out += fmt::format("trendd_pages_total{{outcome=\"{}\"}} {}\n",
                           store::to_string(store::k_page_outcomes[i]), s.pages_by_outcome[i]);
    family("trendd_page_bytes_total", "counter", "Page body bytes received since start.");
    out += fmt::format("trendd_page_bytes_total {}\n", s.page_bytes);
    family("trendd_page_extractions_total", "counter", "Pages extracted since start.");
    out += fmt::format("trendd_page_extractions_total {}\n", s.page_extractions);
    family("trendd_page_extraction_seconds_total", "counter",
           "Time spent extracting pages since start (worker thread).");
    out += fmt::format("trendd_page_extraction_seconds_total {:.6f}\n",
                       s.page_extraction_seconds);
    family("trendd_pages_queued", "gauge", "Pages waiting to be fetched.");
    out += fmt::format("trendd_pages_queued {}\n", s.page_health.queued);
    family("trendd_healthy", "gauge", "1 when trendctl status would say healthy, else 0.");
    out += fmt::format("trendd_healthy {}\n", degraded_reasons(s).empty() ? 1 : 0);
    return out;
}

} // namespace trend::daemon
