// SPDX-License-Identifier: MIT
#include "feed_support.hpp"
#include "trend/util/time.hpp"

#include <string>
#include <variant>
#include <vector>

using namespace std::literals;
using trend::format_iso;
using trend::feed::HnFetchedItem;
using trend::feed::Item;
using trend::feed::ParseContext;
using trend::feed::ParseError;
using trend::feed::Snapshot;
using trend::feed::TrafficKind;
using trend::test::iso;
using trend::test::read_source_file;

namespace {

const std::string k_dir = "tests/data/feeds/";

// HackerNews/API README.md, the example items (story 8863, Ask HN 121003, job 192327, poll
// 126809, comment 2921983), compacted; long texts shortened where noted.
const std::string k_story =
    R"({"by":"dhouston","descendants":71,"id":8863,"kids":[8952,9224,8917],"score":111,)"
    R"("time":1175714200,"title":"My YC app: Dropbox - Throw away your USB drive",)"
    R"("type":"story","url":"http://www.getdropbox.com/u/2/screencast.html"})";
const std::string k_ask =
    R"({"by":"tel","descendants":16,"id":121003,"kids":[121016,121109,121168],"score":25,)"
    R"("text":"<i>or</i> HN: the Next Iteration<p>I get the impression that with Arc being )"
    R"(released a lot of people who never had time for HN before are suddenly dropping in )"
    R"(more often.","time":1203647620,"title":"Ask HN: The Arc Effect","type":"story","url":""})";
const std::string k_job =
    R"({"by":"justin","id":192327,"score":6,"text":"Justin.tv is the biggest live video site )"
    R"(online.","time":1210981217,"title":"Justin.tv is looking for a Lead Flash Engineer!",)"
    R"("type":"job","url":""})";
const std::string k_comment =
    R"({"by":"norvig","id":2921983,"kids":[2922097],"parent":2921506,"text":"Aw shucks, guys )"
    R"(... you make me blush with your compliments.","time":1314211127,"type":"comment"})";

ParseContext context() {
    return trend::test::feed_context("2026-10-01T16:25:00Z");
}

Snapshot parse_ok(std::string_view body, const ParseContext& ctx = context()) {
    return trend::test::parse_ok(trend::feed::parse_hacker_news, body, ctx);
}

std::string parse_error(std::string_view body) {
    return trend::test::parse_error(trend::feed::parse_hacker_news, body, context());
}

std::optional<Item> item_of(std::string_view body) {
    auto r = trend::feed::parse_hn_firebase_item(body);
    const auto* error = std::get_if<ParseError>(&r);
    REQUIRE_MESSAGE(error == nullptr, "unexpected parse error: " << error->message);
    return std::get<std::optional<Item>>(std::move(r));
}

} // namespace

