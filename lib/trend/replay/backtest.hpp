// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/replay/series.hpp"
#include "trend/store/queries.hpp"

#include <filesystem>

namespace trend::replay {

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
 * Replays recorded history through the live pipeline (the same Ingestor: detection, cooldowns
 * and spike lifecycle) with the clock set to each capture's time, into its own database.
 *  - snapshots: saved google-trends-rss documents (snapshot_files); files in DIR form feed
 *    "snapshots", files in DIR/<name>/ feed <name>.
 *  - observations: a recorded series (SeriesReader); each (observed_at, geo) group is one
 *    snapshot of feed "series-<geo>".
 * Drafts, when asked for, are written by the built-in drafter. Throws BacktestError for bad
 * input and store::DatabaseError for the database.
 */
[[nodiscard]] BacktestResult run_backtest(const config::Config& config,
                                          const BacktestOptions& options);

} // namespace trend::replay
