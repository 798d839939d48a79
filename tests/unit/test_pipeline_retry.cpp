// SPDX-License-Identifier: MIT
// One retry policy for feeds, draft jobs, webhooks and page fetches.
#include "support.hpp"
#include "trend/daemon/scheduler.hpp"
#include "trend/pipeline/draft_worker.hpp"
#include "trend/pipeline/notifier.hpp"
#include "trend/pipeline/retry.hpp"

using namespace trend;
using namespace std::chrono_literals;

TEST_SUITE("pipeline") {

    TEST_CASE("the wait doubles from `first` up to `max`") {
        const pipeline::RetryPolicy p{.first = 2s, .max = 60s};
        CHECK(p.delay(1, std::nullopt, 0.5) == 2s);
        CHECK(p.delay(2, std::nullopt, 0.5) == 4s);
        CHECK(p.delay(5, std::nullopt, 0.5) == 32s);
        CHECK(p.delay(6, std::nullopt, 0.5) == 60s);
        CHECK(p.delay(1000, std::nullopt, 0.5) == 60s); // no overflow
        CHECK(p.delay(0, std::nullopt, 0.5) == 2s);     // nonsense input: the first wait
    }

    TEST_CASE("jitter spreads the wait, never the Retry-After floor") {
        const pipeline::RetryPolicy p{.first = 100s, .max = 1000s, .jitter = 0.2};
        CHECK(p.delay(1, std::nullopt, 0.0) == 80s);
        CHECK(p.delay(1, std::nullopt, 0.5) == 100s);
        CHECK(p.delay(1, std::nullopt, 0.999) == 120s);
        // A server that asks for 300 s gets at least 300 s, whatever the draw.
        CHECK(p.delay(1, 300s, 0.0) == 300s);
        CHECK(p.delay(1, 5s, 0.0) == 80s); // a short Retry-After does not shorten the backoff
    }

    TEST_CASE("Retry-After is honoured up to its cap, and the floor holds") {
        const pipeline::RetryPolicy p{
            .first = 60s, .max = 600s, .retry_after_max = 3600s, .floor = 120s};
        CHECK(p.delay(1, 3000s, 0.5) == 3000s);
        CHECK(p.delay(1, std::chrono::seconds{315360000}, 0.5) == 3600s); // ten years: capped
        CHECK(p.delay(1, std::nullopt, 0.5) == 120s);                     // floor over first
    }

    TEST_CASE("attempts are bounded when the policy says so") {
        const pipeline::RetryPolicy once{.max_attempts = 2};
        CHECK(once.allows_another(1));
        CHECK_FALSE(once.allows_another(2));
        CHECK(pipeline::RetryPolicy{}.allows_another(1000));
    }

    TEST_CASE("the policies of feeds, LLM calls, webhooks and local draft failures") {
        SUBCASE("feeds: interval +-10%, then from max(interval, 1m), capped, never faster") {
            const auto feed = daemon::feed_retry_policy(600s, 6h);
            CHECK(feed.delay(1, std::nullopt, 0.5) == 600s);
            CHECK(feed.delay(2, std::nullopt, 0.5) == 1200s);
            CHECK(feed.delay(3, std::nullopt, 0.5) == 2400s);
            CHECK(feed.delay(30, std::nullopt, 0.5) == 6h);
            CHECK(feed.delay(1, std::nullopt, 0.0) == 540s);
            CHECK(feed.delay(1, std::nullopt, 0.999) == 660s);
            CHECK(feed.delay(1, 3600s, 0.5) == 3600s);
            CHECK(feed.delay(1, std::chrono::seconds{315360000}, 0.5) == 6h);
            CHECK(daemon::feed_retry_policy(2s, 6h).delay(1, std::nullopt, 0.5) == 60s);
            CHECK(daemon::feed_retry_policy(3600s, 60s).delay(1, std::nullopt, 0.5) == 3600s);
        }
        SUBCASE("LLM calls: 2 s doubling to 10 min, +-20%, Retry-After up to an hour") {
            config::OpenAIConfig cfg;
            cfg.max_attempts = 5;
            const auto llm = pipeline::llm_retry_policy(cfg);
            CHECK(llm.delay(1, std::nullopt, 0.5) == 2s);
            CHECK(llm.delay(3, std::nullopt, 0.5) == 8s);
            CHECK(llm.delay(20, std::nullopt, 0.5) == 600s);
            CHECK(llm.delay(1, 7200s, 0.5) == 3600s);
            CHECK(llm.allows_another(4));
            CHECK_FALSE(llm.allows_another(5));
        }
        SUBCASE("webhooks: 1 s doubling to 10 min, six attempts") {
            CHECK(pipeline::k_webhook_retry.delay(1, std::nullopt, 0.5) == 1s);
            CHECK(pipeline::k_webhook_retry.delay(3, std::nullopt, 0.5) == 4s);
            CHECK(pipeline::k_webhook_retry.delay(40, std::nullopt, 0.5) == 600s);
            CHECK(pipeline::k_webhook_retry.delay(1, 120s, 0.5) == 120s);
            CHECK_FALSE(pipeline::k_webhook_retry.allows_another(6));
        }
        SUBCASE("draft jobs that failed without an LLM: 2 min, 4 min, then failed") {
            CHECK(pipeline::k_local_draft_retry.delay(1, std::nullopt, 0.5) == 120s);
            CHECK(pipeline::k_local_draft_retry.delay(2, std::nullopt, 0.5) == 240s);
            CHECK_FALSE(pipeline::k_local_draft_retry.allows_another(3));
        }
    }

    TEST_CASE("random_unit draws from 0 up to but not including 1") {
        for (int i = 0; i < 1000; ++i) {
            const double u = pipeline::random_unit();
            REQUIRE(u >= 0.0);
            REQUIRE(u < 1.0);
        }
    }
}
