// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/feed/parser.hpp"
#include "trend/util/text.hpp"
#include "trend/util/time.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <set>
#include <string>
#include <variant>

using namespace std::literals;
using trend::format_iso;
using trend::feed::Item;
using trend::feed::ParseContext;
using trend::feed::ParseError;
using trend::feed::Snapshot;
using trend::test::read_source_file;
namespace text = trend::text;

namespace {

constexpr std::string_view k_new_ns = "https://trends.google.com/trending/rss";
constexpr std::string_view k_old_ns = "https://trends.google.com/trends/trendingsearches/daily";

const std::string k_us = "examples/feeds/google-trends-rss-new-US-2026-10-01.xml";
const std::string k_jp = "examples/feeds/google-trends-rss-new-JP-2026-09-09.xml";
const std::string k_gb = "examples/feeds/google-trends-rss-new-GB-2026-02-02.xml";
const std::string k_bd = "examples/feeds/google-trends-rss-new-BD-2026-02-02.xml";
const std::string k_pt = "examples/feeds/google-trends-rss-old-daily-PT-2023-11-18.xml";

ParseContext context(std::string geo = "") {
    ParseContext ctx;
    ctx.geo = std::move(geo);
    ctx.fetched_at = trend::parse_iso("2026-10-01T16:25:00Z").value();
    return ctx;
}

Snapshot parse_ok(std::string_view body, const ParseContext& ctx = context()) {
    auto result = trend::feed::parse_google_trends_rss(body, ctx);
    const auto* error = std::get_if<ParseError>(&result);
    REQUIRE_MESSAGE(error == nullptr, "unexpected parse error: " << error->message);
    return std::get<Snapshot>(std::move(result));
}

std::string parse_error(std::string_view body, const ParseContext& ctx = context()) {
    auto result = trend::feed::parse_google_trends_rss(body, ctx);
    REQUIRE_MESSAGE(std::holds_alternative<ParseError>(result), "parsed, but should not have");
    return std::get<ParseError>(result).message;
}

/** A one-channel document in the given `ht` namespace around `items`. */
std::string rss(const std::string& items, std::string_view ns = k_new_ns,
                const std::string& link = "https://trends.google.com/trending/rss?geo=US") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss xmlns:ht=\"" + std::string{ns} +
           "\" version=\"2.0\"><channel><title>Daily Search Trends</title><link>" + link +
           "</link>" + items + "</channel></rss>";
}

std::string item(const std::string& title, const std::string& rest = "") {
    return "<item><title>" + title +
           "</title><ht:approx_traffic>200+</ht:approx_traffic>"
           "<pubDate>Thu, 1 Oct 2026 09:20:00 -0700</pubDate>" +
           rest + "</item>";
}

std::string news(const std::string& title, const std::string& url,
                 const std::string& snippet = "") {
    return "<ht:news_item><ht:news_item_title>" + title +
           "</ht:news_item_title><ht:news_item_snippet>" + snippet +
           "</ht:news_item_snippet><ht:news_item_url>" + url +
           "</ht:news_item_url><ht:news_item_source>Src</ht:news_item_source></ht:news_item>";
}

const Item* find_term(const Snapshot& s, std::string_view term) {
    const auto it =
        std::find_if(s.items.begin(), s.items.end(), [&](const Item& i) { return i.term == term; });
    return it == s.items.end() ? nullptr : &*it;
}

bool is_valid_utf8(const std::string& s) {
    return text::repair_utf8(s) == s;
}

} // namespace

