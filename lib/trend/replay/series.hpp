// SPDX-License-Identifier: MIT
#pragma once

#include "trend/feed/snapshot.hpp"
#include "trend/util/time.hpp"

#include <zlib.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

/** Recorded history, read back: saved feed documents and recorded series of observations. */
namespace trend::replay {

/** Bad replay input (unreadable file, bad line, no snapshots); the message names the place. */
class BacktestError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** A saved feed document, named by its capture time. */
struct SnapshotFile {
    Timestamp at;
    std::filesystem::path path;
    std::string feed; ///< "snapshots" for files in DIR, <name> for files in DIR/<name>/
};

/** The saved documents under `dir` (recursively), oldest first: files named by capture time,
 *  "2025-11-03T14-00-00Z.xml" (any extension). Throws BacktestError when `dir` is not a
 *  directory or holds none. */
[[nodiscard]] std::vector<SnapshotFile> snapshot_files(const std::filesystem::path& dir);

/** "2025-11-03T14-00-00Z.xml" -> 2025-11-03T14:00:00Z (also accepts ':' separators). */
[[nodiscard]] std::optional<Timestamp> capture_time_of(const std::filesystem::path& file);

/**
 * Reads a recorded series: JSON Lines, plain or gzip, one observation per line
 * {"observed_at", "geo", "term", "traffic_label", "rank"?, "started_at"?} (what
 * `trendctl export` writes). Consecutive lines with the same (observed_at, geo) are one
 * snapshot, as one poll of that geo's feed saw it.
 */
class SeriesReader final {
    gzFile m_file;
    std::filesystem::path m_path;
    std::string m_line;
    long long m_line_no = 0;
    std::optional<feed::Snapshot> m_pending; ///< the snapshot the last line read started

public:
    /** Throws BacktestError when the file cannot be opened. */
    explicit SeriesReader(const std::filesystem::path& path);
    ~SeriesReader();
    SeriesReader(const SeriesReader&) = delete;
    SeriesReader& operator=(const SeriesReader&) = delete;

    /** The next snapshot, or nullopt at the end. Throws BacktestError ("FILE:LINE: what")
     *  for a line that is not an observation. */
    [[nodiscard]] std::optional<feed::Snapshot> next();

private:
    const std::string* read_line();
};

} // namespace trend::replay
