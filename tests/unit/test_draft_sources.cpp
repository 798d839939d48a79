// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/draft/sources.hpp"

using trend::draft::Story;
using trend::draft::StorySignal;

namespace {

StorySignal signal(std::string platform, std::string term, std::string url, std::string label,
                   std::string kind, std::optional<std::int64_t> comments) {
    StorySignal g;
    g.platform = std::move(platform);
    g.feed = "feed";
    g.term = std::move(term);
    g.url = std::move(url);
    g.traffic_label = std::move(label);
    g.traffic_kind = std::move(kind);
    g.comments = comments;
    return g;
}

} // namespace

TEST_SUITE("draft") {

    TEST_CASE("Hacker News discussions are cited with platform, points and comments") {
        Story s;
        s.signals = {
            signal("wikipedia", "OpenAI", "https://en.wikipedia.org/wiki/OpenAI", "250000", "views",
                   std::nullopt),
            signal("hackernews", "OpenAI and Amazon sign a deal",
                   "https://news.ycombinator.com/item?id=1", "812", "points", 431),
            signal("hackernews", "Same discussion again", "https://news.ycombinator.com/item?id=1",
                   "900", "points", 500),
            signal("hackernews", "No link", "", "10", "points", 1),
        };
        const auto sources = trend::draft::discussion_sources(s);
        REQUIRE(sources.size() == 1);
        CHECK(sources[0].title == "OpenAI and Amazon sign a deal");
        CHECK(sources[0].url == "https://news.ycombinator.com/item?id=1");
        CHECK(sources[0].source == "Hacker News");
        CHECK(sources[0].platform == "hackernews");
        CHECK(sources[0].points == 812);
        CHECK(sources[0].comments == 431);
        CHECK(trend::draft::source_note(sources[0]) == ", discussion: 812 points, 431 comments");
    }

    TEST_CASE("an article has no discussion note; signals are stated as our own data") {
        trend::draft::Source article{"T", "https://x.example/", "NYT"};
        CHECK(article.platform == "news");
        CHECK(trend::draft::source_note(article).empty());
        Story s;
        s.signals = {signal("mastodon", "#OpenAIAmazon", "", "806", "uses", std::nullopt)};
        const auto facts = trend::draft::signal_facts(s);
        REQUIRE(facts.size() == 1);
        CHECK(facts[0] == "seen on Mastodon (feed): “#OpenAIAmazon”, 806 uses");
    }
}
