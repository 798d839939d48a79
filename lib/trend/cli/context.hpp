// SPDX-License-Identifier: MIT
#pragma once

#include "trend/cli/trendctl.hpp"
#include "trend/config/config.hpp"
#include "trend/control/client.hpp"
#include "trend/store/database.hpp"
#include "trend/store/queries.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

/** What every trendctl command shares: the global options, the configuration, the database,
 *  the daemon's socket, and how errors become messages and exit codes. */
namespace trend::cli {

namespace fs = std::filesystem;

/** A command failed for a reason the user can act on: printed as "trendctl: <what>" on
 *  stderr, and under --json also as {"ok":false,"error":kind,"message":what} on stdout. */
struct CommandError : std::runtime_error {
    int code;
    std::string kind; ///< a stable kebab-case code ("" = from the exit code)
    CommandError(const std::string& what, int c = k_exit_failed, std::string k = {})
        : std::runtime_error(what), code(c), kind(std::move(k)) {}
};

/** The error code of a CommandError under --json. */
[[nodiscard]] inline std::string error_kind(const CommandError& e) {
    if (!e.kind.empty())
        return e.kind;
    switch (e.code) {
    case k_exit_usage:
        return "usage";
    case k_exit_not_running:
        return "not-running";
    default:
        return "failed";
    }
}

struct Globals {
    std::string config_path;
    std::string db_path;
    bool json = false;
    bool csv = false; ///< table commands print CSV (every column)
    double timeout_s = 5;
    config::Config config;

    /** One request to the daemon; throws control::Unreachable or control::NoAnswer. */
    control::Reply ask(std::string_view cmd, std::string_view feed = {}, double timeout = 0) const {
        const auto ms = static_cast<long long>((timeout > 0 ? timeout : timeout_s) * 1000);
        return control::call(config.daemon.control_socket, cmd, feed,
                             std::chrono::milliseconds(ms));
    }

    fs::path database() const {
        return db_path.empty() ? config.daemon.database : fs::path(db_path);
    }

    SQLite::Database open_ro() const {
        return store::open_database(database(), store::Access::read_only);
    }

    /** The configuration named by --config (which must exist), else the default file, else
     *  the built-in defaults. A file with errors still tells where the database and the
     *  daemon are (say, just edited, before `trendctl reload`): its paths are used, with a
     *  warning. Throws CommandError. */
    void load();
};


/** A cell as text (cell_text). */
[[nodiscard]] std::string as_text(const store::Value& v);

/** The cell of `row` in the column named `name`; throws std::logic_error when there is none. */
[[nodiscard]] const store::Value& column(const store::Rows& rows, std::size_t row,
                                         std::string_view name);

/** "24h" -> ISO time 24h ago; "all" -> the epoch. Throws CommandError. */
[[nodiscard]] std::string since_iso(const std::string& since);

/** Rows as JSON (--json), as CSV (--csv, every column) or as a table of `columns`; "(none)"
 *  when a table has no rows. */
int print_rows(const Globals& g, const store::Rows& rows, const std::vector<std::string>& columns);

/** The command chosen on the command line; set by the subcommand's callback. */
using Command = std::function<int()>;

/** Each group of commands registers its subcommands; the one chosen sets `run`. */
void add_database_commands(CLI::App& app, Globals& g, Command& run);
void add_daemon_commands(CLI::App& app, Globals& g, Command& run);
void add_history_commands(CLI::App& app, Globals& g, Command& run);
/** `trendctl parse` (parse_command.cpp). */
void add_parse_command(CLI::App& app, Globals& g, Command& run);
/** `trendctl extract` and `trendctl pages` (page_commands.cpp). */
void add_page_commands(CLI::App& app, Globals& g, Command& run);

/** `trendctl status` (status_command.cpp). */
int cmd_status(Globals& g);

} // namespace trend::cli
