// SPDX-License-Identifier: MIT
#pragma once

#include "trend/control/protocol.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>

namespace trend::control {

/** Nothing accepts connections on the socket (no file, refused): the daemon is not running. */
class Unreachable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** The daemon accepted the connection but gave no reply in time, or closed it: it runs, but
 *  is busy or stuck. */
class NoAnswer : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** Whether a process accepts connections on the socket (the daemon runs, busy or not). Never
 *  throws. */
[[nodiscard]] bool answers(const std::filesystem::path& socket) noexcept;

/** Sends one request and waits for its reply line (blocking, for trendctl). Throws Unreachable
 *  when nothing accepts the connection, NoAnswer when no reply comes within `timeout` (or the
 *  connection closes first), std::runtime_error for a reply that is not one. A daemon too busy
 *  to take the request answers with the error "busy". */
[[nodiscard]] Reply call(const std::filesystem::path& socket, std::string_view cmd,
                         std::string_view feed, std::chrono::milliseconds timeout);

} // namespace trend::control
