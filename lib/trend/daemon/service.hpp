// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"

#include <filesystem>

namespace trend::daemon {

/**
 * Runs trendd in the foreground until SIGTERM/SIGINT: one io_context thread owns all state.
 * The Scheduler says when each feed polls, the Pipeline polls, records, drafts and notifies,
 * the ControlHandler answers the control socket, and systemd hears READY, STATUS, WATCHDOG,
 * RELOADING and STOPPING. SIGHUP (and `trendctl reload`) re-reads `config_path`; an invalid
 * configuration is refused and the running one kept. Returns the exit code.
 */
int run_service(config::Config config, const std::filesystem::path& config_path);

} // namespace trend::daemon
