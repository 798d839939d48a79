// SPDX-License-Identifier: MIT
#pragma once

#include "trend/control/protocol.hpp"
#include "trend/control/server.hpp"
#include "trend/daemon/status.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace trend::daemon {

/** What the control socket may ask of the running daemon (the Service implements it). */
class Controlled {
public:
    virtual ~Controlled() = default;
    /** A snapshot of the daemon's state for `status` and `metrics`. */
    [[nodiscard]] virtual DaemonStatus status() = 0;
    /** Re-reads the configuration; returns its errors when it was refused (and the running
     *  one kept), nothing when it was taken. */
    virtual std::vector<std::string> reload() = 0;
    /** Asks for a poll of one feed (or of every enabled feed, for "") now; returns the feeds
     *  that will poll, empty when no enabled feed has that name. */
    virtual std::vector<std::string> poll_now(const std::string& feed) = 0;
    /** Feeds and rules of the running configuration (the `reload` reply). */
    [[nodiscard]] virtual std::pair<std::size_t, std::size_t> size() const = 0;
};

/**
 * Answers control requests (docs/control-protocol.md): `status`, `metrics` and `reload` at
 * once, `poll` when every feed it asked for has been polled and recorded. Lives on the loop.
 */
class ControlHandler final {
    /** A `poll` request, answered when its feeds are done. */
    struct PollWaiter {
        std::set<std::string> pending;
        std::map<std::string, std::string> outcomes;
        control::Server::Respond respond;
    };

    Controlled& m_daemon;
    std::vector<PollWaiter> m_waiters;

public:
    explicit ControlHandler(Controlled& daemon) : m_daemon(daemon) {}

    /** Handles one request; never throws (an internal error is the reply). */
    void handle(const control::Request& r, const control::Server::Respond& respond) noexcept;

    /** A poll of `feed` ended with `outcome` (PollSummary::outcome_name(), or "removed" for a
     *  feed a reload took away): answers the `poll` requests that were waiting for it. */
    void polled(const std::string& feed, std::string_view outcome);
};

} // namespace trend::daemon
