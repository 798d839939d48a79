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
using trend::test::iso;
using trend::test::read_source_file;

namespace {

const std::string k_dir = "tests/data/feeds/";

ParseContext context() {
    return trend::test::feed_context("2026-04-11T23:14:21Z");
}

Snapshot parse_ok(std::string_view body, const ParseContext& ctx = context()) {
    return trend::test::parse_ok(trend::feed::parse_mastodon_trends, body, ctx);
}

std::string parse_error(std::string_view body) {
    return trend::test::parse_error(trend::feed::parse_mastodon_trends, body, context());
}

/** A tag as the API writes it, with a history of (uses, accounts) from today backwards. */
std::string tag(const std::string& name, std::vector<std::pair<int, int>> days) {
    std::string history;
    long long day = 1775865600; // 2026-04-11
    for (const auto& [uses, accounts] : days) {
        history += (history.empty() ? "" : ",") + R"({"day":")"s + std::to_string(day) +
                   R"(","accounts":")" + std::to_string(accounts) + R"(","uses":")" +
                   std::to_string(uses) + "\"}";
        day -= 86400;
    }
    return R"({"name":")" + name + R"(","url":"https://mastodon.social/tags/)" + name +
           R"(","history":[)" + history + "]}";
}

} // namespace

TEST_SUITE("feed") {

    TEST_CASE("mastodon-trends reads the tags fixture tag by tag") {
        const Snapshot s = parse_ok(read_source_file(k_dir + "mastodon_trends_tags.json"));
        CHECK(s.format == "Mastodon trending tags");
        CHECK(s.traffic_kind == TrafficKind::uses);
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 10);

        const Item& a = s.items[0];
        CHECK(a.rank == 1);
        CHECK(a.term == "#caturday");
        CHECK(a.url == "https://mastodon.social/tags/caturday");
        CHECK(a.traffic.label == "806");
        CHECK(a.traffic.value == 806);
        REQUIRE(a.history.size() == 7);
        CHECK(format_iso(a.history[0].day) == "2026-04-11T00:00:00Z");
        CHECK(a.history[0].uses == 806);
        CHECK(a.history[0].accounts == 688);
        CHECK(format_iso(a.history[1].day) == "2026-04-10T00:00:00Z");
        CHECK(a.history[1].uses == 49);
        CHECK(a.history[6].uses == 131);
        CHECK(a.history[6].accounts == 104);

        CHECK(s.items[1].term == "#BakeryTVShowsAndPlays"); // as the instance wrote it
        CHECK(s.items[1].traffic.value == 528);
        CHECK(s.items[1].history[1].uses == 0);
        CHECK(s.items[2].term == "#ScreenshotSaturday");
        CHECK(s.items[2].traffic.value == 52);
        // Japanese names arrive as \u escapes (the recorder's json.dumps) and come out as UTF-8.
        CHECK(s.items[3].term == "#あ行で女子力がわかるらしい");
        CHECK(s.items[3].url.starts_with("https://mastodon.social/tags/%E3%81%82"));
        CHECK(s.items[3].traffic.value == 46);
        CHECK(s.items[9].term == "#PROSUMMIT");
        CHECK(s.items[9].traffic.value == 44);
        CHECK(s.items[9].history[0].accounts == 21);
    }

    TEST_CASE("mastodon-trends reads the links fixture card by card") {
        const Snapshot s = parse_ok(read_source_file(k_dir + "mastodon_trends_links.json"));
        CHECK(s.format == "Mastodon trending links");
        CHECK(s.traffic_kind == TrafficKind::shares);
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 10);

        const Item& a = s.items[0];
        CHECK(a.term == "OpenAI says CEO Sam Altman's house was targeted with a Molotov cocktail");
        CHECK(a.url == "https://www.nbcnews.com/tech/tech-news/"
                       "openai-ceo-sam-altman-molotov-cocktail-house-headquarters-rcna273694");
        CHECK(a.publisher == "NBC News");
        CHECK(a.author == "Daniel Arkin");
        CHECK(a.picture == "https://files.mastodon.social/cache/preview_cards/images/188/760/511/"
                           "original/82b9508a265bfff8.jpg");
        CHECK(iso(a.published_at) == "2026-04-10T17:23:39Z");
        CHECK(a.summary.starts_with("San Francisco police early Friday arrested a person"));
        CHECK(a.traffic.value == 176);
        CHECK(a.history[1].uses == 320);
        CHECK(a.history[1].accounts == 311);

        // "\u2014" and curly quotes decoded from the escapes
        CHECK(s.items[1].summary == "The ChatGPT-maker testified in favor of an Illinois bill "
                                    "that would limit when AI labs can be held liable—even in "
                                    "cases where their products cause “critical harm.”");
        CHECK(s.items[1].publisher == "WIRED");
        CHECK(s.items[1].traffic.value == 39);
        CHECK(s.items[3].publisher == "TechCrunch");
        CHECK(s.items[3].author.empty()); // author_name "" and authors [{"name": ""}]
        CHECK(s.items[5].term == "DOGE’s secret voter data deal was ‘alarming,’ court finds");
        CHECK_FALSE(s.items[5].published_at.has_value()); // not in that card
        CHECK(s.items[9].publisher == "The Guardian");
        CHECK(s.items[9].author == "Lauren Aratani");
    }

    TEST_CASE("mastodon-trends: traffic is the newest day whatever the order") {
        const Snapshot s =
            parse_ok(R"([{"name":"late","history":[{"day":"1775692800","uses":"5","accounts":"5"},)"
                     R"({"day":"1775865600","uses":"70","accounts":"9"},)"
                     R"({"day":"1775779200","uses":"20","accounts":"3"}]}])");
        REQUIRE(s.items.size() == 1);
        CHECK(s.items[0].traffic.value == 70);
        CHECK(s.items[0].history[0].uses == 70);
        CHECK(s.items[0].history[2].uses == 5);
    }

    TEST_CASE("mastodon-trends: missing names, bad history and wrong types") {
        const Snapshot s = parse_ok(
            "[" + tag("good", {{10, 2}, {1, 1}}) + "," +
            R"({"url":"https://mastodon.social/tags/x","history":[]},)" +
            R"({"name":"nohistory","url":"https://mastodon.social/tags/nohistory"},)" +
            R"({"name":"badhistory","history":[{"day":"x","uses":"1"},{"day":"1775865600",)"
            R"("uses":"99999999999999999999"},{"day":"1775865600","uses":7}]},)" +
            R"("just a string",)" + tag("GOOD", {{3, 3}}) + "," +
            R"x({"name":"evil","url":"javascript:alert(1)","history":[]}])x");
        REQUIRE(s.items.size() == 7);
        CHECK(s.items[0].traffic.value == 10);
        CHECK(s.items[1].skip_reason == "no name");
        CHECK(s.items[1].term.empty());
        CHECK_FALSE(s.items[2].traffic.value.has_value());
        CHECK(s.items[3].history.size() == 1); // numbers as numbers are accepted too
        CHECK(s.items[3].traffic.value == 7);
        CHECK(s.items[4].skip_reason == "entry is a string, not an object");
        CHECK(s.items[5].skip_reason == "same tag as entry 1");
        CHECK(s.items[6].url.empty());
        CHECK(s.warnings == std::vector<std::string>{
                                "entry 2 has no name",
                                "entry 3 \"#nohistory\": no history, so no counts",
                                "entry 4 \"#badhistory\": 2 history entries without a day or "
                                "uses, left out",
                                "entry 7 \"#evil\": url \"javascript:alert(1)\" dropped, not a "
                                "usable web URL",
                            });
    }

    TEST_CASE("mastodon-trends: links need a title and a web url") {
        const Snapshot s = parse_ok(
            R"([{"url":"https://e.org/a","title":"A &amp; <b>B</b>","description":"d","type":"link","history":[]},)"
            R"({"url":"https://e.org/b","title":"","type":"link"},)"
            R"({"url":"ftp://e.org/c","title":"C","type":"link"},)"
            R"({"title":"D","type":"link"},)"
            R"({"url":"https://e.org/e","title":"E","type":"link","image":"javascript:x",)"
            R"("authors":[{"name":"Ann"},{"name":"Bo"}],"author_name":""}])");
        REQUIRE(s.items.size() == 5);
        CHECK(s.items[0].term == "A &amp; <b>B</b>"); // card titles are plain text
        CHECK(s.items[1].skip_reason == "no title");
        CHECK(s.items[2].skip_reason == "url \"ftp://e.org/c\" is not a web URL");
        CHECK(s.items[3].skip_reason == "no url");
        CHECK(s.items[4].picture.empty());
        CHECK(s.items[4].author == "Ann, Bo");
    }

    TEST_CASE("mastodon-trends names what it got instead of trends") {
        CHECK(parse_error(R"({"error":"This API requires an authenticated user"})") ==
              "Mastodon trends: an error reply: \"This API requires an authenticated user\"");
        CHECK(parse_error(R"({"name":"x"})") ==
              "Mastodon trends: expected an array of tags or links, got an object");
        CHECK(parse_error(R"([{"id":"1","content":"<p>hi</p>","account":{"id":"2"}}])") ==
              "Mastodon trends: these are statuses (/api/v1/trends/statuses), not tags or links");
        CHECK(parse_error(R"([1,2,3])") == "Mastodon trends: no entry looks like a tag (name, "
                                           "history) or a link (url, title)");
        CHECK(parse_error("[{\"name\":").starts_with("Mastodon trends: not JSON: "));
        CHECK(parse_error("<!DOCTYPE html><html><head><title>mastodon.social</title>") ==
              "Mastodon trends: an HTML page, not a JSON reply (title: \"mastodon.social\")");
        CHECK(parse_ok("[]").items.empty());
    }

    TEST_CASE("mastodon-trends caps entries and history") {
        std::string body = "[";
        for (int i = 0; i < 1500; ++i)
            body += (i ? "," : "") + tag("t" + std::to_string(i), {{1, 1}});
        body += "]";
        const Snapshot s = parse_ok(body);
        CHECK(s.items.size() == 1000);
        CHECK(s.warnings == std::vector<std::string>{"500 entries past the cap of 1000 dropped"});
        std::vector<std::pair<int, int>> days(400, {1, 1});
        const Snapshot h = parse_ok("[" + tag("long", days) + "]");
        CHECK(h.items[0].history.size() == 31);
    }
}
