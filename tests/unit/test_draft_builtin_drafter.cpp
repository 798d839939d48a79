// SPDX-License-Identifier: MIT
#include "../fuzz/markdown_check.hpp"
#include "support.hpp"
#include "trend/draft/builtin_drafter.hpp"
#include "trend/draft/grounding.hpp"

using namespace trend;
using namespace std::chrono_literals;

namespace {

const Timestamp k_t0 = *parse_iso("2025-11-03T18:00:00Z");

draft::Story openai_story() {
    draft::Story s;
    s.spike_id = 17;
    s.rule = "buzz-20k";
    s.term = "openai";
    s.geo = "US";
    s.feed = "google-trends-us";
    s.detected_at = k_t0;
    s.traffic = 20000;
    s.traffic_label = "20,000+";
    s.reason = "20,000+ reached the threshold 20,000 (previously 2,000+)";
    s.picture = "https://img.example/openai.jpg";
    s.picture_source = "The New York Times";
    s.articles = {
        test::news_article("OpenAI signs $38 billion cloud deal with Amazon",
                           "https://nyt.example/a", "The New York Times", "",
                           "The deal runs for seven years.", k_t0),
        // the same headline at another URL
        test::news_article("OpenAI signs $38 billion cloud deal with Amazon",
                           "https://nyt.example/b", "The New York Times", "", "", k_t0),
        test::news_article("Amazon shares rise 5% after OpenAI agreement",
                           "https://reuters.example/c", "Reuters", "", "", k_t0),
    };
    s.timeline = {{k_t0 - 4h, "US", 200, "200+", 9},
                  {k_t0 - 3h, "US", 200, "200+", 7},
                  {k_t0 - 1h, "US", 2000, "2,000+", 3},
                  {k_t0, "US", 20000, "20,000+", 1}};
    s.other_geos = {{"GB", "5,000+", 5000}};
    s.related = {{"amazon", 2}};
    return s;
}

std::size_t position(const std::string& body, const std::string& what) {
    const auto p = body.find(what);
    REQUIRE_MESSAGE(p != std::string::npos, "missing: " << what);
    return p;
}

} // namespace