TEST_SUITE("feed") {

    TEST_CASE("google trends rss reads the US fixture") {
        const Snapshot s = parse_ok(read_source_file(k_us));
        CHECK(s.geo == "US");
        CHECK(format_iso(s.fetched_at) == "2026-10-01T16:25:00Z");
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 10);

        const Item& first = s.items[0];
        CHECK(first.rank == 1);
        CHECK(first.term == "david hearn reflecting pool case dismissed");
        CHECK(first.traffic.label == "2000+");
        CHECK(first.traffic.value == 2000);
        REQUIRE(first.started_at.has_value());
        CHECK(format_iso(*first.started_at) == "2026-10-01T16:20:00Z");
        CHECK(first.picture ==
              "https://encrypted-tbn2.gstatic.com/images?q=tbn:"
              "ANd9GcRZXrA26R85SZ5ZbeDrFRM6kq2PHRVUQxWo1ONuEFo-ay_DInwFRQJlernE2P4");
        CHECK(first.picture_source == "The Washington Post");
        REQUIRE(first.news.size() == 3);
        CHECK(first.news[0].title ==
              "Judge says U.S. can’t prosecute ex-Olympian again in Reflecting Pool case");
        CHECK(first.news[0].url ==
              "https://www.washingtonpost.com/dc-md-va/2026/10/01/"
              "judge-says-us-cant-prosecute-ex-olympian-again-reflecting-pool-case/");
        CHECK(first.news[0].source == "The Washington Post");
        CHECK(first.news[0].picture == first.picture);
        CHECK(first.news[0].snippet.empty());
        CHECK(first.news[1].title ==
              "Reflecting Pool vandalism case vs. ex-Olympian to be dismissed");
        CHECK(first.news[1].url == "https://www.espn.com/olympics/story/_/id/50077403/"
                                   "reflecting-pool-vandalism-case-vs-ex-olympian-dismissed");
        CHECK(first.news[1].source == "ESPN");
        CHECK(first.news[2].title == "Reflecting Pool vandalism charges against Olympic canoeist "
                                     "David Hearn permanently dismissed");
        CHECK(first.news[2].url == "https://www.cbsnews.com/news/"
                                   "reflecting-pool-vandalism-charges-david-hearn-dismissed/");
        CHECK(first.news[2].source == "CBS News");

        const Item& last = s.items[9];
        CHECK(last.rank == 10);
        CHECK(last.term == "renee good");
        CHECK(last.traffic.value == 10000);
        CHECK(format_iso(last.started_at.value()) == "2026-10-01T15:20:00Z");
    }

    TEST_CASE("google trends rss reads the JP item without news or pictures") {
        const Snapshot s = parse_ok(read_source_file(k_jp));
        CHECK(s.geo == "JP");
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 10);
        const Item* shoko = find_term(s, "しょこたん");
        REQUIRE(shoko != nullptr);
        CHECK(shoko->rank == 5);
        CHECK(shoko->traffic.value == 500);
        CHECK(shoko->news.empty());
        CHECK(shoko->picture.empty());
        CHECK(shoko->picture_source.empty());
        CHECK(format_iso(shoko->started_at.value()) == "2026-09-09T12:20:00Z");
        CHECK(s.items[0].term == "西堀");
        CHECK(s.items[0].picture_source == "Yahoo!ニュース");
        CHECK(s.items[9].term == "小園海斗 ビール売り子");
    }

    TEST_CASE("google trends rss reads the GB OpenAI and Nvidia news") {
        const Snapshot s = parse_ok(read_source_file(k_gb));
        CHECK(s.geo == "GB");
        REQUIRE(s.items.size() == 10);
        const Item& nvidia = s.items[0];
        CHECK(nvidia.term == "Nvidia");
        CHECK(nvidia.traffic.value == 100);
        CHECK(format_iso(nvidia.started_at.value()) == "2026-02-03T03:00:00Z");
        REQUIRE(nvidia.news.size() == 3);
        CHECK(nvidia.news[0].title == "Nvidia shares are down after a report that its OpenAI "
                                      "investment stalled. Here's what's happening");
        CHECK(nvidia.news[0].source == "CNBC");
        CHECK(nvidia.news[1].title == "Amazon in talks to invest up to $50bn in OpenAI - report");
        CHECK(nvidia.news[1].source == "Sharecast.com");
        CHECK(nvidia.news[2].title == "Exclusive: OpenAI is unsatisfied with some Nvidia chips and "
                                      "looking for alternatives, sources say");
        CHECK(nvidia.news[2].url ==
              "https://www.reuters.com/business/"
              "openai-is-unsatisfied-with-some-nvidia-chips-looking-alternatives-"
              "sources-say-2026-02-02/");
        CHECK(nvidia.news[2].source == "Reuters");
    }

    TEST_CASE("google trends rss decodes escaped ampersands in BD news URLs once") {
        const Snapshot s = parse_ok(read_source_file(k_bd));
        CHECK(s.geo == "BD");
        REQUIRE(s.items.size() == 10);
        const Item* roma = find_term(s, "roma");
        REQUIRE(roma != nullptr);
        REQUIRE_FALSE(roma->news.empty());
        CHECK(roma->news[0].url ==
              "https://www.facebook.com/story.php?story_fbid=1420443876760930&id=100063859936263");
        const Item* ck = find_term(s, "ck");
        REQUIRE(ck != nullptr);
        CHECK(ck->news[0].url.find("?gaa_at=eafs&gaa_n=") != std::string::npos);
        for (const Item& i : s.items)
            for (const auto& n : i.news)
                CHECK(n.url.find("&amp;") == std::string::npos);
        CHECK(s.items[0].news[2].title ==
              "Diniz é vaiado e chamado de \"burro\" por torcedores após empate do Vasco");
        CHECK(find_term(s, "ফজরের নামাজের সময়") != nullptr);
        CHECK(s.items[0].news[1].title.starts_with("📹 Que fase!"));
    }

    TEST_CASE("google trends rss reads the old PT daily feed and its double escaping") {
        const Snapshot s = parse_ok(read_source_file(k_pt));
        CHECK(s.geo == "PT");
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 20);
        CHECK(s.items[0].term == "Ricardo Araújo Pereira");
        CHECK(format_iso(s.items[0].started_at.value()) == "2023-11-18T01:00:00Z");

        SUBCASE("thousands separators") {
            const Item* rtp = find_term(s, "RTP");
            REQUIRE(rtp != nullptr);
            CHECK(rtp->traffic.label == "2,000+");
            CHECK(rtp->traffic.value == 2000);
            CHECK(find_term(s, "F1")->traffic.value == 5000);
        }
        SUBCASE("double-escaped HTML decoded to real characters") {
            const Item* tomas = find_term(s, "Tomas Ribeiro");
            REQUIRE(tomas != nullptr);
            REQUIRE(tomas->news.size() == 1);
            CHECK(tomas->news[0].title == "A mais 'bela' do futebol namora com jogador português");
            CHECK(tomas->news[0].snippet.starts_with(
                "Futebolista 'mais sexy do Mundo' conheceu Tomás Ribeiro quando"));
            CHECK(s.items[0].news[0].snippet.ends_with("considera-se um macaco ..."));
            CHECK(find_term(s, "Jogo Portugal")->news[0].title ==
                  "Mariana Cabral: \"Queremos mandar no jogo e ganhar\"");
            for (const Item& i : s.items) {
                for (const auto& n : i.news) {
                    for (const std::string& field : {n.title, n.snippet, n.source}) {
                        CAPTURE(field);
                        CHECK(field.find("&nbsp;") == std::string::npos);
                        CHECK(field.find("&#39;") == std::string::npos);
                        CHECK(field.find("&quot;") == std::string::npos);
                        CHECK(field.find("&amp;") == std::string::npos);
                        CHECK(field.find("\u00a0") == std::string::npos);
                    }
                }
            }
        }
        SUBCASE("Sam Altman") {
            const Item* altman = find_term(s, "Sam Altman");
            REQUIRE(altman != nullptr);
            CHECK(altman->rank == 12);
            CHECK(altman->traffic.value == 2000);
            REQUIRE(altman->news.size() == 2);
            CHECK(altman->news[0].title ==
                  "Sam Altman é demitido do comando da OpenAI, criadora do ...");
            CHECK(altman->news[0].picture.empty());
        }
        SUBCASE("white space in terms collapsed") {
            CHECK(find_term(s, "Argentina Uruguai") != nullptr);
        }
    }

    TEST_CASE("google trends rss fixtures are clean and consistent") {
        for (const auto& path : {k_us, k_jp, k_gb, k_bd, k_pt}) {
            CAPTURE(path);
            const Snapshot s = parse_ok(read_source_file(path));
            CHECK(s.warnings.empty());
            std::set<std::string> terms;
            for (std::size_t i = 0; i < s.items.size(); ++i) {
                const Item& it = s.items[i];
                CHECK(it.rank == static_cast<int>(i + 1));
                CHECK(it.traffic.value.has_value());
                CHECK(it.started_at.has_value());
                CHECK(terms.insert(text::normalize_term(it.term)).second);
                CHECK(is_valid_utf8(it.term));
                CHECK(it.term == text::collapse_whitespace(it.term));
                for (const auto& n : it.news) {
                    CHECK_FALSE(n.title.empty());
                    CHECK(n.url.starts_with("https://"));
                }
            }
        }
    }

    TEST_CASE("google trends rss takes the geo from the context or the channel link") {
        const std::string body =
            rss(item("x"), k_new_ns, "https://trends.google.com/trending/rss?hours=48&amp;geo=gb");
        CHECK(parse_ok(body).geo == "GB");
        CHECK(parse_ok(body, context("DE")).geo == "DE");
        CHECK(parse_ok(rss(item("x"), k_new_ns, "https://trends.google.com/trending/rss")).geo ==
              "");
        CHECK(parse_ok(rss(item("x"), k_new_ns, "https://x/?geo=US-CA#top")).geo == "US-CA");
        CHECK(parse_ok(rss(item("x"), k_new_ns, "https://x/?geo=../../etc")).geo == "");
        CHECK(parse_ok(rss(item("x"), k_new_ns, "https://x/?region=US")).geo == "");
    }

    TEST_CASE("google trends rss refuses what is not a feed") {
        SUBCASE("empty body") {
            CHECK(parse_error("") == "empty document");
            CHECK(parse_error("\xEF\xBB\xBF \r\n\t") == "empty document");
        }
        SUBCASE("body over the cap") {
            ParseContext ctx = context();
            ctx.max_bytes = 1000;
            const std::string body = read_source_file(k_us);
            CHECK(parse_error(body, ctx) == "document is " + std::to_string(body.size()) +
                                                " bytes, over the cap of 1000 bytes");
        }
        SUBCASE("HTML error pages") {
            CHECK(parse_error("<!DOCTYPE html>\n<html lang=en><meta charset=utf-8><title>Error 429 "
                              "(Too Many Requests)!!1</title><p><b>429.</b> That’s an error.") ==
                  "an HTML page, not a feed (title: \"Error 429 (Too Many Requests)!!1\")");
            CHECK(parse_error("\xEF\xBB\xBF\n  <HTML><HEAD><TITLE>\n  Sorry &amp; goodbye\n "
                              "</TITLE></HEAD></HTML>") ==
                  "an HTML page, not a feed (title: \"Sorry & goodbye\")");
            CHECK(parse_error("<html><body>no title</body></html>") == "an HTML page, not a feed");
            CHECK(parse_error("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"
                              "<head><title>Blocked</title></head></html>") ==
                  "an HTML page, not a feed (title: \"Blocked\")");
            const std::string long_title = "<html><title>" + std::string(5000, 'x') + "</title>";
            CHECK(parse_error(long_title).size() < 200);
        }
        SUBCASE("JSON") {
            CHECK(parse_error(R"({"default":{"trendingSearchesDays":[]}})") ==
                  "a JSON document, not a feed");
            CHECK(parse_error(")]}',\n{\"x\":1}") == "a JSON document, not a feed");
        }
        SUBCASE("truncated XML") {
            const std::string body = read_source_file(k_us);
            const std::string message = parse_error(body.substr(0, body.size() / 2));
            CHECK(message.starts_with("not XML: "));
            CHECK(message.find(" at byte ") != std::string::npos);
        }
        SUBCASE("not XML at all") {
            CHECK(parse_error("hello world") == "not XML: No document element found at byte 11");
            CHECK(parse_error("<rss><channel></rss>")
                      .starts_with("not XML: Start-end tags mismatch"));
        }
        SUBCASE("wrong root or no channel") {
            CHECK(parse_error("<rss version=\"2.0\"><title>x</title></rss>") ==
                  "<rss> has no <channel>");
            CHECK(parse_error("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
                              "<title>x</title><entry><title>y</title></entry></feed>") ==
                  "root element is <feed>, not <rss>");
            CHECK(parse_error("<rdf:RDF><channel/></rdf:RDF>") ==
                  "root element is <rdf:RDF>, not <rss>");
        }
    }

    TEST_CASE("google trends rss fails cleanly wherever the document is cut") {
        const std::string body = read_source_file(k_jp);
        for (std::size_t size = 1; size + 2 < body.size(); size += 61) {
            CAPTURE(size);
            auto result = trend::feed::parse_google_trends_rss(body.substr(0, size), context());
            REQUIRE(std::holds_alternative<ParseError>(result));
            CHECK(std::get<ParseError>(result).message.starts_with("not XML: "));
        }
    }

    TEST_CASE("google trends rss accepts a channel without items") {
        const Snapshot s = parse_ok(rss(""));
        CHECK(s.items.empty());
        CHECK(s.warnings.empty());
        CHECK(s.geo == "US");
    }

    TEST_CASE("google trends rss matches ht elements by local name") {
        for (const std::string_view ns :
             {k_new_ns, k_old_ns, "https://trends.google.com/trends/trendingSearches"sv,
              "urn:something-else"sv}) {
            CAPTURE(ns);
            const Snapshot s =
                parse_ok(rss(item("openai", news("OpenAI news", "https://a.example/1")), ns));
            REQUIRE(s.items.size() == 1);
            CHECK(s.items[0].traffic.value == 200);
            REQUIRE(s.items[0].news.size() == 1);
            CHECK(s.items[0].news[0].title == "OpenAI news");
        }
        SUBCASE("another prefix for the same elements") {
            const std::string body =
                "<rss "
                "xmlns:g=\"https://trends.google.com/trending/rss\"><channel><item><title>x</title>"
                "<g:approx_traffic>5K+</g:approx_traffic></item></channel></rss>";
            CHECK(parse_ok(body).items.at(0).traffic.value == 5000);
        }
    }

    TEST_CASE("google trends rss html-decodes only the old format") {
        const std::string escaped = item(
            "Rock &amp;amp; Roll", news("&amp;#39;Quoted&amp;#39; &amp;quot;x&amp;quot;",
                                        "https://a.example/?a=1&amp;b=2", "snippet&amp;nbsp;..."));
        SUBCASE("old namespace: a second, HTML pass") {
            const Snapshot s = parse_ok(rss(escaped, k_old_ns));
            REQUIRE(s.items.size() == 1);
            CHECK(s.items[0].term == "Rock & Roll");
            CHECK(s.items[0].news.at(0).title == "'Quoted' \"x\"");
            CHECK(s.items[0].news.at(0).snippet == "snippet ...");
            CHECK(s.items[0].news.at(0).url == "https://a.example/?a=1&b=2");
        }
        SUBCASE("new namespace: XML decoding only") {
            const Snapshot s = parse_ok(rss(escaped, k_new_ns));
            REQUIRE(s.items.size() == 1);
            CHECK(s.items[0].term == "Rock &amp; Roll");
            CHECK(s.items[0].news.at(0).title == "&#39;Quoted&#39; &quot;x&quot;");
            CHECK(s.items[0].news.at(0).snippet == "snippet&nbsp;...");
        }
    }

    TEST_CASE("google trends rss collapses white space in every text field") {
        const Snapshot s = parse_ok(rss("<item><title>\n\t  OpenAI\u00a0\u00a0News \u3000</title>"
                                        "<ht:approx_traffic> 20\u202f000+ </ht:approx_traffic>"
                                        "<pubDate>\n Mon, 2 Feb 2026 19:00:00 -0800 \n</pubDate>"
                                        "<ht:picture>\n https://p.example/x.jpg \n</ht:picture>" +
                                        news("  a\n\nb  ", " https://a.example/ ") + "</item>"));
        REQUIRE(s.items.size() == 1);
        const Item& i = s.items[0];
        CHECK(i.term == "OpenAI News");
        CHECK(i.traffic.label == "20 000+");
        CHECK(i.traffic.value == 20000);
        CHECK(format_iso(i.started_at.value()) == "2026-02-03T03:00:00Z");
        CHECK(i.picture == "https://p.example/x.jpg");
        CHECK(i.news.at(0).title == "a b");
        CHECK(i.news.at(0).url == "https://a.example/");
    }

    TEST_CASE("google trends rss warns about unreadable traffic and dates") {
        const Snapshot s =
            parse_ok(rss("<item><title>term</title><ht:approx_traffic>2천+</ht:approx_traffic>"
                         "<pubDate>yesterday</pubDate></item>"
                         "<item><title>bare</title></item>"));
        REQUIRE(s.items.size() == 2);
        CHECK(s.items[0].traffic.label == "2천+");
        CHECK_FALSE(s.items[0].traffic.value.has_value());
        CHECK_FALSE(s.items[0].started_at.has_value());
        CHECK_FALSE(s.items[1].traffic.value.has_value());
        CHECK(s.items[1].traffic.label.empty());
        CHECK_FALSE(s.items[1].started_at.has_value());
        CHECK(s.warnings == std::vector<std::string>{
                                "item 1 \"term\": traffic label \"2천+\" not understood",
                                "item 1 \"term\": pubDate \"yesterday\" not understood",
                                "item 2 \"bare\": no traffic label",
                                "item 2 \"bare\": no pubDate",
                            });
    }

    TEST_CASE("google trends rss skips items without a title and ranks the rest") {
        const Snapshot s = parse_ok(rss(item("first") + item("") + item(" \u00a0 ") +
                                        "<item><ht:approx_traffic>1+</ht:approx_traffic></item>" +
                                        item("second")));
        REQUIRE(s.items.size() == 2);
        CHECK(s.items[0].term == "first");
        CHECK(s.items[0].rank == 1);
        CHECK(s.items[1].term == "second");
        CHECK(s.items[1].rank == 2);
        CHECK(s.warnings == std::vector<std::string>{"item 2: empty title, skipped",
                                                     "item 3: empty title, skipped",
                                                     "item 4: empty title, skipped"});
    }

    TEST_CASE("google trends rss keeps the first of a repeated term") {
        const Snapshot s =
            parse_ok(rss(item("OpenAI", news("first", "https://a.example/1")) + item("other") +
                         item(" openai\u00a0", news("second", "https://a.example/2"))));
        REQUIRE(s.items.size() == 2);
        CHECK(s.items[0].term == "OpenAI");
        CHECK(s.items[0].news.at(0).title == "first");
        CHECK(s.items[1].rank == 2);
        CHECK(s.warnings ==
              std::vector<std::string>{"item 3 \"openai\": same term as item 1, skipped"});
    }

    TEST_CASE("google trends rss caps the number of items and news items") {
        SUBCASE("items") {
            std::string items;
            for (int i = 0; i < 8; ++i)
                items += item("term " + std::to_string(i));
            ParseContext ctx = context();
            ctx.max_items = 5;
            const Snapshot s = parse_ok(rss(items), ctx);
            CHECK(s.items.size() == 5);
            CHECK(s.items.back().term == "term 4");
            CHECK(s.warnings == std::vector<std::string>{"3 items past the cap of 5 dropped"});
        }
        SUBCASE("news items") {
            std::string many;
            for (int i = 0; i < 25; ++i) {
                // Not "n" + std::to_string(i): GCC 12 -O3 warns falsely on const char* +
                // std::string&& (-Wrestrict, GCC bug 105329).
                const std::string n = std::to_string(i);
                many += news("n" + n, "https://a.example/" + n);
            }
            const Snapshot s = parse_ok(rss(item("x", many)));
            REQUIRE(s.items.size() == 1);
            CHECK(s.items[0].news.size() == 20);
            CHECK(s.items[0].news.back().title == "n19");
            CHECK(s.warnings ==
                  std::vector<std::string>{"item 1 \"x\": 25 news items, kept the first 20"});
        }
        SUBCASE("news items without title and url") {
            const Snapshot s = parse_ok(rss(
                item("x", news("", "") + news("", "https://a.example/") + news("title only", ""))));
            REQUIRE(s.items.size() == 1);
            REQUIRE(s.items[0].news.size() == 2);
            CHECK(s.items[0].news[0].url == "https://a.example/");
            CHECK(s.items[0].news[1].title == "title only");
            CHECK(s.warnings ==
                  std::vector<std::string>{
                      "item 1 \"x\": news item 1 has neither title nor url, skipped"});
        }
        SUBCASE("warnings themselves") {
            std::string items;
            for (int i = 0; i < 300; ++i)
                items += "<item><title/></item>";
            const Snapshot s = parse_ok(rss(items));
            CHECK(s.items.empty());
            REQUIRE(s.warnings.size() == 101);
            CHECK(s.warnings.back() == "200 more warnings not shown");
        }
    }

    TEST_CASE("google trends rss caps every text field without splitting a character") {
        SUBCASE("a 1 MB term") {
            std::string huge = "a";
            while (huge.size() < 1024 * 1024)
                huge += "€";
            const Snapshot s = parse_ok(rss(item(huge)));
            REQUIRE(s.items.size() == 1);
            // "a" + 93 three-byte euro signs, "…#" and 16 hex digits of a hash of the whole term
            const std::string& term = s.items[0].term;
            CHECK(term.size() == 300);
            CHECK(term.starts_with("a€€€"));
            CHECK(term.substr(280, 4) == "…#");
            CHECK(is_valid_utf8(term));
            REQUIRE(s.warnings.size() == 1);
            CHECK(s.warnings[0].starts_with("item 1 \"a€€€"));
            CHECK(s.warnings[0].ends_with(
                "term of 1048576 bytes cut to 300 (a hash of the whole term keeps it distinct)"));
        }
        SUBCASE("two long terms that share their first 10,000 characters stay two terms") {
            const std::string shared(10000, 'x');
            const Snapshot s = parse_ok(
                rss(item(shared + " one") + item(shared + " two") + item(shared + " ONE")));
            REQUIRE(s.items.size() == 2); // the third is the first in another case
            CHECK(s.items[0].term != s.items[1].term);
            CHECK(text::normalize_term(s.items[0].term) != text::normalize_term(s.items[1].term));
            CHECK(s.items[0].term.size() <= 300);
            CHECK(s.warnings.back().starts_with("item 3 "));
            CHECK(s.warnings.back().ends_with("same term as item 1, skipped"));
        }
        SUBCASE("news title and snippet") {
            const std::string long_text(5000, 'x');
            const Snapshot s =
                parse_ok(rss(item("t", news(long_text, "https://a.example/", long_text))));
            CHECK(s.items.at(0).news.at(0).title.size() == 2000);
            CHECK(s.items.at(0).news.at(0).snippet.size() == 2000);
        }
        SUBCASE("URLs are dropped, not cut, when too long or not web links") {
            const std::string long_url = "https://a.example/" + std::string(3000, 'x');
            const Snapshot s = parse_ok(
                rss(item("t", "<ht:picture>javascript:alert(1)</ht:picture>" + news("a", long_url) +
                                  news("b", "https://a.example/" + std::string(2000, 'y')) +
                                  news("c", "file:///etc/passwd"))));
            const Item& i = s.items.at(0);
            CHECK(i.picture.empty());
            REQUIRE(i.news.size() == 3);
            CHECK(i.news[0].url.empty());
            CHECK(i.news[1].url.size() == 2018);
            CHECK(i.news[2].url.empty());
            CHECK(s.warnings.size() == 3);
            CHECK(s.warnings.at(0) ==
                  "item 1 \"t\": picture \"javascript:alert(1)\" dropped, not a usable web URL");
        }
    }

    TEST_CASE("google trends rss repairs invalid UTF-8 instead of dropping the item") {
        const Snapshot s =
            parse_ok(rss(item("caf\xe9 \xed\xa0\x80 ok", news("bad \xff", "https://a.example/"))));
        REQUIRE(s.items.size() == 1);
        CHECK(s.items[0].term == "caf\uFFFD \uFFFD\uFFFD\uFFFD ok");
        CHECK(s.items[0].news.at(0).title == "bad \uFFFD");
    }

    TEST_CASE("google trends rss handles NUL bytes and control characters") {
        SUBCASE("a raw NUL byte is not XML") {
            const std::string body = rss(item("a"s + '\0' + "b"));
            const std::size_t at = body.find('\0');
            CHECK(parse_error(body) == "not XML: NUL byte at byte " + std::to_string(at));
        }
        SUBCASE("references to NUL and controls never reach the output") {
            const Snapshot s = parse_ok(rss(item("x&#1;y&#x1B;z") + item("p&#0;q")));
            REQUIRE(s.items.size() == 2);
            CHECK(s.items[0].term == "xyz");
            CHECK(s.items[1].term.find('\0') == std::string::npos);
        }
    }

    TEST_CASE("google trends rss reads CDATA titles as text") {
        const Snapshot s = parse_ok(rss(item("<![CDATA[Tom & Jerry <b>live</b>]]>") +
                                        item("split <![CDATA[&amp;]]> text")));
        REQUIRE(s.items.size() == 2);
        CHECK(s.items[0].term == "Tom & Jerry <b>live</b>");
        CHECK(s.items[1].term == "split &amp; text");
    }

    TEST_CASE("google trends rss keeps hostile text as plain text") {
        const std::array<std::string, 6> hostile{"../../etc/passwd",
                                                 "'; DROP TABLE terms;--",
                                                 "evil\u202Etxt.exe \u200F\u200E",
                                                 "🔥 emoji 👩‍👩‍👧 term",
                                                 "<script>alert(1)</script>",
                                                 "${HOME} $(rm -rf /) `id` %s %n"};
        std::string items;
        for (const auto& h : hostile) {
            std::string escaped;
            for (const char c : h)
                escaped += c == '<' ? "&lt;"s : c == '&' ? "&amp;"s : std::string(1, c);
            items += item(escaped);
        }
        const Snapshot s = parse_ok(rss(items));
        REQUIRE(s.items.size() == hostile.size());
        for (std::size_t i = 0; i < hostile.size(); ++i)
            CHECK(s.items[i].term == hostile[i]);
    }

    TEST_CASE("google trends rss does not expand DTD entities") {
        const std::string bomb =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n"
            "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
            "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
            "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
            "<!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
            "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n"
            "<rss><channel><item><title>&lol9;</title></item><item><title>&xxe;</title></item>"
            "</channel></rss>";
        const auto start = std::chrono::steady_clock::now();
        const Snapshot s = parse_ok(bomb);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
        REQUIRE(s.items.size() == 2);
        CHECK(s.items[0].term == "&lol9;");
        CHECK(s.items[1].term == "&xxe;");
    }

    TEST_CASE("google trends rss survives deep nesting") {
        std::string deep;
        for (int i = 0; i < 20000; ++i)
            deep += "<x>";
        for (int i = 0; i < 20000; ++i)
            deep += "</x>";
        const Snapshot s = parse_ok(rss(item("deep", deep)));
        REQUIRE(s.items.size() == 1);
        CHECK(s.items[0].term == "deep");
    }

} // TEST_SUITE
