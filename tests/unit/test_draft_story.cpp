// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/draft/story.hpp"

using namespace trend;
using namespace std::chrono_literals;

namespace {

const Timestamp k_t0 = *parse_iso("2026-10-01T18:00:00Z");

draft::Story story_with_timeline() {
    draft::Story s;
    s.term = "renee good";
    s.geo = "US";
    s.detected_at = k_t0;
    s.timeline = {{k_t0 - 3h, "US", 1000, "1000+", 9}, {k_t0, "US", 10000, "10000+", 1}};
    return s;
}

} // namespace

TEST_SUITE("draft") {

    TEST_CASE("a story started at its earliest pubDate") {
        auto s = story_with_timeline();
        s.timeline[0].started_at = k_t0 - 5h;
        s.timeline[1].started_at = k_t0 - 4h;
        CHECK(draft::story_started_at(s) == k_t0 - 5h);
        SUBCASE("a news item published earlier moves the start back") {
            s.articles = {test::news_article("t", "https://x.example/a", "CNN", "", "", k_t0)};
            s.articles[0].published_at = k_t0 - 6h;
            CHECK(draft::story_started_at(s) == k_t0 - 6h);
        }
    }

    TEST_CASE("without pubDates a story started at our first observation") {
        auto s = story_with_timeline();
        CHECK(draft::story_started_at(s) == k_t0 - 3h);
        s.timeline.clear();
        CHECK(draft::story_started_at(s) == k_t0);
    }

    TEST_CASE("pubDates after the detection or long before our observations are not believed") {
        auto s = story_with_timeline();
        s.timeline[0].started_at = k_t0 + 1h;                                // in the future
        s.timeline[1].started_at = k_t0 - 3h - draft::k_max_story_lead - 1s; // years ago
        s.articles = {test::news_article("t", "https://x.example/a", "CNN", "", "", k_t0)};
        s.articles[0].published_at = Timestamp{}; // 1970
        CHECK(draft::story_started_at(s) == k_t0 - 3h);
        s.timeline[1].started_at = k_t0 - 3h - draft::k_max_story_lead;
        CHECK(draft::story_started_at(s) == k_t0 - 3h - draft::k_max_story_lead);
    }

    TEST_CASE("display_label groups thousands one way") {
        CHECK(draft::display_label("10000+") == "10,000+");
        CHECK(draft::display_label("10,000+") == "10,000+");
        CHECK(draft::display_label("200000+") == "200,000+");
        CHECK(draft::display_label("1000000") == "1,000,000");
        CHECK(draft::display_label("500+") == "500+");
        CHECK(draft::display_label("0") == "0");
        // Labels that are not plain numbers are left as the feed wrote them.
        for (const char* label : {"", "+", "20K+", "#3", "2천+", ",000+", "1.5M+", "10000++",
                                  "99999999999999999999999+"})
            CHECK(draft::display_label(label) == label);
    }

} // TEST_SUITE("draft")
