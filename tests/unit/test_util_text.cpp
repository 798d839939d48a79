// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/util/text.hpp"

#include <string>

using namespace std::string_literals;
namespace text = trend::text;

namespace {

const std::string k_fffd = "\uFFFD";

std::string fffd(int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += k_fffd;
    return out;
}

} // namespace

TEST_SUITE("text") {

    TEST_CASE("repair_utf8 returns valid text unchanged") {
        for (const std::string& valid :
             {""s, "plain ascii"s, "école Ελλάδα Москва"s, "群創光電 しょこたん"s,
              "ফজরের নামাজের সময়"s, "emoji 🔥📹 and \U0010FFFF"s, "tab\tnewline\ncr\r"s,
              "del \x7f stays"s}) {
            CAPTURE(valid);
            CHECK(text::repair_utf8(valid) == valid);
        }
    }

    TEST_CASE("repair_utf8 replaces every invalid sequence with U+FFFD") {
        SUBCASE("stray bytes") {
            CHECK(text::repair_utf8("a\x80z") == "a" + k_fffd + "z");
            CHECK(text::repair_utf8("\xff\xfe") == fffd(2));
            CHECK(text::repair_utf8("\xf5\x80") == fffd(2));
        }
        SUBCASE("overlong encodings") {
            // One U+FFFD per maximal subpart, as Unicode and WHATWG recommend: an overlong form is
            // never a valid prefix, so each of its bytes is replaced.
            CHECK(text::repair_utf8("\xc0\xaf") == fffd(2));
            CHECK(text::repair_utf8("\xc1\xbf") == fffd(2));
            CHECK(text::repair_utf8("\xe0\x80\xaf") == fffd(3));
            CHECK(text::repair_utf8("\xf0\x80\x80\xaf") == fffd(4));
        }
        SUBCASE("surrogates and code points past U+10FFFF") {
            // "x" + fffd(3) would be a const char* + std::string&&, where GCC 12 at -O3 warns
            // falsely (-Wrestrict, GCC bug 105329): add to a named string instead.
            const std::string replaced = fffd(3);
            CHECK(text::repair_utf8("x\xed\xa0\x80y") == "x" + replaced + "y");
            CHECK(text::repair_utf8("\xed\xbf\xbf") == fffd(3));
            CHECK(text::repair_utf8("\xf4\x90\x80\x80") == fffd(4));
        }
        SUBCASE("truncated sequences") {
            CHECK(text::repair_utf8("\xe2\x82") == k_fffd);
            CHECK(text::repair_utf8("\xe2\x82"
                                    "A") == k_fffd + "A");
            CHECK(text::repair_utf8("ok \xf0\x9f\x98") == "ok " + k_fffd);
            CHECK(text::repair_utf8("\xc3") == k_fffd);
            CHECK(text::repair_utf8("\xc3 \xa9") == k_fffd + " " + k_fffd);
        }
        SUBCASE("the result is always valid") {
            const std::string garbage = "\xed\xa0\x80\xc0\x80\xf8\x88\x80\x80\x80\xe2\x28\xa1";
            const std::string repaired = text::repair_utf8(garbage);
            CHECK(text::repair_utf8(repaired) == repaired);
        }
    }

    TEST_CASE("repair_utf8 drops NUL and C0 controls but keeps tab and line breaks") {
        CHECK(text::repair_utf8("a\0b\x01"
                                "c\x1f"
                                "d\x1b[31m"s) == "abcd[31m");
        CHECK(text::repair_utf8("a\tb\nc\rd") == "a\tb\nc\rd");
    }

    TEST_CASE("collapse_whitespace trims and collapses Unicode white space") {
        CHECK(text::collapse_whitespace("  a \t\n b  \r\n") == "a b");
        CHECK(text::collapse_whitespace("") == "");
        CHECK(text::collapse_whitespace(" \t\u00a0\u3000 ") == "");
        SUBCASE("every no-break and typographic space") {
            for (const std::string& space :
                 {"\u00a0"s, "\u202f"s, "\u3000"s, "\u2000"s, "\u2003"s, "\u2009"s, "\u200a"s,
                  "\u1680"s, "\u2028"s, "\u205f"s, "\u0085"s}) {
                CAPTURE(space);
                CHECK(text::collapse_whitespace(space + "20" + space + space + "000" + space) ==
                      "20 000");
            }
        }
        SUBCASE("zero-width characters are not white space") {
            CHECK(text::collapse_whitespace("a\u200bb") == "a\u200bb");
        }
        SUBCASE("CJK text keeps its characters and loses the doubled space") {
            CHECK(text::collapse_whitespace("群 創  光電") == "群 創 光電");
        }
    }

    TEST_CASE("normalize_term lower-cases Unicode and collapses white space") {
        CHECK(text::normalize_term("  OpenAI\u00a0 News ") == "openai news");
        CHECK(text::normalize_term("ÉCOLE") == "école");
        CHECK(text::normalize_term("Ricardo Araújo PEREIRA") == "ricardo araújo pereira");
        SUBCASE("Greek with simple case folding of the final sigma") {
            CHECK(text::normalize_term("ΑΘΗΝΑ") == "αθηνα");
            CHECK(text::normalize_term("ΟΔΥΣΣΕΥΣ") == text::normalize_term("οδυσσευς"));
        }
        SUBCASE("Cyrillic and other cased scripts") {
            CHECK(text::normalize_term("МОСКВА Київ") == "москва київ");
            CHECK(text::normalize_term("ŁÓDŹ ÆØÅ") == "łódź æøå");
            CHECK(text::normalize_term("ＡＢＣ") == "ａｂｃ");
        }
        SUBCASE("uncased scripts are unchanged") {
            CHECK(text::normalize_term("しょこたん") == "しょこたん");
            CHECK(text::normalize_term("群 創  光電") == "群 創 光電");
            CHECK(text::normalize_term("ফজরের নামাজের সময়") == "ফজরের নামাজের সময়");
            CHECK(text::normalize_term("🔥 Fire") == "🔥 fire");
        }
        SUBCASE("idempotent") {
            const std::string once = text::normalize_term(" Sam\u202fALTMAN  ΣΟΦΊΑ ");
            CHECK(once == "sam altman σοφία");
            CHECK(text::normalize_term(once) == once);
        }
    }

    TEST_CASE("decode_html_entities decodes named references") {
        CHECK(text::decode_html_entities("AT&amp;T &lt;b&gt; &quot;x&quot; &apos;y&apos;") ==
              "AT&T <b> \"x\" 'y'");
        CHECK(text::decode_html_entities("a&nbsp;b") == "a\u00a0b");
        CHECK(text::decode_html_entities("&ndash;&mdash;&hellip;&lsquo;&rsquo;&ldquo;&rdquo;") ==
              "–—…‘’“”");
        CHECK(text::decode_html_entities("&laquo;x&raquo; &copy;&reg;&trade; &euro;&pound;&yen;") ==
              "«x» ©®™ €£¥");
        CHECK(text::decode_html_entities(
                  "caf&eacute; &Eacute;T&Eacute; &ccedil;&atilde;o &szlig;") == "café ÉTÉ ção ß");
    }

    TEST_CASE("decode_html_entities decodes decimal and hex references") {
        CHECK(text::decode_html_entities("&#39;Scott Pilgrim&#39;") == "'Scott Pilgrim'");
        CHECK(text::decode_html_entities("&#x27;&#X27;&#x1F525;&#233;") == "''🔥é");
        CHECK(text::decode_html_entities("&#x00041;") == "A");
        SUBCASE("windows-1252 numbers as HTML5 reads them") {
            CHECK(text::decode_html_entities("&#146;&#150;&#128;") == "’–€");
        }
        SUBCASE("invalid code points become U+FFFD") {
            CHECK(text::decode_html_entities("&#0;") == k_fffd);
            CHECK(text::decode_html_entities("&#xD800;") == k_fffd);
            CHECK(text::decode_html_entities("&#x110000;") == k_fffd);
            CHECK(text::decode_html_entities("&#99999999999999999999999;") == k_fffd);
            CHECK(text::decode_html_entities("a&#1;b&#x1B;c") == "a" + k_fffd + "b" + k_fffd + "c");
        }
    }

    TEST_CASE("decode_html_entities decodes exactly once") {
        CHECK(text::decode_html_entities("&amp;amp;") == "&amp;");
        CHECK(text::decode_html_entities("&amp;#39;") == "&#39;");
        CHECK(text::decode_html_entities("&amp;nbsp;...") == "&nbsp;...");
        CHECK(text::decode_html_entities(text::decode_html_entities("&amp;#39;")) == "'");
    }

    TEST_CASE("decode_html_entities keeps unknown and malformed references as written") {
        for (const std::string& kept :
             {"AT&T"s, "a & b"s, "&"s, "x&"s, "&amp"s, "&unknown;"s, "&#;"s, "&#x;"s, "&#xZZ;"s,
              "&#12"s, "&;"s, "?a=1&copy=2"s, "&lol9;"s, "&AMP;"s}) {
            CAPTURE(kept);
            CHECK(text::decode_html_entities(kept) == kept);
        }
        CHECK(text::decode_html_entities("&bogus;&amp;") == "&bogus;&");
    }

    TEST_CASE("strip_html_tags removes tags and keeps their text") {
        CHECK(text::strip_html_tags("<b>Open</b>AI") == "OpenAI");
        CHECK(text::strip_html_tags("line<br/>break<BR>") == "linebreak");
        CHECK(text::strip_html_tags("<a href=\"https://x\">link</a> text") == "link text");
        CHECK(text::strip_html_tags("a<!-- <b>hidden</b> -->b") == "ab");
        CHECK(text::strip_html_tags("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2");
        CHECK(text::strip_html_tags("unclosed <b") == "unclosed <b");
        CHECK(text::strip_html_tags("") == "");
    }

    TEST_CASE("utf8_length counts code points") {
        CHECK(text::utf8_length("") == 0);
        CHECK(text::utf8_length("abc") == 3);
        CHECK(text::utf8_length("école") == 5);
        CHECK(text::utf8_length("しょこたん") == 5);
        CHECK(text::utf8_length("🔥x") == 2);
    }

    TEST_CASE("utf8_prefix never splits a code point") {
        CHECK(text::utf8_prefix("abc", 10) == "abc");
        CHECK(text::utf8_prefix("abc", 2) == "ab");
        CHECK(text::utf8_prefix("abc", 0) == "");
        CHECK(text::utf8_prefix("aé", 2) == "a");
        CHECK(text::utf8_prefix("aé", 3) == "aé");
        CHECK(text::utf8_prefix("€€", 5) == "€");
        CHECK(text::utf8_prefix("🔥🔥", 7) == "🔥");
        CHECK(text::utf8_prefix("🔥", 3) == "");
    }

    TEST_CASE("istarts_with ignores ASCII case only") {
        CHECK(text::istarts_with("<!DOCTYPE html>", "<!doctype html"));
        CHECK(text::istarts_with("HTTPS://x", "https://"));
        CHECK(text::istarts_with("abc", ""));
        CHECK_FALSE(text::istarts_with("ab", "abc"));
        CHECK_FALSE(text::istarts_with("<htm", "<html"));
        CHECK_FALSE(text::istarts_with("ÉCOLE", "école"));
    }

    TEST_CASE("ascii_lower changes only ASCII letters") {
        CHECK(text::ascii_lower("Error 429 ÉCOLE") == "error 429 École");
        CHECK(text::ascii_lower("") == "");
    }

} // TEST_SUITE

TEST_CASE("display width counts East Asian wide characters twice") {
    CHECK(trend::text::display_width("openai") == 6);
    CHECK(trend::text::display_width("美金") == 4);
    CHECK(trend::text::display_width("mlb直播") == 7);
    CHECK(trend::text::display_width("é") == 1);
    CHECK(trend::text::display_width("") == 0);
}

TEST_CASE("terminal_safe shows controls and bidi, format and zero-width characters as escapes") {
    namespace text = trend::text;
    CHECK(text::terminal_safe("evil\u202Etxt.exe") == "evil\\u202Etxt.exe");
    CHECK(text::terminal_safe("\u2066a\u2067b\u2068c\u2069") == "\\u2066a\\u2067b\\u2068c\\u2069");
    CHECK(text::terminal_safe("zero\u200Bwidth\u200C\uFEFF\u2060") ==
          "zero\\u200Bwidth\\u200C\\uFEFF\\u2060");
    // C0 controls are dropped by the UTF-8 repair; DEL and C1 are shown.
    CHECK(text::terminal_safe("\x1B[31mred\x1B[0m\x7F\u0085") == "[31mred[0m\\u007F\\u0085");
    CHECK(text::terminal_safe("a\tb") == "a\\u0009b");
    CHECK(text::terminal_safe("tag\U000E0041") == "tag\\U000E0041");
    CHECK(text::terminal_safe("a\u2028b") == "a\\u2028b");
    CHECK(text::terminal_safe("bad \xff") == "bad \uFFFD");
    // Text that prints as it is stays as it is, and keeps its width.
    for (const char* ok : {"台風 10号", "🔥 emoji", "👩\u200D👩\u200D👧 family", "Ação", "한국어"}) {
        CHECK(text::terminal_safe(ok) == ok);
    }
    CHECK(text::display_width(text::terminal_safe("台風\u202E")) == 4 + 6);
    CHECK(text::terminal_safe("a\u200Db") == "a\\u200Db"); // a joiner outside emoji is shown
}
