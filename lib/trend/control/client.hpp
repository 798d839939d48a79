// SPDX-License-Identifier: MIT
#pragma once

#include "trend/control/protocol.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>

namespace trend::control {

/** The daemon did not answer: no socket, refused, or timed out. */
class Unreachable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** Whether a process accepts connections on the socket (the daemon runs). Never throws. */
[[nodiscard]] bool answers(const std::filesystem::path& socket) noexcept;

/** Sends one request and waits for its reply line (blocking, for trendctl). Throws Unreachable
 *  when nothing answers within `timeout`, std::runtime_error for a reply that is not one. */
[[nodiscard]] Reply call(const std::filesystem::path& socket, std::string_view cmd,
                         std::string_view feed, std::chrono::milliseconds timeout);

} // namespace trend::control
