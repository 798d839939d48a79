// SPDX-License-Identifier: MIT
#include "feed_support.hpp"
#include "trend/util/time.hpp"

#include <string>
#include <variant>
#include <vector>

using namespace std::literals;
using trend::format_iso;
using trend::feed::Item;
using trend::feed::ParseContext;
using trend::feed::ParseError;
using trend::feed::Snapshot;
using trend::feed::TrafficKind;
using trend::test::read_source_file;

namespace {

const std::string k_dir = "tests/data/feeds/";
const std::string k_trimmed = "wikimedia-pageviews-top-en.wikipedia-2026-08-20.trimmed.from-"
                              "MomomeYeah-Zeitgeist-Actualiser.json";

ParseContext context() {
    return trend::test::feed_context("2026-08-22T06:00:00Z");
}

Snapshot parse_ok(std::string_view body, const ParseContext& ctx = context()) {
    return trend::test::parse_ok(trend::feed::parse_wikipedia_top, body, ctx);
}

std::string parse_error(std::string_view body) {
    return trend::test::parse_error(trend::feed::parse_wikipedia_top, body, context());
}

std::string top(const std::string& articles, const std::string& project = "en.wikipedia") {
    return R"({"items":[{"project":")" + project +
           R"(","access":"all-access","year":"2026","month":"08","day":"21","articles":[)" +
           articles + "]}]}";
}

} // namespace

