// SPDX-License-Identifier: MIT
#pragma once

#include <span>

/** The trendd program, behind its thin main (daemon/trendd.cpp). */
namespace trend::daemon {

/** Exit codes (sysexits.h where one fits). */
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;
inline constexpr int k_exit_usage = 64;
inline constexpr int k_exit_data = 65;   ///< EX_DATAERR: the database is from a newer trendd
inline constexpr int k_exit_config = 78; ///< EX_CONFIG: systemd's RestartPreventExitStatus

/** Parses arguments and runs: --check-config, --once, or the daemon in the foreground. */
int trendd_main(int argc, char** argv);

} // namespace trend::daemon
