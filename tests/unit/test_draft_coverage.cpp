// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/draft/article.hpp"
#include "trend/draft/coverage.hpp"

using namespace trend;

namespace {

const Timestamp k_t0 = *parse_iso("2026-10-01T18:00:00Z");

draft::StoryArticle item(std::string title, std::string url, std::string source,
                         std::string snippet = "") {
    return test::news_article(std::move(title), std::move(url), std::move(source), "",
                              std::move(snippet), k_t0);
}

draft::PageText page(std::vector<std::string> paragraphs) {
    draft::PageText t;
    t.title = "";
    t.paragraphs = std::move(paragraphs);
    return t;
}

std::vector<std::string> urls(const std::vector<draft::StoryArticle>& articles) {
    std::vector<std::string> out;
    for (const auto& a : articles)
        out.push_back(a.url);
    return out;
}

} // namespace

TEST_SUITE("draft") {

    TEST_CASE("off-topic news items are dropped, the term's words found in title, snippet or "
              "text") {
        draft::Story s;
        s.term = "openai";
        s.articles = {
            // The Google Trends feed's items for "openai", as they came (real headlines).
            item("OpenAI signs $38B cloud deal with Amazon", "https://cnbc.example/1", "CNBC"),
            item("Amazon shares rise after cloud deal", "https://reuters.example/2", "Reuters",
                 "The deal with Open AI runs seven years."),
            item("Big Tech's spending spree", "https://ft.example/3", "Financial Times"),
            item("Xbox One X review: A console that keeps up with gaming PCs",
                 "https://engadget.example/4", "Engadget"),
            item("Sam Altman on compute", "https://verge.example/5", "The Verge"),
        };
        // The FT's page names the company; the Verge's and Engadget's are about other things.
        s.articles[2].page = page({"Microsoft and Alphabet raised their budgets.",
                                   "OpenAI's commitments now exceed $1.4tn, the company said."});
        s.articles[3].page = page({"Microsoft's console runs games at 4K."});
        s.articles[4].page = page({"A long interview about chips and power plants."});
        // An item whose page was not read is kept: only its text could tell.
        s.articles.push_back(item("Diesel crisis deepens as refinery shuts", "https://t.example/6",
                                  "The Telegraph"));

        CHECK(draft::drop_off_topic(s) == 2);
        CHECK(urls(s.articles) ==
              std::vector<std::string>{"https://cnbc.example/1", "https://reuters.example/2",
                                       "https://ft.example/3", "https://t.example/6"});
        REQUIRE(s.dropped.size() == 2);
        CHECK(s.dropped[0].title == "Xbox One X review: A console that keeps up with gaming PCs");
        CHECK(s.dropped[0].url == "https://engadget.example/4");
        CHECK(s.dropped[0].source == "Engadget");
        CHECK(s.dropped[0].reason == draft::k_off_topic_reason);
        CHECK(s.dropped[1].url == "https://verge.example/5");
    }

    TEST_CASE("accents and case fold, and a related term's words count as the story's") {
        draft::Story s;
        s.term = "pokemon legends";
        s.related = {{"nintendo switch 2", 1}};
        s.articles = {
            item("Pokémon Legends: Z-A sells 5.8 million", "https://a.example/1", "IGN"),
            item("NINTENDO's new console outsells", "https://a.example/2", "BBC"),
            item("Les ventes de la console explosent", "https://a.example/3", "Le Monde"),
        };
        s.articles[2].page = page({"La console s'est vendue à dix millions d'exemplaires."});
        CHECK(draft::drop_off_topic(s) == 1);
        CHECK(urls(s.articles) ==
              std::vector<std::string>{"https://a.example/1", "https://a.example/2"});
        CHECK(s.dropped.at(0).url == "https://a.example/3");
    }

    TEST_CASE("a term of stop words only keeps every item") {
        draft::Story s;
        s.term = "the who";
        s.articles = {item("Band announces farewell tour", "https://a.example/1", "NME")};
        s.articles[0].page = page({"The band plays its last show in London."});
        CHECK(draft::drop_off_topic(s) == 0);
        CHECK(s.articles.size() == 1);
        CHECK(s.dropped.empty());
    }

    TEST_CASE("a revision's Update paragraph names the new sources with their numbers") {
        draft::Story s;
        s.term = "obama";
        std::vector<draft::Source> sources = {
            {"Obama admits US gun laws are his 'biggest frustration'", "https://bbc.example/1",
             "BBC News"},
            {"The mind of Obama", "https://quanta.example/2", "Quanta"},
            {"Obama's legacy", "https://salon.example/3", ""},
        };
        CHECK(draft::update_paragraph(s, sources).empty()); // revision 1
        s.revision = 2;
        s.new_urls = {"https://quanta.example/2", "https://salon.example/3",
                      "https://not-cited.example/4"};
        const std::string update = draft::update_paragraph(s, sources);
        CHECK(update ==
              "**Update:** two new sources since the previous version: Quanta [2], Obama's "
              "legacy [3].");

        SUBCASE("after a prose lead") {
            const std::string body = "Obama spoke on Thursday.\n\n## What happened\n\nMore.\n";
            CHECK(draft::with_update(body, s, sources) ==
                  "Obama spoke on Thursday.\n\n" + update + "\n\n## What happened\n\nMore.\n");
        }
        SUBCASE("at the top when the body opens with a label or heading") {
            const std::string body = "**Key takeaways**\n\n- One.\n";
            CHECK(draft::with_update(body, s, sources) == update + "\n\n" + body);
        }
        SUBCASE("never twice") {
            const std::string body = "Lead.\n\n**Update:** the drafter's own.\n";
            CHECK(draft::with_update(body, s, sources) == body);
        }
    }

    TEST_CASE("revision: N is in the front matter from revision 2 on, after published") {
        draft::FrontMatter fm;
        fm.title = "Obama";
        fm.slug = "obama";
        fm.date = k_t0;
        CHECK(draft::render_front_matter(fm).find("revision:") == std::string::npos);
        fm.revision = 2;
        const std::string yaml = draft::render_front_matter(fm);
        CHECK(yaml.find("draft: true\npublished: false\nrevision: 2\nsummary:") !=
              std::string::npos);
    }
}