TEST_SUITE("feed") {

    TEST_CASE("wikipedia-top reads the trimmed sample article by article") {
        const Snapshot s = parse_ok(read_source_file(k_dir + k_trimmed));
        CHECK(s.format == "Wikimedia pageviews top");
        CHECK(s.traffic_kind == TrafficKind::views);
        CHECK(s.title == "en.wikipedia top 2026-08-20");
        REQUIRE(s.as_of.has_value());
        CHECK(format_iso(*s.as_of) == "2026-08-20T00:00:00Z");
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 9);

        CHECK(s.items[0].term == "Main Page");
        CHECK(s.items[0].skip_reason == "the main page, not an article");
        CHECK(s.items[1].term == "Special:Search");
        CHECK(s.items[1].skip_reason == "filtered namespace Special:");
        CHECK(s.items[2].skip_reason == "filtered namespace Wikipedia:");

        const Item& h = s.items[3];
        CHECK(h.term == "Hayden Panettiere");
        CHECK(h.url == "https://en.wikipedia.org/wiki/Hayden_Panettiere");
        CHECK(h.traffic.label == "411486");
        CHECK(h.traffic.value == 411486);
        CHECK(h.rank == 4);
        CHECK(h.skip_reason.empty());

        CHECK(s.items[5].term == "Spider-Man: Brand New Day"); // a colon, but an article
        CHECK(s.items[5].skip_reason.empty());
        CHECK(s.items[5].url == "https://en.wikipedia.org/wiki/Spider-Man:_Brand_New_Day");
        CHECK(s.items[7].term == "The Odyssey (2026 film)");
        CHECK(s.items[7].url == "https://en.wikipedia.org/wiki/The_Odyssey_(2026_film)");
        CHECK(s.items[8].term == "Google");
        CHECK(s.items[8].rank == 10); // the API's rank, not the position
        CHECK(s.items[8].traffic.value == 126126);
    }

    TEST_CASE("wikipedia-top leaves out every non-article namespace, and only those") {
        const Snapshot s = parse_ok(
            read_source_file(k_dir + "wikimedia-pageviews-top-en.wikipedia-schema-sample.json"));
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 20);
        const std::vector<std::string> skip{
            "the main page, not an article", // Main_Page
            "filtered namespace Special:",   // Special:Search
            "no article title (\"-\")",      // -
            "filtered namespace Wikipedia:", // Wikipedia:Featured_pictures
            "",                              // Spider-Man:_Brand_New_Day
            "filtered namespace File:",      // File:Example.jpg
            "filtered namespace Portal:",    // Portal:Current_events
            "filtered namespace Talk:",      // Talk:Google
            "filtered namespace User:",      // User:Example
            "filtered namespace User_talk:", // User_talk:Example
            "filtered namespace Template:",  // Template:Cite_web
            "filtered namespace Category:",  // Category:Living_people
            "filtered namespace Help:",      // Help:Contents
        };
        for (std::size_t i = 0; i < skip.size(); ++i) {
            CAPTURE(s.items[i].term);
            CHECK(s.items[i].skip_reason == skip[i]);
        }
        for (std::size_t i = skip.size(); i < s.items.size(); ++i) {
            CAPTURE(s.items[i].term);
            CHECK(s.items[i].skip_reason.empty());
        }
        CHECK(s.items[13].term == "Deaths in 2026");
        CHECK(s.items[14].term == "Are You the One?");
        CHECK(s.items[14].url == "https://en.wikipedia.org/wiki/Are_You_the_One%3F");
        CHECK(s.items[15].url == "https://en.wikipedia.org/wiki/100%25_(album)");
        CHECK(s.items[16].url == "https://en.wikipedia.org/wiki/AC/DC");
        CHECK(s.items[17].term == "Zoë Kravitz");
        CHECK(s.items[17].url == "https://en.wikipedia.org/wiki/Zo%C3%AB_Kravitz");
        CHECK(s.items[18].term == "東京");
        CHECK(s.items[18].url == "https://en.wikipedia.org/wiki/%E6%9D%B1%E4%BA%AC");
        CHECK(s.items[19].traffic.value == 45000);
    }

    TEST_CASE("wikipedia-top reports a problem document with its detail") {
        CHECK(parse_error(read_source_file(k_dir + "wikimedia-pageviews-404-problem.json")) ==
              "Wikimedia pageviews: an HTTP problem document: Not found.: The date(s) you used "
              "are valid, but we either do not have data for those date(s), or the project you "
              "asked for is not loaded yet. Please check documentation for more information.");
        CHECK(
            parse_error(R"({"type":"about:blank","title":"Not Found","status":404,)"
                        R"("detail":"invalid route"})") ==
            "Wikimedia pageviews: an HTTP problem document (status 404): Not Found: invalid route");
    }

    TEST_CASE("wikipedia-top names the wrong shapes") {
        CHECK(parse_error(R"({"nothing":1})") == "Wikimedia pageviews: no \"items\" array");
        CHECK(parse_error(R"({"items":[]})") == "Wikimedia pageviews: \"items\" is empty");
        CHECK(parse_error(R"({"items":[{"project":"en.wikipedia","article":"Cat",)"
                          R"("granularity":"daily","timestamp":"2026080100","views":5}]})") ==
              "Wikimedia pageviews: a per-article or aggregate series, not a top list");
        CHECK(parse_error(R"({"items":[{"articles":{}}]})") ==
              "Wikimedia pageviews: items[0] has no \"articles\" array");
        CHECK(parse_error(R"([1])") == "Wikimedia pageviews: no \"items\" array");
        CHECK(parse_error("{\"items\":[{\"articles\":[")
                  .starts_with("Wikimedia pageviews: not JSON: "));
        CHECK(parse_error("<html><head><title>Wikimedia Error</title></head></html>") ==
              "Wikimedia pageviews: an HTML page, not a JSON reply (title: \"Wikimedia Error\")");
    }

    TEST_CASE("wikipedia-top: odd values in the articles") {
        const Snapshot s = parse_ok(top(R"({"article":"Cat","views":"12","rank":1},)"
                                        R"({"article":"Dog","views":-1,"rank":2},)"
                                        R"({"article":"Cow","views":1e300,"rank":3},)"
                                        R"({"views":5,"rank":4},)"
                                        R"({"article":"Eel","views":5},)"
                                        R"({"article":"cat","views":4,"rank":6},)"
                                        R"(null,)"
                                        R"({"article":"Fly","views":3,"rank":1e12})"));
        REQUIRE(s.items.size() == 8);
        CHECK(s.items[0].traffic.value == 12); // a numeric string
        CHECK_FALSE(s.items[1].traffic.value.has_value());
        CHECK_FALSE(s.items[2].traffic.value.has_value());
        CHECK(s.items[3].skip_reason == "no article title");
        CHECK(s.items[4].rank == 5); // no rank: the position
        CHECK(s.items[5].skip_reason == "same title as entry 1");
        CHECK(s.items[6].skip_reason == "entry is null, not an object");
        CHECK(s.items[7].rank == 8); // an absurd rank: the position
        CHECK(s.warnings == std::vector<std::string>{"entry 2 \"Dog\": no usable views",
                                                     "entry 3 \"Cow\": no usable views"});
    }

    TEST_CASE("wikipedia-top: the project makes the links, or no links") {
        CHECK(parse_ok(top(R"({"article":"Katze","views":1,"rank":1})", "de.wikipedia"))
                  .items[0]
                  .url == "https://de.wikipedia.org/wiki/Katze");
        CHECK(parse_ok(top(R"({"article":"Cat","views":1,"rank":1})", "en.wikipedia.org"))
                  .items[0]
                  .url == "https://en.wikipedia.org/wiki/Cat");
        const Snapshot evil =
            parse_ok(top(R"({"article":"Cat","views":1,"rank":1})", "evil.example/x?"));
        CHECK(evil.items[0].url.empty());
        REQUIRE(evil.warnings.size() == 1);
        CHECK(evil.warnings[0] ==
              "project \"evil.example/x?\" is not a Wikimedia project name: no article links");
        const Snapshot monthly = parse_ok(R"({"items":[{"project":"en.wikipedia","year":"2026",)"
                                          R"("month":"07","day":"all-days","articles":[]}]})");
        CHECK(format_iso(monthly.as_of.value()) == "2026-07-01T00:00:00Z");
        const Snapshot undated =
            parse_ok(R"({"items":[{"project":"en.wikipedia","articles":[]}]})");
        CHECK_FALSE(undated.as_of.has_value());
        CHECK(undated.warnings ==
              std::vector<std::string>{
                  "no valid year/month/day: the day the list covers is unknown"});
    }
}
