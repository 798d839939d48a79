// SPDX-License-Identifier: MIT
// Status and metrics: what the daemon says about itself.
#include "support.hpp"
#include "trend/daemon/status.hpp"

using namespace trend;
using namespace std::chrono_literals;

TEST_SUITE("daemon") {

    TEST_CASE("drafts that fail or retry, and an unwritable drafts_dir, are degraded") {
        daemon::DaemonStatus s;
        s.totals.drafts_retrying = 2;
        s.problems = {"drafts_dir: /x is not a directory"};
        const auto reasons = daemon::degraded_reasons(s);
        REQUIRE(reasons.size() == 2);
        CHECK(reasons[0] == "2 draft(s) failing and queued for a retry");
        CHECK(reasons[1] == "drafts_dir: /x is not a directory");
        CHECK(daemon::status_json(s).find("\"healthy\":false") != std::string::npos);
    }

    TEST_CASE("status and metrics say what is failing") {
        daemon::DaemonStatus s;
        s.version = "0.1.0";
        s.pid = 42;
        s.started_at = *parse_iso("2025-11-03T14:00:00Z");
        s.now = s.started_at + 90s;
        daemon::FeedSchedule ok;
        ok.feed.name = "us";
        ok.last_outcome = "ok";
        ok.last_success_at = s.started_at + 30s;
        ok.polls_by_outcome = {{"ok", 3}};
        daemon::FeedSchedule bad;
        bad.feed.name = "gb";
        bad.last_outcome = "timeout";
        bad.failures_in_row = 2;
        bad.backoff = 120s;
        bad.polls_by_outcome = {{"timeout", 2}};
        s.feeds = {ok, bad};
        s.totals.observations = 10;
        s.totals.spikes = 1;
        s.drafts_by_status = {{"queued", 0}, {"draft", 1}};

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
        CHECK(text.find("trendd_observations 10\n") != std::string::npos);
        CHECK(text.find("trendd_drafts{status=\"draft\"} 1\n") != std::string::npos);
        CHECK(text.find("trendd_drafts{status=\"queued\"} 0\n") != std::string::npos);
        // Every outcome of every feed is a series from the start.
        CHECK(text.find("trendd_polls_total{feed=\"us\",outcome=\"blocked\"} 0\n") !=
              std::string::npos);
        CHECK(text.find("trendd_feed_last_success_timestamp_seconds{feed=\"us\"} 1762178430\n") !=
              std::string::npos);
        CHECK(text.find("trendd_feed_last_success_timestamp_seconds{feed=\"gb\"} 0\n") !=
              std::string::npos);
        CHECK(text.find("trendd_healthy 0\n") != std::string::npos);
        CHECK(text.find("# TYPE trendd_loop_lag_seconds gauge\n") != std::string::npos);
    }

} // TEST_SUITE
