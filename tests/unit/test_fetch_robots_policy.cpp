// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/fetch/robots_policy.hpp"

using namespace trend;

namespace {

fetch::Response response(fetch::Transport t, long status, std::string body = {}) {
    fetch::Response r;
    r.transport = t;
    r.http_status = status;
    r.body = std::move(body);
    r.error = t == fetch::Transport::complete ? "" : "failed";
    return r;
}

} // namespace

TEST_SUITE("fetch") {

    TEST_CASE("a robots.txt read is kept 24 h and its rules apply") {
        const auto a = fetch::robots_answer(
            response(fetch::Transport::complete, 200, "User-agent: trendd\nDisallow: /private/\n"));
        CHECK(a.state == fetch::RobotsState::ok);
        CHECK(a.ttl == Seconds{24 * 3600});
        CHECK_FALSE(fetch::allowed(a.robots, "trendd", "/private/page"));
        CHECK(fetch::allowed(a.robots, "trendd", "/news/page"));
        // Rebuilt from what is stored, after a restart.
        const auto again = fetch::robots_of(a.state, a.body);
        CHECK_FALSE(fetch::allowed(again, "trendd", "/private/page"));
    }

    TEST_CASE("4xx allows everything; 5xx, 429 and network errors disallow for a while") {
        const auto missing = fetch::robots_answer(response(fetch::Transport::complete, 404));
        CHECK(missing.state == fetch::RobotsState::unavailable);
        CHECK(missing.ttl == Seconds{24 * 3600});
        CHECK(fetch::allowed(missing.robots, "trendd", "/anything"));
        for (const auto& r :
             {response(fetch::Transport::complete, 503), response(fetch::Transport::complete, 429),
              response(fetch::Transport::timeout, 0),
              response(fetch::Transport::network_error, 0)}) {
            const auto a = fetch::robots_answer(r);
            CHECK(a.state == fetch::RobotsState::unreachable);
            CHECK(a.ttl == fetch::k_robots_retry);
            CHECK_FALSE(fetch::allowed(a.robots, "trendd", "/anything"));
            CHECK_FALSE(a.error.empty());
        }
        const auto loop = fetch::robots_answer(response(fetch::Transport::redirect_loop, 0));
        CHECK(loop.state == fetch::RobotsState::unavailable);
        const auto blocked = fetch::robots_answer(response(fetch::Transport::blocked_address, 0));
        CHECK(blocked.state == fetch::RobotsState::refused);
        CHECK_FALSE(fetch::allowed(blocked.robots, "trendd", "/"));
    }

    TEST_CASE("robots states round-trip through their stored spelling") {
        for (const auto s : {fetch::RobotsState::ok, fetch::RobotsState::unavailable,
                             fetch::RobotsState::unreachable, fetch::RobotsState::refused})
            CHECK(fetch::robots_state_from_string(fetch::to_string(s)) == s);
        CHECK(fetch::robots_state_from_string("junk") == fetch::RobotsState::unreachable);
    }
}
