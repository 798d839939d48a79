// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/fetch/robots.hpp"

#include <chrono>
#include <string>

using namespace trend::fetch;

TEST_SUITE("fetch.robots") {

    // RFC 9309 section 5.1, verbatim.
    constexpr const char* k_rfc_example = "User-Agent: *\n"
                                          "Disallow: *.gif$\n"
                                          "Disallow: /example/\n"
                                          "Allow: /publications/\n"
                                          "\n"
                                          "User-Agent: foobot\n"
                                          "Disallow:/\n"
                                          "Allow:/example/page.html\n"
                                          "Allow:/example/allowed.gif\n"
                                          "\n"
                                          "User-Agent: barbot\n"
                                          "User-Agent: bazbot\n"
                                          "Disallow: /example/page.html\n"
                                          "\n"
                                          "User-Agent: quxbot\n"
                                          "\n"
                                          "EOF\n";

    TEST_CASE("the RFC 9309 example file: foobot's own group") {
        const Robots r = parse_robots(k_rfc_example);
        CHECK(allowed(r, "foobot", "/example/page.html"));
        CHECK(allowed(r, "foobot", "/example/allowed.gif"));
        CHECK_FALSE(allowed(r, "foobot", "/"));
        CHECK_FALSE(allowed(r, "foobot", "/example/"));
        CHECK_FALSE(allowed(r, "foobot", "/publications/"));
    }

    TEST_CASE("the RFC 9309 example file: consecutive user-agent lines share one group") {
        const Robots r = parse_robots(k_rfc_example);
        for (const char* agent : {"barbot", "bazbot"}) {
            INFO(agent);
            CHECK_FALSE(allowed(r, agent, "/example/page.html"));
            CHECK(allowed(r, agent, "/example/other.gif")); // the * group does not apply to them
            CHECK(allowed(r, agent, "/"));
        }
    }

    TEST_CASE("the RFC 9309 example file: a group without rules allows everything") {
        const Robots r = parse_robots(k_rfc_example);
        CHECK(allowed(r, "quxbot", "/example/page.html"));
        CHECK(allowed(r, "quxbot", "/x.gif"));
    }

    TEST_CASE("the RFC 9309 example file: others follow the * group") {
        const Robots r = parse_robots(k_rfc_example);
        CHECK_FALSE(allowed(r, "trendd", "/image.gif"));
        CHECK(allowed(r, "trendd", "/image.gif?size=2")); // '$' anchors the end
        CHECK_FALSE(allowed(r, "trendd", "/example/"));
        CHECK_FALSE(allowed(r, "trendd", "/example/deep/page"));
        CHECK(allowed(r, "trendd", "/publications/"));
        CHECK(allowed(r, "trendd", "/news/today"));
        REQUIRE(r.groups.size() == 4);
        CHECK(r.groups[2].agents == std::vector<std::string>{"barbot", "bazbot"});
    }

    TEST_CASE("the longest matching rule wins and allow wins a tie (RFC 9309 2.2.2)") {
        const Robots r = parse_robots("user-agent: *\n"
                                      "allow: /example/page/\n"
                                      "disallow: /example/page/disallowed.gif\n"
                                      "disallow: /tie\n"
                                      "allow: /tie\n"
                                      "disallow: /a\n"
                                      "allow: /a*\n");
        CHECK(allowed(r, "trendd", "/example/page/"));
        CHECK(allowed(r, "trendd", "/example/page/ok.gif"));
        CHECK_FALSE(allowed(r, "trendd", "/example/page/disallowed.gif"));
        CHECK(allowed(r, "trendd", "/tie"));
        CHECK(allowed(r, "trendd", "/abc")); // "/a*" (3 octets) is longer than "/a"
    }

    TEST_CASE("special characters: comment, end anchor and wildcard (RFC 9309 2.2.3)") {
        const Robots exact = parse_robots("User-agent: *  # any crawler\n"
                                          "Disallow: /\n"
                                          "Allow: /this/path/exactly$\n");
        CHECK(allowed(exact, "trendd", "/this/path/exactly"));
        CHECK_FALSE(allowed(exact, "trendd", "/this/path/exactly/not"));
        CHECK_FALSE(allowed(exact, "trendd", "/this/path/exactly?q"));
        const Robots star = parse_robots("User-agent: *\nDisallow: /\nAllow: /this/*/exactly\n");
        CHECK(allowed(star, "trendd", "/this/a/b/exactly"));
        CHECK(allowed(star, "trendd", "/this/a/exactly-and-more")); // rules match prefixes
        CHECK_FALSE(allowed(star, "trendd", "/this/exactly"));
    }

    TEST_CASE("wildcards in the middle and a '$' not at the end") {
        const Robots r = parse_robots("user-agent: *\n"
                                      "disallow: /*/private/*.html$\n"
                                      "disallow: /price$list\n");
        CHECK_FALSE(allowed(r, "trendd", "/a/private/b.html"));
        CHECK_FALSE(allowed(r, "trendd", "/a/b/private/c/d.html"));
        CHECK(allowed(r, "trendd", "/a/private/b.html?x"));
        CHECK(allowed(r, "trendd", "/private/b.html"));
        CHECK_FALSE(allowed(r, "trendd", "/price$list/1")); // literal '$'
        CHECK(allowed(r, "trendd", "/price"));
    }

    TEST_CASE("percent-encoding is normalised on both sides (RFC 9309 2.2.2 table)") {
        const Robots r = parse_robots("user-agent: *\n"
                                      "disallow: /foo/bar?baz=quz\n"
                                      "disallow: /foo/bar/\xE3\x83\x84\n" // ツ in UTF-8
                                      "disallow: /foo/bar/%62%61%7A\n"    // "baz" encoded
                                      "disallow: /up/%2fcase\n");
        CHECK_FALSE(allowed(r, "trendd", "/foo/bar?baz=quz"));
        CHECK_FALSE(allowed(r, "trendd", "/foo/bar/%E3%83%84"));
        CHECK_FALSE(allowed(r, "trendd", "/foo/bar/%e3%83%84"));
        CHECK_FALSE(allowed(r, "trendd", "/foo/bar/\xE3\x83\x84"));
        CHECK_FALSE(allowed(r, "trendd", "/foo/bar/baz"));
        CHECK_FALSE(allowed(r, "trendd", "/up/%2Fcase"));
        CHECK(allowed(r, "trendd", "/up/case")); // %2F is reserved: never decoded
        CHECK(allowed(r, "trendd", "/foo/bar/qux"));
    }

    TEST_CASE("user-agent matching is by product token and case-insensitive") {
        const Robots r = parse_robots("User-agent: TrendD/1.0 (+https://example.org)\n"
                                      "Disallow: /private\n"
                                      "User-agent: *\n"
                                      "Disallow: /\n");
        CHECK_FALSE(allowed(r, "trendd", "/private/x"));
        CHECK(allowed(r, "trendd", "/public"));
        CHECK(allowed(r, "TRENDD/0.1.0", "/public"));
        CHECK_FALSE(allowed(r, "otherbot", "/public"));
    }

    TEST_CASE("groups for the same user-agent are merged") {
        const Robots r = parse_robots("user-agent: trendd\n"
                                      "disallow: /a\n"
                                      "\n"
                                      "user-agent: other\n"
                                      "disallow: /\n"
                                      "\n"
                                      "user-agent: trendd\n"
                                      "disallow: /b\n");
        CHECK_FALSE(allowed(r, "trendd", "/a"));
        CHECK_FALSE(allowed(r, "trendd", "/b"));
        CHECK(allowed(r, "trendd", "/c"));
    }

    TEST_CASE("a specific group hides the * group even when it allows everything") {
        const Robots r =
            parse_robots("user-agent: *\ndisallow: /\n\nuser-agent: trendd\ndisallow:\n");
        CHECK(allowed(r, "trendd", "/anything"));
        CHECK_FALSE(allowed(r, "someone", "/anything"));
    }

    TEST_CASE("no group for the agent and no * group: everything is allowed") {
        const Robots r = parse_robots("user-agent: otherbot\ndisallow: /\n");
        CHECK(allowed(r, "trendd", "/"));
        CHECK(allowed(parse_robots(""), "trendd", "/x"));
    }

    TEST_CASE("sitemap and unknown lines do not end a run of user-agent lines") {
        const Robots r = parse_robots("user-agent: a\n"
                                      "sitemap: https://example.org/sitemap.xml\n"
                                      "crawl-delay: 10\n"
                                      "user-agent: trendd\n"
                                      "disallow: /x\n");
        REQUIRE(r.groups.size() == 1);
        CHECK(r.groups[0].agents == std::vector<std::string>{"a", "trendd"});
        CHECK_FALSE(allowed(r, "trendd", "/x"));
        CHECK(r.sitemaps == std::vector<std::string>{"https://example.org/sitemap.xml"});
    }

    TEST_CASE("rules before any user-agent and lines without a separator are ignored") {
        const Robots r = parse_robots("disallow: /\n"
                                      "this line means nothing\n"
                                      "user-agent: *\n"
                                      "disallow: /private\n");
        CHECK(allowed(r, "trendd", "/"));
        CHECK_FALSE(allowed(r, "trendd", "/private"));
    }

    TEST_CASE("frequent typos and a missing colon are accepted") {
        const Robots r = parse_robots("useragent trendd\ndissallow: /a\ndisallow /b\n");
        CHECK_FALSE(allowed(r, "trendd", "/a"));
        CHECK_FALSE(allowed(r, "trendd", "/b"));
    }

    TEST_CASE("lines end at LF, CR or CRLF and a byte order mark is skipped") {
        const Robots r =
            parse_robots("\xEF\xBB\xBFuser-agent: *\r\ndisallow: /a\rdisallow: /b\ndisallow: /c");
        CHECK_FALSE(allowed(r, "trendd", "/a"));
        CHECK_FALSE(allowed(r, "trendd", "/b"));
        CHECK_FALSE(allowed(r, "trendd", "/c"));
        CHECK(allowed(r, "trendd", "/d"));
    }

    TEST_CASE("a line that is not valid UTF-8 is ignored") {
        const Robots r =
            parse_robots("user-agent: *\ndisallow: /\xFF\xFE\ndisallow: /ok-\xC3\xA9\n");
        CHECK(allowed(r, "trendd", "/%FF%FE"));
        CHECK_FALSE(allowed(r, "trendd", "/ok-%C3%A9"));
    }

    TEST_CASE("only the first 500 KiB are read, without the line the limit cuts") {
        std::string body = "user-agent: *\n";
        body += "# " + std::string(k_robots_parse_limit - 40, 'x') + "\n";
        while (body.size() < k_robots_parse_limit - 10)
            body += "#\n";
        body += "disallow: /private-area\n"; // cut after "disallow: /"
        body += "disallow: /late\n";
        const Robots r = parse_robots(body);
        CHECK(r.truncated);
        CHECK(allowed(r, "trendd", "/late"));
        CHECK(allowed(r, "trendd", "/index.html"));
        CHECK(r.groups.at(0).rules.empty());
    }

    TEST_CASE("/robots.txt is always allowed") {
        const Robots r = parse_robots("user-agent: *\ndisallow: /\n");
        CHECK(allowed(r, "trendd", "/robots.txt"));
        CHECK_FALSE(allowed(r, "trendd", "/robots.txt.bak"));
    }

    TEST_CASE("an empty path is the root and a fragment is ignored") {
        const Robots r = parse_robots("user-agent: *\ndisallow: /$\ndisallow: /a$\n");
        CHECK_FALSE(allowed(r, "trendd", ""));
        CHECK_FALSE(allowed(r, "trendd", "/a#section"));
        CHECK(allowed(r, "trendd", "/a?q=1"));
    }

    TEST_CASE("unavailable allows everything and unreachable nothing (RFC 9309 2.3.1)") {
        CHECK(allowed(Robots::unavailable(), "trendd", "/x"));
        CHECK_FALSE(allowed(Robots::unreachable(), "trendd", "/x"));
        CHECK_FALSE(allowed(Robots::unreachable(), "trendd", "/robots.txt"));
    }

    TEST_CASE("hostile patterns stay fast") {
        std::string body = "user-agent: *\n";
        for (int i = 0; i < 15000; ++i)
            body += "disallow: /*a*a*a*a*a*a*a*a*b$\n";
        const Robots r = parse_robots(body);
        REQUIRE_FALSE(r.truncated);
        const std::string path = "/" + std::string(8000, 'a');
        const auto t0 = std::chrono::steady_clock::now();
        CHECK(allowed(r, "trendd", path));
        CHECK_FALSE(allowed(r, "trendd", path + "b"));
        CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    }

} // TEST_SUITE
