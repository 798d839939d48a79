// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/store/queries.hpp"

#include <filesystem>
#include <stdexcept>

namespace trend::replay {

/** Bad backtest input (unreadable file, bad line, no snapshots); the message names the place. */
class BacktestError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct BacktestOptions {
    std::filesystem::path snapshots;    ///< directory of saved feed documents, or ""
    std::filesystem::path observations; ///< JSON Lines (optionally .gz), or ""
    std::filesystem::path database;     ///< where to replay into (must not be the live one)
    std::filesystem::path drafts_dir;   ///< "" = do not draft
};

struct BacktestResult {
    int snapshots = 0;
    long long observations = 0;
    store::Rows spikes; ///< every spike fired, oldest first
    int drafts_written = 0;
    int drafts_failed = 0;
    double seconds = 0; ///< wall time of the replay
};

/**
 * Replays recorded history through the live pipeline (Ingestor: the same detection, cooldowns
 * and spike lifecycle) with a simulated clock set to each capture's time, into its own database.
 *  - snapshots: files named by capture time, "2025-11-03T14-00-00Z.xml" (any extension),
 *    parsed as google-trends-rss; files in DIR form feed "snapshots", files in DIR/<name>/ feed
 *    <name>.
 *  - observations: lines {"observed_at", "geo", "term", "traffic_label", "rank"?, "started_at"?}
 *    as in the recorded series; each (observed_at, geo) group is one snapshot of feed
 *    "series-<geo>".
 * Throws BacktestError for bad input and store::DatabaseError for the database.
 */
[[nodiscard]] BacktestResult run_backtest(const config::Config& config,
                                          const BacktestOptions& options);

/** "2025-11-03T14-00-00Z.xml" -> 2025-11-03T14:00:00Z (also accepts ':' separators). */
[[nodiscard]] std::optional<Timestamp> capture_time_of(const std::filesystem::path& file);

} // namespace trend::replay
