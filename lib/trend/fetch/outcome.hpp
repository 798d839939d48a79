// SPDX-License-Identifier: MIT
#pragma once

#include "trend/fetch/http_client.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace trend::fetch {

/** How a poll of a feed ended: polls.outcome in the database, `outcome` in metrics. */
enum class Outcome {
    ok,            ///< fetched and parsed
    not_modified,  ///< 304: nothing new
    http_error,    ///< a non-2xx status
    timeout,       ///< the connect or total timeout passed
    too_large,     ///< over the size cap (decompressed)
    truncated,     ///< the body ended early
    redirect_loop, ///< too many redirects
    parse_error,   ///< the body is not a feed of its type
    network_error, ///< DNS, connect, TLS, ...
    blocked,       ///< the server answered with a block or CAPTCHA page
};

/** Every outcome, in declaration order (metrics show each from the start). */
inline constexpr std::array k_outcomes{
    Outcome::ok,        Outcome::not_modified,  Outcome::http_error,
    Outcome::timeout,   Outcome::too_large,     Outcome::truncated,
    Outcome::redirect_loop, Outcome::parse_error, Outcome::network_error,
    Outcome::blocked};

/** The stored spelling: "ok", "not_modified", "http_error", ... */
[[nodiscard]] std::string_view to_string(Outcome o) noexcept;
/** The outcome a stored spelling names, if any. */
[[nodiscard]] std::optional<Outcome> outcome_from_string(std::string_view s) noexcept;

/** ok and not_modified: the feed answered as it should. */
[[nodiscard]] constexpr bool is_success(Outcome o) noexcept {
    return o == Outcome::ok || o == Outcome::not_modified;
}

/** Why a response cannot be parsed: polls.outcome and polls.error. */
struct Failure {
    Outcome outcome = Outcome::network_error;
    std::string error; ///< "" for not_modified
};

/** The failure of a response before parsing, or nullopt when its body should be parsed:
 *  transport failures, 304 (not_modified), non-2xx (http_error, with Retry-After if given),
 *  and a redirect to Google's /sorry/ CAPTCHA page (blocked). */
[[nodiscard]] std::optional<Failure> failure_of(const Response& r);

} // namespace trend::fetch
