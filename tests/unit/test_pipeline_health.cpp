// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/pipeline/health.hpp"

#include <chrono>
#include <optional>
#include <string>

using namespace std::chrono_literals;
using trend::ManualClock;
using trend::Seconds;
using trend::feed::Item;
using trend::feed::Snapshot;
using trend::pipeline::evaluate_health;
using trend::pipeline::health_sample;
using trend::pipeline::HealthProblem;
using trend::pipeline::HealthSettings;
using trend::pipeline::HealthVerdict;
using trend::store::FeedHealthRow;

namespace {

/** A Google Trends-like snapshot: `n` items, with news items and parsed traffic or not. */
Snapshot trends(int n, bool news, bool traffic, const std::string& salt = "") {
    Snapshot s;
    for (int i = 0; i < n; ++i) {
        Item it;
        it.term = "term " + std::to_string(i) + salt;
        it.traffic.label = traffic ? "2000+" : "lots";
        if (traffic)
            it.traffic.value = 2000;
        if (news)
            it.news.push_back(
                {"headline", "https://example.com/" + std::to_string(i), "Ex", "", ""});
        s.items.push_back(std::move(it));
    }
    return s;
}

/** Feeds answers to the evaluator as the Poller does, keeping the state. */
struct Feed {
    ManualClock clock{trend::Timestamp{} + 1'700'000'000s};
    HealthSettings settings{Seconds{600}, std::nullopt};
    std::optional<FeedHealthRow> state;

    HealthVerdict answer(const Snapshot& s) {
        HealthVerdict v = evaluate_health(state, health_sample(s, clock.now()), settings);
        state = v.state;
        return v;
    }
    HealthVerdict not_modified() {
        trend::pipeline::HealthSample sample;
        sample.at = clock.now();
        sample.not_modified = true;
        HealthVerdict v = evaluate_health(state, sample, settings);
        state = v.state;
        return v;
    }
};

} // namespace

TEST_SUITE("pipeline") {

    TEST_CASE("an answer without items is degraded once, until items come back") {
        Feed f;
        CHECK(f.answer(trends(5, true, true)).changes.empty());
        f.clock.advance(600s);
        HealthVerdict v = f.answer(trends(0, true, true));
        REQUIRE(v.changes.size() == 1);
        CHECK(v.changes[0].problem == HealthProblem::no_items);
        CHECK(v.changes[0].started);
        CHECK(v.state.problems.find("no items") != std::string::npos);
        // The next empty answers say nothing more: one warning per episode.
        f.clock.advance(600s);
        CHECK(f.answer(trends(0, true, true)).changes.empty());
        f.clock.advance(600s);
        v = f.answer(trends(3, true, true));
        REQUIRE(v.changes.size() == 1);
        CHECK_FALSE(v.changes[0].started);
        CHECK(v.state.problems.empty());
    }

    TEST_CASE("the same content far longer than the feed's change rate is frozen") {
        Feed f;
        // The feed changes every 20 minutes for a while: it learns that rate.
        for (int i = 0; i < 6; ++i) {
            CHECK(f.answer(trends(5, true, true, std::to_string(i))).changes.empty());
            f.clock.advance(1200s);
        }
        // Then it keeps answering the same list: frozen after max(6 x 10m, 2h, 4 x 20m) = 2h.
        const Snapshot same = trends(5, true, true, "same");
        bool frozen = false;
        int warnings = 0;
        for (int i = 0; i <= 13; ++i) {
            const HealthVerdict v = (i % 2 == 0) ? f.answer(same) : f.not_modified();
            for (const auto& c : v.changes) {
                CHECK(c.problem == HealthProblem::frozen);
                CHECK(c.started);
                ++warnings;
            }
            frozen = !v.state.problems.empty();
            if (i < 12)
                CHECK_FALSE(frozen); // under 2 hours
            f.clock.advance(600s);
        }
        CHECK(frozen);
        CHECK(warnings == 1);
        CHECK(f.state->problems.find("the same content since") != std::string::npos);
        const HealthVerdict v = f.answer(trends(5, true, true, "new"));
        REQUIRE(v.changes.size() == 1);
        CHECK_FALSE(v.changes[0].started);
    }

    TEST_CASE("frozen_after set on the feed replaces the learnt threshold") {
        Feed f;
        f.settings.frozen_after = Seconds{1800};
        const Snapshot same = trends(3, true, true);
        f.answer(same);
        f.clock.advance(1200s);
        CHECK(f.answer(same).changes.empty());
        f.clock.advance(600s);
        const HealthVerdict v = f.answer(same);
        REQUIRE(v.changes.size() == 1);
        CHECK(v.changes[0].problem == HealthProblem::frozen);
    }

    TEST_CASE("Trends items without news items are schema drift") {
        Feed f;
        for (int i = 0; i < 3; ++i) {
            CHECK(f.answer(trends(5, true, true, std::to_string(i))).changes.empty());
            f.clock.advance(600s);
        }
        HealthVerdict v = f.answer(trends(5, false, true, "x"));
        REQUIRE(v.changes.size() == 1);
        CHECK(v.changes[0].problem == HealthProblem::schema_drift);
        CHECK(v.state.problems.find("no longer have news") != std::string::npos);
        f.clock.advance(600s);
        CHECK(f.answer(trends(5, false, true, "y")).changes.empty());
        f.clock.advance(600s);
        v = f.answer(trends(5, true, true, "z"));
        REQUIRE(v.changes.size() == 1);
        CHECK_FALSE(v.changes[0].started);
    }

    TEST_CASE("traffic labels that stop parsing are schema drift") {
        Feed f;
        for (int i = 0; i < 3; ++i) {
            f.answer(trends(4, true, true, std::to_string(i)));
            f.clock.advance(600s);
        }
        const HealthVerdict v = f.answer(trends(4, true, false, "x"));
        REQUIRE(v.changes.size() == 1);
        CHECK(v.changes[0].problem == HealthProblem::schema_drift);
        CHECK(v.changes[0].message.find("traffic") != std::string::npos);
    }

    TEST_CASE("a field a feed never had is no drift, nor is one missing from a young feed") {
        Feed f;
        // Two answers with news, then none: too short a history to call it drift.
        f.answer(trends(4, true, true, "a"));
        f.clock.advance(600s);
        f.answer(trends(4, true, true, "b"));
        f.clock.advance(600s);
        CHECK(f.answer(trends(4, false, true, "c")).changes.empty());
        // Authors were never there: nothing to lose.
        CHECK(f.state->drift_fields.empty());
    }

    TEST_CASE("the content hash ignores skipped items and changes with traffic labels") {
        Snapshot a = trends(2, true, true);
        Snapshot b = a;
        Item skipped;
        skipped.term = "Main_Page";
        skipped.skip_reason = "main page";
        b.items.push_back(skipped);
        const auto now = trend::Timestamp{};
        CHECK(health_sample(a, now).content_hash == health_sample(b, now).content_hash);
        CHECK(health_sample(b, now).items == 2);
        b.items[0].traffic.label = "5000+";
        CHECK(health_sample(a, now).content_hash != health_sample(b, now).content_hash);
    }
}
