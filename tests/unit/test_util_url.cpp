// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/util/url.hpp"

#include <string>

using namespace std::string_literals;
namespace util = trend::util;

TEST_SUITE("util") {

    TEST_CASE("resolve_url follows RFC 3986 reference resolution") {
        const std::string base = "http://example.org/a/b/feed.xml";
        CHECK(util::resolve_url(base, "../c/d.html") == "http://example.org/a/c/d.html");
        CHECK(util::resolve_url(base, "d.html") == "http://example.org/a/b/d.html");
        CHECK(util::resolve_url(base, "/x?y=1#f") == "http://example.org/x?y=1#f");
        CHECK(util::resolve_url(base, "//cdn.example.com/i.jpg") == "http://cdn.example.com/i.jpg");
        CHECK(util::resolve_url(base, "?q=1") == "http://example.org/a/b/feed.xml?q=1");
        CHECK(util::resolve_url(base, "https://other.org/p") == "https://other.org/p");
    }

    TEST_CASE("resolve_url trims white space and percent-encodes what a URL cannot hold") {
        CHECK(util::resolve_url("", "\n  https://example.org/a b\t ") ==
              "https://example.org/a%20b");
        CHECK(util::resolve_url("", "https://example.org/zoë") == "https://example.org/zo%c3%ab");
        CHECK(util::resolve_url("", "https://example.org/a%20b") == "https://example.org/a%20b");
    }

    TEST_CASE("resolve_url refuses what it cannot make absolute") {
        CHECK_FALSE(util::resolve_url("", "relative/path").has_value());
        CHECK_FALSE(util::resolve_url("", "").has_value());
        CHECK_FALSE(util::resolve_url("", "https://example.org/\0evil"s).has_value());
        CHECK_FALSE(
            util::resolve_url("", "https://example.org/" + std::string(3000, 'a')).has_value());
    }

    TEST_CASE("resolve_http_url keeps only http and https") {
        CHECK(util::resolve_http_url("", "HTTPS://Example.org/x") == "https://Example.org/x");
        CHECK(util::resolve_http_url("http://example.org/", "/p") == "http://example.org/p");
        for (const std::string& bad :
             {"javascript:alert(1)"s, "JavaScript:alert(1)"s, " javascript:alert(1)"s,
              "data:text/html;base64,PHNjcmlwdD4="s, "mailto:jo@example.org"s,
              "file:///etc/passwd"s, "ftp://example.org/x"s, "vbscript:msgbox"s, "http://"s}) {
            CAPTURE(bad);
            CHECK_FALSE(util::resolve_http_url("http://example.org/", bad).has_value());
        }
    }
}
