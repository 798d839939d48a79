// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/util/charset.hpp"

using namespace trend;

TEST_SUITE("util") {

    TEST_CASE("to_utf8 converts legacy charsets as browsers read them") {
        CHECK(text::to_utf8("Gr\xFC\xDF" "e", "ISO-8859-1") == "Grüße");
        CHECK(text::to_utf8("\x93quoted\x94", " latin1 ") == "\u201Cquoted\u201D"); // as cp1252
        CHECK(text::to_utf8("\xC4\xE3\xBA\xC3", "gb2312") == "你好");
        CHECK(text::to_utf8("\x82\xA0", "Shift_JIS") == "あ");
        CHECK(text::to_utf8("caf\xC3\xA9", "UTF-8") == "café");
    }

    TEST_CASE("to_utf8 repairs invalid bytes and refuses unknown charsets") {
        CHECK(text::to_utf8("a\xFF" "b", "utf-8") == "a\uFFFD" "b");
        CHECK_FALSE(text::to_utf8("abc", "no-such-charset").has_value());
        CHECK_FALSE(text::to_utf8("abc", "").has_value());
        CHECK_FALSE(text::to_utf8("abc", std::string(200, 'x')).has_value());
    }

    TEST_CASE("byte order marks and Content-Type charsets") {
        CHECK(text::bom_of("\xEF\xBB\xBFx")->charset == "UTF-8");
        CHECK(text::bom_of("\xFF\xFEx")->length == 2);
        CHECK_FALSE(text::bom_of("<html>").has_value());
        CHECK(text::charset_of_content_type("text/html; charset=ISO-8859-1") == "iso-8859-1");
        CHECK(text::charset_of_content_type("text/html;Charset=\"utf-8\"; x=y") == "utf-8");
        CHECK(text::charset_of_content_type("text/html") == "");
    }
}
