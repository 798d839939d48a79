// SPDX-License-Identifier: MIT
#include "trend/fetch/robots_policy.hpp"

#include <fmt/format.h>

namespace trend::fetch {

RobotsAnswer robots_answer(const Response& r) {
    RobotsAnswer a;
    const auto keep = [&](RobotsState state, Seconds ttl, std::string error) {
        a.state = state;
        a.ttl = ttl;
        a.error = std::move(error);
    };
    switch (r.transport) {
    case Transport::complete:
        if (r.http_status >= 200 && r.http_status <= 299) {
            keep(RobotsState::ok, k_robots_ttl, "");
            // One byte over the limit, so that the parser still drops the line it cuts.
            a.body = r.body.substr(0, k_robots_parse_limit + 1);
        } else if (r.http_status == 429 || r.http_status >= 500 || r.http_status < 200) {
            keep(RobotsState::unreachable, k_robots_retry,
                 fmt::format("robots.txt: HTTP {}", r.http_status));
        } else {
            // 4xx, and a 3xx left after following redirects: everything is allowed.
            keep(RobotsState::unavailable, k_robots_ttl,
                 fmt::format("robots.txt: HTTP {}", r.http_status));
        }
        break;
    case Transport::redirect_loop:
        // RFC 9309 2.3.1.2: after five redirects a crawler may assume it unavailable.
        keep(RobotsState::unavailable, k_robots_ttl, "robots.txt: " + r.error);
        break;
    case Transport::blocked_address:
        keep(RobotsState::refused, k_robots_retry, r.error);
        break;
    case Transport::too_large: // an answer cut short is no answer: ask again later
    case Transport::truncated:
    case Transport::timeout:
    case Transport::network_error:
    case Transport::cancelled:
        keep(RobotsState::unreachable, k_robots_retry, "robots.txt: " + r.error);
        break;
    }
    a.robots = robots_of(a.state, a.body);
    return a;
}

Robots robots_of(RobotsState state, std::string_view body) {
    switch (state) {
    case RobotsState::ok:
        return parse_robots(body);
    case RobotsState::unavailable:
        return Robots::unavailable();
    case RobotsState::unreachable:
    case RobotsState::refused:
        break;
    }
    return Robots::unreachable();
}

std::string_view to_string(RobotsState s) noexcept {
    switch (s) {
    case RobotsState::ok:
        return "ok";
    case RobotsState::unavailable:
        return "unavailable";
    case RobotsState::unreachable:
        return "unreachable";
    case RobotsState::refused:
        return "refused";
    }
    return "unreachable";
}

RobotsState robots_state_from_string(std::string_view s) noexcept {
    for (const RobotsState st : {RobotsState::ok, RobotsState::unavailable,
                                 RobotsState::unreachable, RobotsState::refused})
        if (to_string(st) == s)
            return st;
    return RobotsState::unreachable;
}

} // namespace trend::fetch
