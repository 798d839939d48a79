// SPDX-License-Identifier: MIT
// The built-in drafter's explainer (version 2), section by section, on real news pages.
#include "../fuzz/markdown_check.hpp"
#include "story_pages.hpp"
#include "support.hpp"
#include "trend/draft/builtin_drafter.hpp"
#include "trend/draft/explainer.hpp"
#include "trend/draft/grounding.hpp"
#include "trend/draft/markdown.hpp"

#include <regex>

using namespace trend;
using namespace std::chrono_literals;
namespace ex = trend::draft::explainer;

namespace {

const Timestamp k_t0 = *parse_iso("2025-11-03T18:00:00Z");

/** A spike of "obama" whose coverage is three real pages (BBC, NYT, Washington Post). */
draft::Story pages_story() {
    draft::Story s;
    s.spike_id = 7;
    s.rule = "buzz-20k";
    s.term = "obama";
    s.geo = "US";
    s.feed = "google-trends-us";
    s.detected_at = k_t0;
    s.traffic = 20000;
    s.traffic_label = "20,000+";
    s.reason = "20,000+ reached the threshold 20,000 (previously 2,000+)";
    s.articles = {
        test::article_with_page("bbc-1", "Obama admits US gun laws are his 'biggest frustration'",
                                "BBC News", k_t0 - 2h),
        test::article_with_page("nytimes-1", "United States to Lift Sudan Sanctions",
                                "The New York Times", k_t0 - 1h),
        test::article_with_page("wapo-1", "Attack stokes instability fears in North Africa",
                                "The Washington Post", k_t0 - 1h),
    };
    s.articles[1].published_at = k_t0 - 5h;
    s.timeline = {{k_t0 - 3h, "US", 2000, "2,000+", 5}, {k_t0, "US", 20000, "20,000+", 1}};
    s.other_geos = {{"GB", "5,000+", 5000}};
    s.related = {{"gun control", 1}};
    s.earlier_spikes = {{*parse_iso("2025-10-15T08:00:00Z"), "TW", "5,000+"},
                        {*parse_iso("2025-09-01T12:00:00Z"), "US", "2000+"}};
    return s;
}

/** The text of section `heading` ("" for the lead: before the first heading). */
std::string section(const std::string& body, const std::string& heading) {
    std::size_t from = 0;
    if (!heading.empty()) {
        from = body.find("## " + heading + "\n");
        if (from == std::string::npos)
            return {};
        from += heading.size() + 4;
    }
    const std::size_t to = body.find("\n## ", from);
    return body.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

std::vector<std::string> bullets(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("- "))
            out.push_back(line.substr(2));
    return out;
}

std::string all_page_text(const draft::Story& s) {
    std::string out;
    for (const auto& a : s.articles)
        if (a.page)
            out += a.page->text() + "\n\n";
    return out;
}

const std::regex k_cited{R"(\[[0-9]+\]\.?\)?$)"};

} // namespace

