// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/extract/extract.hpp"

#include <string>
#include <vector>

using namespace trend::extract;

TEST_SUITE("extract.words") {

    TEST_CASE("words are runs of letters and digits, case-folded") {
        CHECK(words("Hello, World! 42 times.") ==
              std::vector<std::string>{"hello", "world", "42", "times"});
        CHECK(words("STRASSE Straße ÉTÉ") == std::vector<std::string>{"strasse", "straße", "été"});
        CHECK(word_count("") == 0);
        CHECK(word_count("  \n\t ... — ") == 0);
    }

    TEST_CASE("an apostrophe between letters stays inside the word") {
        CHECK(words("don't l\xE2\x80\x99homme 'quoted' dogs'") ==
              std::vector<std::string>{"don't", "l'homme", "quoted", "dogs"});
    }

    TEST_CASE("each Han ideograph and kana counts as a word, Hangul words by spaces") {
        CHECK(word_count("\xE4\xBA\xBA\xE5\xB7\xA5\xE6\x99\xBA\xE8\x83\xBD") == 4); // 人工智能
        CHECK(word_count("\xE3\x83\x88\xE3\x83\xAC\xE3\x83\xB3\xE3\x83\x89") == 4); // トレンド
        CHECK(word_count("iPhone\xE6\x96\xB0\xE6\xAC\xBE") == 3);                   // iPhone新款
        CHECK(word_count("\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 \xEB\x89\xB4\xEC\x8A\xA4") ==
              2); // 한국어 뉴스
    }

    TEST_CASE("marks stay with their letters") {
        CHECK(word_count(
                  "nai\xCC\x88ve \xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\x82\xE0\xA4\xA6\xE0\xA5\x80") ==
              2); // naïve हिंदी
    }

    TEST_CASE("word_f1 compares bags of words") {
        CHECK(word_f1("a b c", "a b c") == doctest::Approx(1.0));
        CHECK(word_f1("A, b; C!", "c b a") == doctest::Approx(1.0));
        CHECK(word_f1("a b", "a b c d") == doctest::Approx(2 * 1.0 * 0.5 / 1.5));
        CHECK(word_f1("a a a", "a") == doctest::Approx(2 * (1.0 / 3) * 1.0 / (1.0 / 3 + 1.0)));
        CHECK(word_f1("x y", "a b") == 0.0);
        CHECK(word_f1("", "a") == 0.0);
        CHECK(word_f1("", "") == 1.0);
    }

    TEST_CASE("html_text gives one line per block and leaves scripts out") {
        CHECK(html_text("<div><h2>Title</h2><p>One <b>two</b>\n three</p><script>x()</script>"
                        "<ul><li>a</li><li>b</li></ul>t&amp;c</div>") ==
              "Title\nOne two three\na\nb\nt&c");
        CHECK(html_text("") == "");
    }

    TEST_CASE("parse_page_time reads the date formats pages use") {
        using namespace std::chrono;
        const auto at = [](int y, unsigned mo, unsigned d, int h, int mi, int s) {
            return sys_days{year{y} / mo / d} + hours{h} + minutes{mi} + seconds{s};
        };
        CHECK(parse_page_time("2015-07-24T05:36:09+01:00") == at(2015, 7, 24, 4, 36, 9));
        CHECK(parse_page_time("2021-11-01T10:52:50+0100") == at(2021, 11, 1, 9, 52, 50));
        CHECK(parse_page_time("2017-11-03 03:01:00.000000") == at(2017, 11, 3, 3, 1, 0));
        CHECK(parse_page_time("2023-06-07T20:54:26.829Z") == at(2023, 6, 7, 20, 54, 26));
        CHECK(parse_page_time(" 2015-04-30T07:19:58 ") == at(2015, 4, 30, 7, 19, 58));
        CHECK(parse_page_time("2019-04-28") == at(2019, 4, 28, 0, 0, 0));
        CHECK(parse_page_time("2019-04-28T06:01-07") == at(2019, 4, 28, 13, 1, 0));
        CHECK(parse_page_time("Thu, 1 Oct 2026 09:20:00 -0700") == at(2026, 10, 1, 16, 20, 0));
        CHECK_FALSE(parse_page_time("yesterday"));
        CHECK_FALSE(parse_page_time("2019-02-30"));
        CHECK_FALSE(parse_page_time("2019-04-28T25:00"));
        CHECK_FALSE(parse_page_time("2019-04-28T06:01:00 +01:00:00"));
        CHECK_FALSE(parse_page_time(""));
    }

} // TEST_SUITE
