// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/util/html_text.hpp"
#include "trend/util/text.hpp"

#include <string>

using namespace std::string_literals;
using trend::text::html_to_text;
using trend::text::looks_like_html;

namespace {

std::string text_of(const std::string& html, std::size_t max = 2000) {
    return html_to_text(html, max).text;
}

} // namespace

TEST_SUITE("util") {

    TEST_CASE("html_to_text keeps the visible text, entities decoded once") {
        CHECK(text_of("<p>Hello <b>world</b></p>") == "Hello world");
        CHECK(text_of("AT&amp;T &amp;amp; &#39;quotes&#39; &#x2019; &nbsp;x") ==
              "AT&T &amp; 'quotes' \u2019 x");
        CHECK(text_of("un<b>believ</b>able") == "unbelievable");
        CHECK(text_of("<p>one</p><p>two</p><ul><li>three</li><li>four</li></ul>") ==
              "one two three four");
        CHECK(text_of("line<br>break<br/>again") == "line break again");
        CHECK(text_of("x < y & z") == "x < y & z");
        CHECK(text_of("<![CDATA[not cdata in html]]>kept") == "kept");
    }

    TEST_CASE("html_to_text never lets scripts, styles or attributes through") {
        CHECK(text_of("<script>alert(1)</script>Hi") == "Hi");
        CHECK(text_of("<SCRIPT type=module>fetch('//evil')</SCRIPT>Hi") == "Hi");
        CHECK(text_of("<style>body{display:none}</style>Hi") == "Hi");
        CHECK(text_of("<img src=x onerror=\"alert(1)\">Hi") == "Hi");
        CHECK(text_of("<a href=\"javascript:alert(1)\" onclick=\"steal()\">Click</a>") == "Click");
        CHECK(text_of("<iframe src=\"https://evil\">inner</iframe><noscript>ns</noscript>ok") ==
              "ok");
        CHECK(text_of("<svg><script>alert(1)</script><text>svg text</text></svg>ok") == "ok");
        CHECK(text_of("<template><p>hidden</p></template>ok") == "ok");
        // Escaped markup is text, and stays text: it is not parsed a second time.
        CHECK(text_of("&lt;script&gt;alert(1)&lt;/script&gt;") == "<script>alert(1)</script>");
        // An unclosed script swallows the rest, as in a browser.
        CHECK(text_of("before<script>alert(1)") == "before");
    }

    TEST_CASE("html_to_text caps the text and says so") {
        const auto t = html_to_text("<p>" + std::string(5000, 'a') + "</p>", 100);
        CHECK(t.text == std::string(100, 'a'));
        CHECK(t.truncated);
        const auto u = html_to_text("<p>ééééé</p>", 5); // never cuts a code point
        CHECK(u.text == "éé");
        CHECK(u.truncated);
        CHECK_FALSE(html_to_text("<p>short</p>", 100).truncated);
    }

    TEST_CASE("html_to_text repairs invalid UTF-8 and survives hostile input") {
        CHECK(text_of("caf\xC3 \xFF ok") == "caf\uFFFD \uFFFD ok");
        CHECK(text_of(std::string("a\0b", 3)).find('\0') == std::string::npos);
        std::string nested;
        for (int i = 0; i < 200; ++i)
            nested += "<div>";
        CHECK(text_of(nested + "200 deep") == "200 deep");
        // Past 256 levels nothing more is read: gumbo's cost grows with tags times depth.
        for (int i = 0; i < 9800; ++i)
            nested += "<div>";
        const auto deep = html_to_text("<p>top</p>" + nested + "10000 deep", 100);
        CHECK(deep.text == "top");
        CHECK(deep.truncated);
        // Void elements do not nest; "<span/>" does, as in a browser.
        std::string flat;
        for (int i = 0; i < 1000; ++i)
            flat += "<br><img src=x><hr/>";
        CHECK(text_of(flat + "flat") == "flat");
        std::string spans;
        for (int i = 0; i < 1000; ++i)
            spans += "<span/>";
        CHECK(text_of(spans + "lost").empty());
        std::string huge(1 << 20, 'x'); // only the first 64 KiB are read
        const auto t = html_to_text(huge, 1 << 20);
        CHECK(t.truncated);
        CHECK(t.text.size() == 64 * 1024);
    }

    TEST_CASE("html_to_text finds the first real image") {
        CHECK(html_to_text("<img src=\"a.jpg\"><img src=\"b.jpg\">", 100).first_image == "a.jpg");
        CHECK(
            html_to_text("<img src=\"px.gif\" width=\"1\" height=\"1\"><img src=\"real.jpg\">", 100)
                .first_image == "real.jpg");
        CHECK(html_to_text("<p>no image</p>", 100).first_image.empty());
        // found past the text budget too
        CHECK(html_to_text("<p>" + std::string(500, 'a') + "</p><img src=\"late.jpg\">", 10)
                  .first_image == "late.jpg");
    }

    TEST_CASE("looks_like_html sees tags and references, not plain text") {
        CHECK(looks_like_html("<b>bold</b>"));
        CHECK(looks_like_html("a </p>"));
        CHECK(looks_like_html("<!-- c -->"));
        CHECK(looks_like_html("Tom &amp; Jerry"));
        CHECK(looks_like_html("it&#39;s"));
        CHECK(looks_like_html("it&#x27;s"));
        CHECK_FALSE(looks_like_html("AT&T"));
        CHECK_FALSE(looks_like_html("x < y & z"));
        CHECK_FALSE(looks_like_html("a <3 b"));
        CHECK_FALSE(looks_like_html("fish & chips; peas"));
        CHECK_FALSE(looks_like_html(""));
        CHECK_FALSE(looks_like_html("ends with <"));
    }
}
