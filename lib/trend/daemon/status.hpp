// SPDX-License-Identifier: MIT
#pragma once

#include "trend/daemon/scheduler.hpp"
#include "trend/store/pages.hpp"
#include "trend/store/queries.hpp"
#include "trend/util/time.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

/** What the running daemon reports on the control socket: `status` (JSON) and `metrics`
 *  (Prometheus text exposition). Pure rendering of a snapshot of the daemon's state. */
namespace trend::daemon {

struct DaemonStatus {
    std::string version;
    long pid = 0;
    Timestamp started_at{};
    Timestamp now{};
    std::string config_path;
    std::string database;
    std::int64_t database_bytes = 0; ///< the file, its WAL and its shared-memory index
    std::vector<FeedSchedule> feeds;
    store::Totals totals;
    std::vector<std::pair<std::string, std::int64_t>> drafts_by_status; ///< every status
    /** Problems found when the snapshot was taken (drafts_dir not writable, ...). */
    std::vector<std::string> problems;
    double loop_lag_seconds = 0;
    double loop_lag_max_seconds = 0;
    int fetches_active = 0;
    std::size_t fetches_waiting = 0;
    std::size_t writes_waiting = 0; ///< writes held back by a locked database
    /** Feeds that answer but have gone quiet or broken (feed_health), by name. */
    std::vector<store::FeedHealthState> health;
    /** The reading stage (docs/enrichment.md), since start: attempts by outcome (in
     *  store::k_page_outcomes order), body bytes, extractions and their time. */
    bool pages_enabled = false;
    std::array<std::int64_t, store::k_page_outcomes.size()> pages_by_outcome{};
    std::int64_t page_bytes = 0;
    std::int64_t page_extractions = 0;
    double page_extraction_seconds = 0;
    store::PageHealth page_health; ///< from the database
};

/** The reading stage is degraded when at least this many of its last k_page_health_window
 *  attempts failed for a server or network reason (and they are at least half). */
inline constexpr int k_page_failures_degraded = 5;

/** Why the daemon is degraded: a feed whose last poll failed, a feed that answers but is
 *  quiet or broken (no items, frozen content, schema drift), a draft that failed in the last
 *  24 hours or is retrying after an error, page fetches that keep failing, and every problem
 *  of the snapshot; empty when healthy. */
[[nodiscard]] std::vector<std::string> degraded_reasons(const DaemonStatus& s);

/** The `status` reply's data object (docs/control-protocol.md). */
[[nodiscard]] std::string status_json(const DaemonStatus& s);

/** Prometheus text exposition format 0.0.4. Every series exists from the start (0 until
 *  something happens): polls of every feed by every outcome, drafts by every status, the
 *  health problems of every feed (trendd_feed_degraded{feed,reason}). */
[[nodiscard]] std::string metrics_text(const DaemonStatus& s);

} // namespace trend::daemon
