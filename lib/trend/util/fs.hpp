// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace trend::util {

/** Writes `content` to `path` atomically: a temp file in the same directory, fsync, rename.
 *  A reader sees the old file or the new one, never a part. Throws std::system_error. */
void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                       int mode = 0640);

/** Removes temp files that write_file_atomic left in `dir` when the process was killed in the
 *  middle of a write ("." + name + ".tmp-XXXXXX"). Returns how many. Never throws. */
int remove_stale_temp_files(const std::filesystem::path& dir) noexcept;

/** Bytes an SQLite database takes on disk: the file, its -wal and its -shm (0 for each one
 *  that is missing). Never throws. */
[[nodiscard]] std::int64_t database_size(const std::filesystem::path& db) noexcept;

/** Why files cannot be written in `dir` ("does not exist", "is not a directory", "is not
 *  writable: Permission denied"), or nullopt when they can. A directory that does not exist
 *  yet but could be created is fine. Never throws. */
[[nodiscard]] std::optional<std::string> writable_directory_problem(
    const std::filesystem::path& dir) noexcept;

/** Reads a whole file. Throws std::system_error. */
[[nodiscard]] std::string read_file(const std::filesystem::path& path);

/**
 * Test-only crash injection for the crash-consistency test: when the environment variable
 * TRENDD_TEST_CRASH_AT is "<point>" or "<point>:<n>", the n-th (default first) time the
 * program reaches crash_point("<point>") it kills itself with SIGKILL. Unset: does nothing.
 */
void crash_point(std::string_view point) noexcept;

} // namespace trend::util
