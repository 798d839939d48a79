// SPDX-License-Identifier: MIT
#pragma once

#include "trend/store/queries.hpp"
#include "trend/util/time.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

/** What the running daemon reports on the control socket: `status` (JSON) and `metrics`
 *  (Prometheus text exposition). Pure rendering of a snapshot of the daemon's state. */
namespace trend::daemon {

struct FeedStatus {
    std::string name;
    std::string url;
    std::string geo;
    Seconds interval{0};
    bool in_flight = false;
    bool waiting = false; ///< queued behind the concurrency limits
    std::optional<Timestamp> last_poll_at;
    std::optional<Timestamp> next_poll_at;
    std::string last_outcome;
    std::string last_error;
    int last_items = 0;
    int failures_in_row = 0;
    Seconds backoff{0}; ///< the current delay while failing, 0 when healthy
    std::map<std::string, long long> polls_by_outcome; ///< since start
};

struct DaemonStatus {
    std::string version;
    long pid = 0;
    Timestamp started_at{};
    Timestamp now{};
    std::string config_path;
    std::string database;
    std::int64_t database_bytes = 0;
    std::vector<FeedStatus> feeds;
    store::Rows totals;           ///< store::totals()
    store::Rows drafts_by_status; ///< status, count
    double loop_lag_seconds = 0;
    double loop_lag_max_seconds = 0;
    int fetches_active = 0;
    std::size_t fetches_waiting = 0;
};

/** Why the daemon is degraded (a feed whose last poll failed, a draft failed in the last
 *  24 hours); empty when healthy. */
[[nodiscard]] std::vector<std::string> degraded_reasons(const DaemonStatus& s);

/** The `status` reply's data object (docs/control-protocol.md). */
[[nodiscard]] std::string status_json(const DaemonStatus& s);

/** Prometheus text exposition format 0.0.4. */
[[nodiscard]] std::string metrics_text(const DaemonStatus& s);

} // namespace trend::daemon