TEST_SUITE("draft") {

    TEST_CASE("explainer: quotes and their speakers come from the same sentence") {
        SUBCASE("\"...,\" said X, title.") {
            const auto q = ex::find_quote("\"We will not raise prices this year,\" said Jane Doe, "
                                          "the company's CFO.");
            REQUIRE(q);
            CHECK(q->words == "We will not raise prices this year");
            CHECK(q->speaker == "Jane Doe, the company's CFO");
        }
        SUBCASE("“...,” X said.") {
            const auto q = ex::find_quote("\u201CAnd it could have political repercussions,\u201D "
                                          "Azzouz said.");
            REQUIRE(q);
            CHECK(q->words == "And it could have political repercussions");
            CHECK(q->speaker == "Azzouz");
        }
        SUBCASE("honorifics stay in the name") {
            const auto q = ex::find_quote(
                "\u201CThere is no reason to believe the guys in charge have changed their "
                "stripes,\u201D said Mr. Reeves, a senior fellow at the François-Xavier Bagnoud "
                "Center for Health and Human Rights at Harvard University.");
            REQUIRE(q);
            CHECK(q->speaker == "Mr. Reeves");
        }
        SUBCASE("X said: \"...\"") {
            const auto q = ex::find_quote("Finance Minister Ana Lima said: \"The budget will be "
                                          "balanced by next year.\"");
            REQUIRE(q);
            CHECK(q->words == "The budget will be balanced by next year.");
            CHECK(q->speaker == "Finance Minister Ana Lima");
        }
        SUBCASE("no speaker is invented") {
            const auto q = ex::find_quote("\"It was a very long and difficult night for all of "
                                          "us,\" he said.");
            REQUIRE(q);
            CHECK(q->speaker.empty());
            const auto report = ex::find_quote(
                "As the report states: \"[T]he birth lottery matters more in the U.S. than in "
                "most well-off countries.\"");
            REQUIRE(report);
            CHECK(report->speaker.empty());
        }
        SUBCASE("scare quotes and unbalanced quotes are not quotations") {
            CHECK_FALSE(ex::find_quote("The U.S. might not be the \"jobs machine\" it thinks."));
            CHECK_FALSE(ex::find_quote("\"It was great, said nobody at all in the room."));
        }
    }

    TEST_CASE("explainer: boilerplate, headlines, the term as written, languages") {
        for (const char* s : {"Click here to read the full story now.", "ADVERTISEMENT",
                              "Sign up for our morning newsletter today.",
                              "We use cookies to improve your experience on this site.",
                              "\u00A9 2025 Example Media Group. All rights reserved.",
                              "BREAKING NEWS FROM THE CAPITAL TONIGHT"})
            CHECK_MESSAGE(ex::is_boilerplate(s), s);
        CHECK_FALSE(ex::is_boilerplate("The U.S. ranked last among 10 wealthy countries."));

        std::vector<draft::StoryArticle> a{
            test::news_article("Markets slip as rates rise", "https://a.example/1", "A", "", "",
                               k_t0),
            test::news_article("OpenAI signs $38 billion cloud deal with Amazon",
                               "https://a.example/2", "B", "", "", k_t0),
            test::news_article("Amazon and OpenAI strike $38 billion cloud deal",
                               "https://a.example/3", "C", "", "", k_t0)};
        CHECK(ex::best_headline(a) == "OpenAI signs $38 billion cloud deal with Amazon");
        CHECK(ex::best_headline({}).empty());

        draft::Story s;
        s.term = "openai";
        s.articles = a;
        CHECK(ex::term_as_written(s) == "OpenAI");
        s.term = "zzz";
        CHECK(ex::term_as_written(s) == "zzz");

        CHECK(ex::language_name("pt") == "Portuguese");
        CHECK(ex::language_name("pt-BR") == "Portuguese");
        CHECK(ex::language_name("en").empty());
        CHECK(ex::language_name("cs") == "Czech");
        CHECK(ex::language_name("zh-Hant") == "Chinese");
        CHECK(ex::language_name("qq").empty()); // unknown to ICU
        CHECK(ex::language_name("<b>").empty());
        CHECK(ex::word_count(" one two\n\nthree ") == 3);
    }

    TEST_CASE("explainer: a story with real pages gets every section, in order") {
        const auto story = pages_story();
        const auto d = draft::draft_builtin(story);
        const std::string& b = d.body;
        INFO(b);
        // The headline is the sources', not "Why X is trending".
        CHECK(d.title == "Obama admits US gun laws are his 'biggest frustration'");
        CHECK_FALSE(b.starts_with("#"));
        std::size_t last = 0;
        for (const char* h : {"## What happened", "## Who said what", "## Why it matters",
                              "## Timeline", "## Where", "## Sources"}) {
            const auto p = b.find(h);
            REQUIRE_MESSAGE(p != std::string::npos, h);
            CHECK_MESSAGE(p > last, h);
            last = p;
        }
        CHECK(b.find("What to watch") == std::string::npos);
        CHECK(b.find("Why it is trending now") == std::string::npos);
        CHECK(b.find("Key takeaways") == std::string::npos);
        const auto words = ex::word_count(b);
        CHECK(words >= 400);
        CHECK(words <= 1200);
    }

    TEST_CASE("explainer: the lead is the sources' own sentences, attributed and cited") {
        const auto story = pages_story();
        const auto d = draft::draft_builtin(story);
        const std::string lead = section(d.body, "");
        INFO(lead);
        CHECK(std::regex_search(lead,
                                std::regex(R"((BBC News|The New York Times|The Washington Post) )"
                                           R"(reported \[[123]\]\.)")));
        // Take the attribution off: what is left is a sentence of a page, verbatim.
        const std::string first = lead.substr(0, lead.find(", ", lead.find(" reported [") - 30));
        const auto plain = draft::markdown::unescape(lead.substr(0, lead.find(" reported [")));
        const auto sentence = plain.substr(0, plain.rfind(", "));
        CHECK(all_page_text(story).find(sentence) != std::string::npos);
        CHECK_FALSE(first.empty());
        CHECK(d.summary.size() <= 400);
        CHECK(d.summary.ends_with(")"));
    }

    TEST_CASE("explainer: what happened lists cited facts with numbers, names and places") {
        const auto story = pages_story();
        const auto d = draft::draft_builtin(story);
        const auto facts = bullets(section(d.body, "What happened"));
        INFO(d.body);
        CHECK(facts.size() >= 3);
        std::size_t with_digits = 0;
        for (const auto& f : facts) {
            CHECK_MESSAGE(std::regex_search(f, k_cited), f);
            with_digits += std::any_of(f.begin(), f.end(), [](char c) { return std::isdigit(c); });
        }
        CHECK(with_digits >= 2);
    }

    TEST_CASE("explainer: a fact two outlets report says so") {
        auto story = pages_story();
        // A syndicated copy of the BBC's report.
        auto copy = test::article_with_page("bbc-1", "President says gun laws frustrate him most",
                                            "BBC World Service", k_t0 - 1h);
        copy.url = "https://world.example/obama";
        story.articles.insert(story.articles.begin() + 1, copy);
        const auto d = draft::draft_builtin(story);
        INFO(d.body);
        CHECK(d.body.find("reported by BBC News [1] and BBC World Service [2]") !=
              std::string::npos);
        CHECK(draft::grounding::unverified_claims(d.body, draft::evidence_of(story, d),
                                                  draft::source_names(story))
                  .empty());
    }

    TEST_CASE("explainer: who said what quotes verbatim, with the speaker the sentence names") {
        const auto story = pages_story();
        const auto d = draft::draft_builtin(story);
        const auto quotes = bullets(section(d.body, "Who said what"));
        INFO(d.body);
        REQUIRE(quotes.size() >= 2);
        const std::string pages = all_page_text(story);
        std::size_t named = 0;
        for (const auto& q : quotes) {
            const std::string line = draft::markdown::unescape(q);
            REQUIRE(line.starts_with("\u201C"));
            const auto close = line.find("\u201D — ");
            REQUIRE(close != std::string::npos);
            const std::string words = line.substr(3, close - 3);
            CHECK_MESSAGE(pages.find(words) != std::string::npos, words);
            CHECK(std::regex_search(q, k_cited));
            const std::string credit = line.substr(close + 6);
            if (!credit.starts_with("quoted by ")) {
                ++named;
                // The speaker is named in the very paragraph the words come from.
                const std::string speaker = credit.substr(0, credit.find(", quoted by"));
                const std::string surname = speaker.substr(speaker.rfind(' ') + 1);
                bool found = false;
                for (const auto& a : story.articles)
                    for (const auto& p : a.page->paragraphs)
                        found |= p.find(words) != std::string::npos &&
                                 p.find(surname) != std::string::npos;
                CHECK_MESSAGE(found, speaker);
            }
        }
        CHECK(named >= 1);
    }

    TEST_CASE("explainer: why it matters is the sources' analysis, attributed") {
        const auto story = pages_story();
        const auto d = draft::draft_builtin(story);
        const auto lines = bullets(section(d.body, "Why it matters"));
        INFO(d.body);
        REQUIRE_FALSE(lines.empty());
        for (const auto& l : lines)
            CHECK(std::regex_search(l, std::regex(R"(wrote \[[0-9]\][.)]?)")));
    }

    TEST_CASE("explainer: the timeline holds coverage times, our traffic and earlier spikes") {
        const auto story = pages_story();
        const auto d = draft::draft_builtin(story);
        const std::string t = section(d.body, "Timeline");
        INFO(t);
        CHECK(t.find("- 2025-11-03 13:00 UTC: The New York Times published “United States to "
                     "Lift Sudan Sanctions” [2]") != std::string::npos);
        CHECK(t.find("first seen at 2,000+ at 2025-11-03 15:00 UTC and reached 20,000+") !=
              std::string::npos);
        CHECK(t.find("It has trended before: last on 2025-10-15 at 5,000+ in Taiwan; earlier on "
                     "2025-09-01 at 2,000+ in the US.") != std::string::npos);
        const std::string w = section(d.body, "Where");
        CHECK(w.find("the UK (5,000+)") != std::string::npos);
        CHECK(w.find("Related searches: “gun control”.") != std::string::npos);
    }

    TEST_CASE("explainer: every claim is grounded, no rule mechanics, deterministic") {
        const auto story = pages_story();
        const auto d = draft::draft_builtin(story);
        CHECK(draft::grounding::unverified_claims(d.body, draft::evidence_of(story, d),
                                                  draft::source_names(story))
                  .empty());
        for (const char* word : {"rule", "threshold", "buzz-20k", "fired"})
            CHECK_MESSAGE(d.body.find(word) == std::string::npos, word);
        const auto again = draft::draft_builtin(story);
        CHECK(again.body == d.body);
        CHECK(again.title == d.title);
        CHECK(again.facts == d.facts);
        // Without the page texts in the evidence, the quoted sentences would not be verified.
        auto bare = d;
        std::vector<std::string> no_pages;
        for (const auto& a : story.articles)
            no_pages.push_back(a.title);
        no_pages.insert(no_pages.end(), d.facts.begin(), d.facts.end());
        CHECK_FALSE(draft::grounding::unverified_claims(d.body, no_pages).empty());
    }

    TEST_CASE("explainer: a revision says what the new sources add, after the lead") {
        auto story = pages_story();
        story.revision = 2;
        story.new_urls = {story.articles[2].url};
        const auto d = draft::draft_builtin(story);
        INFO(d.body);
        const auto update = d.body.find("**Update:** new coverage from The Washington Post [3].");
        REQUIRE(update != std::string::npos);
        CHECK(update < d.body.find("## What happened"));
        CHECK(update > 0);
        const std::string para = d.body.substr(update, d.body.find("\n\n", update) - update);
        CHECK(para.find("The Washington Post reported [3]") != std::string::npos);
        CHECK(draft::grounding::unverified_claims(d.body, draft::evidence_of(story, d),
                                                  draft::source_names(story))
                  .empty());
        story.revision = 1;
        CHECK(draft::draft_builtin(story).body.find("**Update:**") == std::string::npos);
    }

    TEST_CASE("explainer: a source in another language is quoted in it, and marked") {
        auto story = pages_story();
        story.articles.push_back(
            test::article_with_page("folha", "Manchete da Folha", "Folha de S.Paulo", k_t0 - 1h));
        REQUIRE(story.articles.back().page->lang == "pt");
        story.articles.resize(4);
        story.articles.erase(story.articles.begin(), story.articles.begin() + 3);
        const auto d = draft::draft_builtin(story);
        INFO(d.body);
        CHECK(d.body.find("Folha de S.Paulo reported in Portuguese [1]") != std::string::npos);
        CHECK(d.body.find("## Sources") != std::string::npos);
        CHECK(draft::grounding::unverified_claims(d.body, draft::evidence_of(story, d),
                                                  draft::source_names(story))
                  .empty());
    }

    TEST_CASE("explainer: hostile page text never becomes live markup") {
        auto story = pages_story();
        auto& page = *story.articles[0].page;
        page.paragraphs.insert(
            page.paragraphs.begin(),
            {"<script>alert(1)</script> Obama said the plan would cost $4 billion over 10 years, "
             "officials in Washington said on Monday.",
             "Obama [signed](javascript:alert(2)) the order in Washington on 12 March, aides "
             "said, and <img src=x onerror=alert(3)> the White House confirmed it.",
             "The report (https://evil.example/a)[x](javascript:alert(4)) named 20 Obama "
             "officials in Chicago."});
        story.articles[0].url = "https://x.example/a)[evil](javascript:alert(7)";
        const auto d = draft::draft_builtin(story);
        INFO(d.body);
        const auto problem = fuzz::unsafe_markup(d.body);
        CHECK_MESSAGE(!problem, *problem);
        CHECK(d.body.find("<script>") == std::string::npos);
        CHECK(d.body.find("](javascript") == std::string::npos);
        CHECK(d.body.find("&lt;script&gt;") != std::string::npos);
        CHECK(draft::grounding::unverified_claims(d.body, draft::evidence_of(story, d),
                                                  draft::source_names(story))
                  .empty());
    }

    TEST_CASE("explainer: page text never makes the no-page brief long") {
        auto story = pages_story();
        for (auto& a : story.articles)
            a.page.reset();
        const auto brief = draft::draft_builtin(story);
        const auto full = draft::draft_builtin(pages_story());
        CHECK(brief.body.find("**Key takeaways**") == 0);
        CHECK(ex::word_count(brief.body) < 400);
        CHECK(ex::word_count(brief.body) < ex::word_count(full.body));
        CHECK(brief.title == full.title);
    }

} // TEST_SUITE
