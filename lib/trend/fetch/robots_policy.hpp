// SPDX-License-Identifier: MIT
#pragma once

#include "trend/fetch/http_client.hpp"
#include "trend/fetch/robots.hpp"
#include "trend/util/time.hpp"

#include <string>
#include <string_view>

/** What an answer to GET /robots.txt means for a crawler, and how long it holds (RFC 9309
 *  section 2.3.1 and 2.4). Pure. */
namespace trend::fetch {

/** A robots.txt that was read is kept this long (RFC 9309 2.4: at most 24 hours). */
inline constexpr Seconds k_robots_ttl{24 * 3600};
/** A robots.txt that could not be read (5xx, 429, network) disallows the host this long; the
 *  next page of the host after that asks again. */
inline constexpr Seconds k_robots_retry{120};
/** Bytes of a robots.txt fetched: the parse limit and a little more (the rest is ignored). */
inline constexpr std::int64_t k_robots_max_bytes = k_robots_parse_limit + (64 << 10);

/** How a robots.txt answer is kept (robots.state in the database). */
enum class RobotsState {
    ok,          ///< read: its rules apply
    unavailable, ///< 4xx (not 429), or too many redirects: everything is allowed
    unreachable, ///< 5xx, 429, a timeout or a network error: nothing is allowed, for now
    refused,     ///< the host's address is not public: nothing is fetched from it
};

/** What a fetch of /robots.txt came to. */
struct RobotsAnswer {
    RobotsState state = RobotsState::unreachable;
    Robots robots;     ///< the rules to apply
    Seconds ttl{0};    ///< how long the answer is kept
    std::string error; ///< why it was not read ("" for ok)
    std::string body;  ///< what was read, kept to rebuild `robots` after a restart
};

/** The meaning of a response to GET /robots.txt (after redirects, which libcurl follows). */
[[nodiscard]] RobotsAnswer robots_answer(const Response& r);

/** The rules of a stored answer: parse_robots(body) for ok, else the state's fixed rules. */
[[nodiscard]] Robots robots_of(RobotsState state, std::string_view body);

/** "ok", "unavailable", "unreachable", "refused". */
[[nodiscard]] std::string_view to_string(RobotsState s) noexcept;
/** The state a stored spelling names; unreachable for anything unknown. */
[[nodiscard]] RobotsState robots_state_from_string(std::string_view s) noexcept;

} // namespace trend::fetch
