// SPDX-License-Identifier: MIT
// The pure parts of the event loop: backoff, concurrency limits, status and metrics rendering.
#include "support.hpp"
#include "trend/pipeline/fetch_limiter.hpp"
#include "trend/daemon/service.hpp"
#include "trend/daemon/status.hpp"

using namespace trend;
using namespace std::chrono_literals;

TEST_SUITE("daemon") {

    TEST_CASE("a healthy feed waits its interval with jitter") {
        CHECK(daemon::next_poll_delay(600s, 0, std::nullopt, 6h, 0.0) == 540s);
        CHECK(daemon::next_poll_delay(600s, 0, std::nullopt, 6h, 0.5) == 600s);
        CHECK(daemon::next_poll_delay(600s, 0, std::nullopt, 6h, 0.999) == 660s);
    }

    TEST_CASE("a failing feed backs off exponentially up to the cap") {
        CHECK(daemon::next_poll_delay(600s, 1, std::nullopt, 6h, 0.5) == 600s);
        CHECK(daemon::next_poll_delay(600s, 2, std::nullopt, 6h, 0.5) == 1200s);
        CHECK(daemon::next_poll_delay(600s, 3, std::nullopt, 6h, 0.5) == 2400s);
        CHECK(daemon::next_poll_delay(600s, 30, std::nullopt, 6h, 0.5) == 6h);
        SUBCASE("short intervals back off from a minute") {
            CHECK(daemon::next_poll_delay(2s, 1, std::nullopt, 6h, 0.5) == 60s);
        }
        SUBCASE("Retry-After is a floor, up to the cap") {
            CHECK(daemon::next_poll_delay(600s, 1, 3600s, 6h, 0.5) == 3600s);
            CHECK(daemon::next_poll_delay(600s, 1, 5s, 6h, 0.5) == 600s);
            CHECK(daemon::next_poll_delay(600s, 1, std::chrono::seconds{315360000}, 6h, 0.5) == 6h);
        }
        SUBCASE("a failing feed never polls more often than a healthy one") {
            CHECK(daemon::next_poll_delay(3600s, 1, std::nullopt, 60s, 0.5) == 3600s);
        }
    }

    TEST_CASE("the fetch limiter holds total and per-host limits in FIFO order") {
        pipeline::FetchLimiter l(3, 2);
        CHECK(l.acquire("a1", "a.example"));
        CHECK(l.acquire("a2", "a.example"));
        CHECK_FALSE(l.acquire("a3", "a.example")); // host full
        CHECK(l.acquire("b1", "b.example"));       // another host is not held up
        CHECK_FALSE(l.acquire("c1", "c.example")); // total full
        CHECK(l.active() == 3);
        CHECK(l.waiting() == 2);
        CHECK_FALSE(l.next()); // nothing fits yet

        l.release("b.example"); // frees a total slot, a.example still full
        auto n = l.next();
        REQUIRE(n);
        CHECK(n->first == "c1");
        l.release("a.example");
        n = l.next();
        REQUIRE(n);
        CHECK(n->first == "a3");
        CHECK(l.waiting() == 0);

        l.acquire("x", "a.example"); // queued
        l.forget("x");
        CHECK(l.waiting() == 0);
    }

    TEST_CASE("status and metrics say what is failing") {
        daemon::DaemonStatus s;
        s.version = "0.1.0";
        s.pid = 42;
        s.started_at = *parse_iso("2025-11-03T14:00:00Z");
        s.now = s.started_at + 90s;
        daemon::FeedStatus ok;
        ok.name = "us";
        ok.last_outcome = "ok";
        ok.polls_by_outcome = {{"ok", 3}};
        daemon::FeedStatus bad;
        bad.name = "gb";
        bad.last_outcome = "timeout";
        bad.failures_in_row = 2;
        bad.backoff = 120s;
        bad.polls_by_outcome = {{"timeout", 2}};
        s.feeds = {ok, bad};
        s.totals = {{"observations", "spikes", "drafts_failed_24h"},
                    {{std::int64_t{10}, std::int64_t{1}, std::int64_t{0}}}};
        s.drafts_by_status = {{"status", "n"}, {{std::string("draft"), std::int64_t{1}}}};

        const auto reasons = daemon::degraded_reasons(s);
        REQUIRE(reasons.size() == 1);
        CHECK(reasons[0] == "feed gb failing (2 in a row: timeout)");

        const std::string json = daemon::status_json(s);
        CHECK(json.find("\"healthy\":false") != std::string::npos);
        CHECK(json.find("\"uptime_s\":90") != std::string::npos);
        CHECK(json.find("\"backoff_s\":120") != std::string::npos);

        const std::string text = daemon::metrics_text(s);
        CHECK(text.find("trendd_polls_total{feed=\"gb\",outcome=\"timeout\"} 2\n") !=
              std::string::npos);
        CHECK(text.find("trendd_feed_failures_in_row{feed=\"gb\"} 2\n") != std::string::npos);
        CHECK(text.find("trendd_observations_total 10\n") != std::string::npos);
        CHECK(text.find("trendd_drafts{status=\"draft\"} 1\n") != std::string::npos);
        CHECK(text.find("# TYPE trendd_loop_lag_seconds gauge\n") != std::string::npos);
    }

} // TEST_SUITE