TEST_SUITE("feed") {

    TEST_CASE("hacker-news reads the Algolia fixture hit by hit") {
        const Snapshot s =
            parse_ok(read_source_file(k_dir + "hn-algolia-search-api-v1-hits-2026.json"));
        CHECK(s.format == "HN Algolia");
        CHECK(s.traffic_kind == TrafficKind::points);
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 4);

        const Item& a = s.items[0];
        CHECK(a.rank == 1);
        CHECK(a.term == "Stephen Hawking has died");
        CHECK(a.url == "http://www.bbc.com/news/uk-43396008");
        CHECK(a.discussion_url == "https://news.ycombinator.com/item?id=16582136");
        CHECK(a.traffic.label == "6015");
        CHECK(a.traffic.value == 6015);
        CHECK(a.comments == 436);
        CHECK(a.author == "Cogito");
        CHECK(iso(a.published_at) == "2018-03-14T03:50:30Z");
        CHECK(iso(a.updated_at) == "2026-08-13T14:08:03Z");
        CHECK(a.skip_reason.empty());

        CHECK(s.items[1].term == "A Message to Our Customers");
        CHECK(s.items[1].traffic.value == 5771);
        CHECK(s.items[1].comments == 967);

        const Item& c = s.items[2];
        CHECK(c.term == "OpenAI's board has fired Sam Altman");
        CHECK(c.url == "https://openai.com/blog/openai-announces-leadership-transition");
        CHECK(c.discussion_url == "https://news.ycombinator.com/item?id=38309611");
        CHECK(c.traffic.value == 5710);
        CHECK(c.comments == 2530);
        CHECK(c.author == "davidbarker");
        CHECK(iso(c.published_at) == "2023-11-17T20:28:50Z");

        CHECK(s.items[3].term ==
              "Backdoor in upstream xz/liblzma leading to SSH server compromise");
        CHECK(s.items[3].author == "rkta");
        CHECK(s.items[3].rank == 4);
    }

    TEST_CASE("hacker-news: Algolia hits with missing, null and odd fields") {
        // The wrapper fields of feeds.md section 4; hits as the older and newer formats write them.
        const Snapshot s = parse_ok(
            R"({"hits":[)"
            R"({"title":"Ask HN: Who is hiring?","url":null,"points":300,"num_comments":900,)"
            R"("author":"whoishiring","objectID":"40224213","created_at":"2024-05-01T15:00:27.000Z",)"
            R"("story_text":"<p>Please state the location &amp; include <b>REMOTE</b><script>x()</script></p>"},)"
            R"({"title":"No url key","points":10,"objectID":"2"},)"
            R"({"title":"Null points","url":"https://e.org/n","points":null,"objectID":"3"},)"
            R"({"title":"Huge points","url":"https://e.org/h","points":1e20,"objectID":"4"},)"
            R"({"title":null,"url":"https://e.org/t","points":5,"objectID":"5"},)"
            R"x({"title":"Bad url","url":"javascript:alert(1)","points":5,"objectID":"6"},)x"
            R"({"title":"No id","url":"https://e.org/i","points":5,"objectID":"abc"},)"
            R"("a string",)"
            R"({"title":"Negative","url":"https://e.org/neg","points":-3,"objectID":"9",)"
            R"("created_at_i":99999999999999})"
            R"(],"nbHits":9,"page":0,"nbPages":1,"hitsPerPage":20,"exhaustiveNbHits":true,)"
            R"("query":"","params":"tags=front_page","processingTimeMS":1})");
        REQUIRE(s.items.size() == 9);
        // Ask HN: no url, so the discussion page; created_at with millis.
        CHECK(s.items[0].url == "https://news.ycombinator.com/item?id=40224213");
        CHECK(s.items[0].discussion_url == s.items[0].url);
        CHECK(iso(s.items[0].published_at) == "2024-05-01T15:00:27Z");
        CHECK(s.items[0].summary == "Please state the location & include REMOTE");
        CHECK(s.items[1].url == "https://news.ycombinator.com/item?id=2");
        CHECK_FALSE(s.items[2].traffic.value.has_value());
        CHECK(s.items[2].traffic.label.empty());
        CHECK_FALSE(s.items[3].traffic.value.has_value()); // 1e20 is not an int64
        CHECK(s.items[4].skip_reason == "no title");
        CHECK(s.items[4].url == "https://e.org/t");
        CHECK(s.items[5].url == "https://news.ycombinator.com/item?id=6");
        CHECK(s.items[6].discussion_url.empty());
        CHECK(s.items[6].url == "https://e.org/i");
        CHECK(s.items[7].skip_reason == "hit is a string, not an object");
        CHECK_FALSE(s.items[8].traffic.value.has_value()); // negative points
        CHECK_FALSE(s.items[8].published_at.has_value());  // year 5138
        CHECK(s.warnings == std::vector<std::string>{
                                "hit 3 \"Null points\": no usable points",
                                "hit 4 \"Huge points\": no usable points",
                                "hit 6 \"Bad url\": url \"javascript:alert(1)\" dropped, not a "
                                "usable web URL",
                                "hit 7 \"No id\": no usable objectID",
                                "hit 9 \"Negative\": no usable points",
                            });
    }

    TEST_CASE("hacker-news: error replies and wrong shapes are named") {
        CHECK(parse_error(R"({"nbHits":0})") == "HN Algolia reply has no \"hits\" array");
        CHECK(parse_error(R"({"hits":{"0":{}}})") ==
              "HN Algolia reply: \"hits\" is an object, not an array");
        // mvanhorn/last30days-skill#591 (feeds.md section 4): filtering on points is refused.
        CHECK(parse_error(R"({"code":400,"message":"invalid numeric attribute(points), attribute )"
                          R"(not specified in numericAttributesForFiltering setting"})") ==
              "HN: an error reply (status 400): \"invalid numeric attribute(points), attribute "
              "not specified in numericAttributesForFiltering setting\"");
        CHECK(parse_error("null") ==
              "HN: the JSON literal null: a deleted or unknown Firebase item");
        CHECK(parse_error("42") == "HN: expected an object or an array, got a number");
        CHECK(parse_error(R"({"hits":[)").starts_with("HN: not JSON: "));
        CHECK(parse_error("<!DOCTYPE html><title>503 Service Unavailable</title>") ==
              "HN: an HTML page, not a JSON reply (title: \"503 Service Unavailable\")");
        CHECK(parse_error(")]}'\n{\"hits\":[]}") == "HN: starts with the XSSI prefix \")]}'\" of "
                                                    "Google's JSON APIs, not the expected reply");
        CHECK(parse_error("") == "HN: empty document");
        CHECK(parse_error(std::string(200000, '[')).starts_with("HN: not JSON: ")); // no recursion
    }

    TEST_CASE("hacker-news refuses a Firebase id list, and reads its ids") {
        const std::string body = read_source_file(k_dir + "hn_topstories.json");
        CHECK(parse_error(body) == "HN: a Firebase id list (500 ids), not stories: each "
                                   "item/<id>.json must be fetched and assembled");
        auto r = trend::feed::parse_hn_firebase_ids(body, 30);
        REQUIRE(std::holds_alternative<std::vector<std::int64_t>>(r));
        const auto& ids = std::get<std::vector<std::int64_t>>(r);
        REQUIRE(ids.size() == 30);
        CHECK(ids[0] == 37047053);
        CHECK(ids[1] == 37047304);
        CHECK(ids[2] == 37032286);
        auto all = trend::feed::parse_hn_firebase_ids(body, 1000);
        CHECK(std::get<std::vector<std::int64_t>>(all).size() == 500);
        CHECK(trend::feed::hn_firebase_item_url(37047053) ==
              "https://hacker-news.firebaseio.com/v0/item/37047053.json");
    }

    TEST_CASE("hn firebase ids: bad values are left out, wrong documents refused") {
        auto r =
            trend::feed::parse_hn_firebase_ids(R"([3, 1, 3, -5, 0, "7", 2.5, null, 1e30, 2])", 10);
        CHECK(std::get<std::vector<std::int64_t>>(r) == std::vector<std::int64_t>{3, 1, 2});
        const auto error = [](std::string_view body) {
            auto result = trend::feed::parse_hn_firebase_ids(body, 10);
            REQUIRE(std::holds_alternative<ParseError>(result));
            return std::get<ParseError>(result).message;
        };
        CHECK(error(R"({"items":[1]})") ==
              "HN Firebase id list: expected an array of ids, got an object");
        CHECK(error(R"(["a","b"])") == "HN Firebase id list: no positive integer ids in it");
        CHECK(error(R"({"error":"Permission denied"})") ==
              "HN Firebase id list: an error reply: \"Permission denied\"");
        CHECK(std::get<std::vector<std::int64_t>>(trend::feed::parse_hn_firebase_ids("[]", 10))
                  .empty());
    }

    TEST_CASE("hn firebase items from the API README") {
        const auto story = item_of(k_story);
        REQUIRE(story.has_value());
        CHECK(story->term == "My YC app: Dropbox - Throw away your USB drive");
        CHECK(story->url == "http://www.getdropbox.com/u/2/screencast.html");
        CHECK(story->discussion_url == "https://news.ycombinator.com/item?id=8863");
        CHECK(story->traffic.value == 111);
        CHECK(story->traffic.label == "111");
        CHECK(story->comments == 71);
        CHECK(story->author == "dhouston");
        CHECK(iso(story->published_at) == "2007-04-04T19:16:40Z");
        CHECK(story->skip_reason.empty());
        CHECK(story->rank == 0);

        const auto ask = item_of(k_ask);
        REQUIRE(ask.has_value());
        CHECK(ask->term == "Ask HN: The Arc Effect");
        CHECK(ask->url == "https://news.ycombinator.com/item?id=121003"); // url is ""
        CHECK(ask->summary.starts_with("or HN: the Next Iteration I get the impression"));
        CHECK(ask->traffic.value == 25);

        const auto job = item_of(k_job);
        REQUIRE(job.has_value());
        CHECK(job->term == "Justin.tv is looking for a Lead Flash Engineer!");
        CHECK(job->skip_reason.empty());
        CHECK_FALSE(job->comments.has_value());

        const auto comment = item_of(k_comment);
        REQUIRE(comment.has_value());
        CHECK(comment->skip_reason == "HN item is a comment, not a story");

        CHECK_FALSE(item_of("null").has_value());
        CHECK(item_of(R"({"id":1,"deleted":true,"type":"story","time":1})")->skip_reason ==
              "HN item deleted");
        CHECK(item_of(R"({"id":2,"dead":true,"type":"story","title":"spam"})")->skip_reason ==
              "HN item dead (flagged or killed)");
        CHECK(item_of(R"({"id":3,"type":"story"})")->skip_reason == "no title");
        CHECK(item_of(R"({"id":4,"title":"untyped"})")->skip_reason == "HN item has no type");
        CHECK(item_of(R"({"id":5,"type":"story","title":"Show HN: A &amp; B &lt;3"})")->term ==
              "Show HN: A & B <3");
        auto bad = trend::feed::parse_hn_firebase_item("{\"id\":");
        REQUIRE(std::holds_alternative<ParseError>(bad));
        CHECK(std::get<ParseError>(bad).message.starts_with("HN item: not JSON: "));
    }

    TEST_CASE("assemble_hn_firebase ranks fetched items and keeps failures with a reason") {
        const std::vector<HnFetchedItem> fetched{
            {8863, k_story, ""},      {121003, k_ask, ""}, {5, "null", ""},
            {6, "", "timeout"},       {7, k_story, ""}, // the body of another item
            {8, "{\"id\":", ""},                        // truncated
            {2921983, k_comment, ""}, {192327, k_job, ""},
        };
        auto r = trend::feed::assemble_hn_firebase(fetched, context());
        REQUIRE(std::holds_alternative<Snapshot>(r));
        const Snapshot& s = std::get<Snapshot>(r);
        CHECK(s.format == "HN Firebase");
        CHECK(s.traffic_kind == TrafficKind::points);
        REQUIRE(s.items.size() == 8);
        for (std::size_t i = 0; i < s.items.size(); ++i)
            CHECK(s.items[i].rank == static_cast<int>(i + 1));
        CHECK(s.items[0].term == "My YC app: Dropbox - Throw away your USB drive");
        CHECK(s.items[0].skip_reason.empty());
        CHECK(s.items[1].term == "Ask HN: The Arc Effect");
        CHECK(s.items[2].skip_reason == "HN item deleted or unknown (null)");
        CHECK(s.items[2].discussion_url == "https://news.ycombinator.com/item?id=5");
        CHECK(s.items[3].skip_reason == "fetch failed: timeout");
        CHECK(s.items[4].skip_reason == "body is HN item 8863, not 7");
        CHECK(s.items[5].skip_reason.starts_with("HN item: not JSON: "));
        CHECK(s.items[6].skip_reason == "HN item is a comment, not a story");
        CHECK(s.items[7].term == "Justin.tv is looking for a Lead Flash Engineer!");
    }

    TEST_CASE("assemble_hn_firebase: nothing readable is an error, nothing fetched is empty") {
        const std::vector<HnFetchedItem> failed{{1, "", "HTTP 503"}, {2, "", "timeout"}};
        auto r = trend::feed::assemble_hn_firebase(failed, context());
        REQUIRE(std::holds_alternative<ParseError>(r));
        CHECK(std::get<ParseError>(r).message ==
              "HN Firebase: none of the 2 items could be read (entry 1 (HN item 1): fetch "
              "failed: HTTP 503)");
        auto empty = trend::feed::assemble_hn_firebase({}, context());
        REQUIRE(std::holds_alternative<Snapshot>(empty));
        CHECK(std::get<Snapshot>(empty).items.empty());
        // Deleted items are an answer, not a failure.
        const std::vector<HnFetchedItem> deleted{{1, "null", ""}};
        CHECK(std::holds_alternative<Snapshot>(
            trend::feed::assemble_hn_firebase(deleted, context())));
    }

    TEST_CASE("hacker-news reads an assembled array and a single Firebase item") {
        const Snapshot s = parse_ok("[" + k_story + ",null," + k_ask + "," + k_story + "]");
        CHECK(s.format == "HN Firebase");
        REQUIRE(s.items.size() == 4);
        CHECK(s.items[0].traffic.value == 111);
        CHECK(s.items[1].skip_reason == "HN item deleted or unknown (null)");
        CHECK(s.items[2].rank == 3);
        CHECK(s.items[3].skip_reason == "same title as entry 1");
        const Snapshot one = parse_ok(k_story);
        REQUIRE(one.items.size() == 1);
        CHECK(one.items[0].rank == 1);
    }

    TEST_CASE("hacker-news caps hits") {
        std::string hits = "{\"hits\":[";
        for (int i = 1; i <= 5000; ++i)
            hits += std::string(i > 1 ? "," : "") + R"({"title":"t)" + std::to_string(i) +
                    R"(","points":1,"objectID":")" + std::to_string(i) + "\"}";
        hits += "]}";
        const Snapshot s = parse_ok(hits);
        CHECK(s.items.size() == 1000);
        REQUIRE(s.warnings.size() == 1);
        CHECK(s.warnings[0] == "4000 entries past the cap of 1000 dropped");
    }
}