TEST_SUITE("draft") {

    TEST_CASE("the built-in brief (no extracted page) has every section in order") {
        const auto d = draft::draft_builtin(openai_story());
        // The sources' best headline, not "Why X is trending".
        CHECK(d.title == "OpenAI signs $38 billion cloud deal with Amazon");
        const std::string& b = d.body;
        // No H1: the title is the front matter's, and themes print it.
        CHECK_FALSE(b.starts_with("# "));
        CHECK(b.find("\n# ") == std::string::npos);
        const auto takeaways = position(b, "**Key takeaways**");
        CHECK(takeaways == 0);
        const auto happened = position(b, "## What happened");
        const auto timeline = position(b, "## Timeline");
        const auto where = position(b, "## Where");
        const auto sources = position(b, "## Sources");
        CHECK(takeaways < happened);
        CHECK(happened < timeline);
        CHECK(timeline < where);
        CHECK(where < sources);
        // The editors' review cut these two.
        CHECK(b.find("What to watch") == std::string::npos);
        CHECK(b.find("Why it is trending now") == std::string::npos);
    }

    TEST_CASE("the built-in explainer uses the story and nothing else") {
        const auto story = openai_story();
        const auto d = draft::draft_builtin(story);
        const std::string& b = d.body;
        SUBCASE("near-identical headlines are one source") {
            REQUIRE(d.sources.size() == 2);
            CHECK(d.sources[0].url == "https://nyt.example/a");
            CHECK(d.sources[1].source == "Reuters");
            CHECK(b.find("https://nyt.example/b") == std::string::npos);
        }
        SUBCASE("the traffic timeline comes from our observations") {
            CHECK(b.find("first seen at 200+ at 2025-11-03 14:00 UTC and reached 20,000+ by "
                         "2025-11-03 18:00 UTC, about 100 times its first bucket") !=
                  std::string::npos);
            CHECK(b.find("| 2025-11-03 17:00 | 2,000+ |") != std::string::npos);
            CHECK(b.find("| 2025-11-03 15:00 |") ==
                  std::string::npos); // unchanged bucket: not repeated
        }
        SUBCASE("other geos and related terms are named") {
            CHECK(b.find("the UK (5,000+)") != std::string::npos);
            CHECK(b.find("“amazon”") != std::string::npos);
            CHECK(d.tags == std::vector<std::string>{"openai", "amazon", "us"});
        }
        SUBCASE("the cover credits the picture's source") {
            REQUIRE(d.cover);
            CHECK(d.cover->image == "https://img.example/openai.jpg");
            CHECK(d.cover->credit == "The New York Times");
            CHECK(d.cover->alt == "OpenAI signs $38 billion cloud deal with Amazon");
        }
        SUBCASE("reader copy holds no rule mechanics") {
            CHECK(b.find("buzz-20k") == std::string::npos);
            CHECK(b.find("rule") == std::string::npos);
            CHECK(b.find("threshold") == std::string::npos);
            CHECK(b.find("fired") == std::string::npos);
        }
        SUBCASE("every number, quote and name in it passes the grounding check") {
            // The outlets' names ("The New York Times") are the sources', not claims.
            CHECK(draft::grounding::unverified_claims(b, draft::evidence_of(story, d),
                                                      draft::source_names(story))
                      .empty());
            CHECK(draft::grounding::untraced(
                      draft::grounding::trace_claims(b, draft::evidence_texts(story, d),
                                                     draft::source_names(story)))
                      .empty());
        }
        SUBCASE("it is deterministic") {
            CHECK(draft::draft_builtin(story).body == b);
        }
    }

    TEST_CASE("with no coverage the explainer is short and says so") {
        auto s = openai_story();
        s.articles.clear();
        s.other_geos.clear();
        s.related.clear();
        s.timeline = {{k_t0, "US", 20000, "20,000+", 1}};
        s.picture.clear();
        const auto d = draft::draft_builtin(s);
        CHECK(d.sources.empty());
        CHECK_FALSE(d.cover);
        CHECK(d.title == "Why “openai” is trending in the US");
        CHECK(d.body.find("No news item came with the trend") != std::string::npos);
        CHECK(d.body.find("a single source") == std::string::npos);
        CHECK(d.body.find("It entered the feed at 20,000+") != std::string::npos);
        CHECK(d.body.size() < draft::draft_builtin(openai_story()).body.size());
        CHECK(draft::grounding::unverified_claims(d.body, draft::evidence_of(s, d)).empty());
    }

    TEST_CASE("a claim the sources do not make is caught by the grounding check") {
        const auto story = openai_story();
        auto d = draft::draft_builtin(story);
        d.body += "\nAnalysts expect a $100B+ follow-on deal.\n";
        const auto unverified = draft::grounding::unverified_claims(
            d.body, draft::evidence_of(story, d), draft::source_names(story));
        REQUIRE(unverified.size() == 1);
        CHECK(unverified.front().find("100") != std::string::npos);
    }

    TEST_CASE("hostile feed text never becomes a link, a tag or Markdown in the explainer") {
        auto s = openai_story();
        s.term = "<script>alert(1)</script> *x*";
        s.traffic_label = "20,000+ | <b>";
        s.articles = {
            test::news_article("Deal [update](javascript:alert(2)) <img src=x onerror=alert(3)>",
                               "https://x.example/a)[evil](javascript:alert(7)", "<b>Times</b>", "",
                               "snippet ![p](data:x) `code`", k_t0),
            test::news_article("Second headline", "javascript:alert(4)", "Reuters", "", "", k_t0),
        };
        s.related = {{"<svg onload=alert(5)>", 2}};
        s.other_geos = {{"GB", "5,000+<i>", 5000}};
        s.timeline.back().label = "20,000+ | x";
        const auto d = draft::draft_builtin(s);
        const auto problem = fuzz::unsafe_markup(d.body);
        CHECK_MESSAGE(!problem, *problem << "\n" << d.body);
        CHECK(d.body.find("- Searches for “&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*x\\*” "
                          "in the US reached") != std::string::npos);
        // The smuggled link stays inside one https URL; the javascript: one is plain text.
        CHECK(d.body.find("1. [Deal \\[update\\]\\(javascript:alert\\(2\\)\\) &lt;img src=x "
                          "onerror=alert\\(3\\)&gt;](https://x.example/"
                          "a%29[evil]%28javascript:alert%287%29), &lt;b&gt;Times&lt;/b&gt;\n") !=
              std::string::npos);
        CHECK(d.body.find("2. Second headline, Reuters\n") != std::string::npos);
        CHECK(d.body.find("| 20,000+ \\| x |") != std::string::npos);
        // Titles stay plain text: the front matter applies its own policy.
        CHECK(d.title == "Deal [update](javascript:alert(2)) <img src=x onerror=alert(3)>");
        // Escaping does not hide anything from the grounding check.
        CHECK(draft::grounding::unverified_claims(d.body, draft::evidence_of(s, d)).empty());
    }

    TEST_CASE("traffic labels are written one way: 10,000+, never 10000+") {
        auto s = openai_story();
        s.traffic = 10000;
        s.traffic_label = "10000+";
        s.timeline = {{k_t0 - 2h, "US", 1000, "1000+", 3}, {k_t0, "US", 10000, "10000+", 1}};
        s.other_geos = {{"GB", "5000+", 5000}};
        const auto d = draft::draft_builtin(s);
        for (const std::string& text : {d.body, d.summary}) {
            CAPTURE(text);
            CHECK(text.find("10000") == std::string::npos);
            CHECK(text.find("1000+") == std::string::npos);
            CHECK(text.find("5000") == std::string::npos);
        }
        CHECK(d.body.find("reached 10,000+") != std::string::npos);
        CHECK(d.body.find("| 2025-11-03 16:00 | 1,000+ |") != std::string::npos);
        CHECK(d.body.find("the UK (5,000+)") != std::string::npos);
        CHECK(d.summary.find("reached 10,000+ in the US") != std::string::npos);
        for (const std::string& f : d.facts)
            CHECK(f.find("10000") == std::string::npos);
    }

    TEST_CASE("a number in an outlet's name is that outlet's, not a claim") {
        auto s = openai_story();
        s.articles = {
            test::news_article("Renee Good: what we know", "https://c4.example/a", "Channel 4 News",
                               "", "", k_t0),
            test::news_article("Deal struck", "https://b.example/b", "9News", "", "", k_t0)};
        const auto d = draft::draft_builtin(s);
        REQUIRE(d.body.find("Channel 4 News") != std::string::npos);
        const auto names = draft::source_names(s);
        CHECK(names == std::vector<std::string>{"Channel 4 News", "9News"});
        CHECK(draft::grounding::unverified_claims(d.body, draft::evidence_of(s, d), names).empty());
        // The same digit outside the name is still a claim.
        const std::string extra = d.body + "\nChannel 4 News says 4 people were hurt.\n";
        CHECK(draft::grounding::unverified_claims(extra, draft::evidence_of(s, d), names) ==
              std::vector<std::string>{"4"});
        // A headline quoting the name stays the source's exact words.
        s.articles[0].title = "Channel 4 News: the 3 questions";
        const auto quoted = draft::draft_builtin(s);
        REQUIRE(quoted.body.find("“Channel 4 News: the 3 questions”") != std::string::npos);
        CHECK(draft::grounding::unverified_claims(quoted.body, draft::evidence_of(s, quoted), names)
                  .empty());
    }

    TEST_CASE("the cover falls back to the first news item with a picture") {
        auto s = openai_story();
        s.picture.clear();
        s.picture_source.clear();
        s.articles[2].picture = "https://img.example/reuters.jpg";
        const auto d = draft::draft_builtin(s);
        REQUIRE(d.cover);
        CHECK(d.cover->image == "https://img.example/reuters.jpg");
        CHECK(d.cover->alt == "Amazon shares rise 5% after OpenAI agreement");
        CHECK(d.cover->credit == "Reuters");
    }

    TEST_CASE("sources carry author, publication time and platform") {
        auto s = openai_story();
        s.articles[0].author = "Cade Metz";
        s.articles[0].published_at = k_t0 - 5h;
        s.articles[2].platform = "hackernews";
        const auto d = draft::draft_builtin(s);
        REQUIRE(d.sources.size() == 2);
        CHECK(d.sources[0].author == "Cade Metz");
        CHECK(d.sources[0].published_at == k_t0 - 5h);
        CHECK(d.sources[0].platform == "news");
        CHECK(d.sources[1].author.empty());
        CHECK_FALSE(d.sources[1].published_at);
        CHECK(d.sources[1].platform == "hackernews");
    }

    TEST_CASE("a source without feed author or date takes its page's byline and date") {
        std::vector<draft::StoryArticle> articles(2);
        articles[0].author = "Cade Metz";
        articles[0].published_at = k_t0 - 5h;
        for (auto& a : articles) {
            a.page.emplace();
            a.page->byline = "Ann One, Bob Two";
            a.page->published_at = k_t0 - 9h;
        }
        const auto sources = draft::sources_of(articles);
        CHECK(sources[0].author == "Cade Metz");
        CHECK(sources[0].published_at == k_t0 - 5h);
        CHECK(sources[1].author == "Ann One, Bob Two");
        CHECK(sources[1].published_at == k_t0 - 9h);
    }

    TEST_CASE("place names") {
        CHECK(draft::place_name("US") == "the US");
        CHECK(draft::place_name("TW") == "Taiwan");
        CHECK(draft::place_name("ZZ") == "ZZ");
        CHECK(draft::place_name("").empty());
    }

} // TEST_SUITE
