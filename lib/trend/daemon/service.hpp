// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"

#include <filesystem>

namespace trend::daemon {

/**
 * Runs trendd in the foreground until SIGTERM/SIGINT: one io_context thread owns all state;
 * every enabled feed is polled on its own interval with jitter, failing feeds back off
 * exponentially (honouring Retry-After), queued drafts are written after each poll, SIGHUP
 * re-reads `config_path` (an invalid config is refused and the old one keeps running), and
 * systemd is told READY/STATUS/WATCHDOG/RELOADING/STOPPING. Returns the exit code.
 */
int run_service(config::Config config, const std::filesystem::path& config_path);

/** The delay before the next poll of a feed: its interval after a success; after the n-th
 *  failure in a row min(max(interval, 1m) * 2^(n-1), cap) but never less than the interval,
 *  and at least Retry-After (itself capped at `cap`); both with +-10% jitter from `unit`
 *  (a number in [0, 1)). Pure. */
[[nodiscard]] Seconds next_poll_delay(Seconds interval, int failures_in_row,
                                      std::optional<Seconds> retry_after, Seconds cap, double unit);

} // namespace trend::daemon
