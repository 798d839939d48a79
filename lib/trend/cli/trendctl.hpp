// SPDX-License-Identifier: MIT
#pragma once

/** trendctl: the operator's and editor's command line (docs/cli.md). */
namespace trend::cli {

/** Exit codes: 0 ok, 1 command failed (or status: degraded), 2 usage or configuration,
 *  3 the daemon is not running (status). */
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failed = 1;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_not_running = 3;

int trendctl_main(int argc, char** argv);

} // namespace trend::cli
