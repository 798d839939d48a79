// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/draft/slug.hpp"

#include <string>

using trend::draft::draft_file_name;
using trend::draft::slugify;

namespace {

// The promises every slug keeps, whatever the term.
void check_shape(const std::string& slug, std::size_t max_len = 80) {
    CAPTURE(slug);
    REQUIRE_FALSE(slug.empty());
    CHECK(slug.size() <= max_len);
    CHECK(slug.front() != '-');
    CHECK(slug.front() != '.');
    CHECK(slug.back() != '-');
    CHECK(slug.find("--") == std::string::npos);
    for (const char c : slug)
        CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'));
}

bool is_hash_fallback(const std::string& slug) {
    if (slug.size() != 14 || !slug.starts_with("trend-"))
        return false;
    return slug.find_first_not_of("0123456789abcdef", 6) == std::string::npos;
}

} // namespace

TEST_SUITE("draft") {

    TEST_CASE("slugify lower-cases words and joins them with single dashes") {
        CHECK(slugify("OpenAI") == "openai");
        CHECK(slugify("Amazon Web Services") == "amazon-web-services");
        CHECK(slugify("  Nvidia   --  OpenAI  ") == "nvidia-openai");
        CHECK(slugify("AT&T earnings: Q3 2025!") == "at-t-earnings-q3-2025");
        CHECK(slugify("CON") == "con");
    }

    TEST_CASE("slugify drops accents and transliterates Latin letters") {
        CHECK(slugify("Ação") == "acao");
        CHECK(slugify("Straße") == "strasse");
        CHECK(slugify("Ærø Æble") == "aero-aeble");
        CHECK(slugify("Łódź") == "lodz");
        CHECK(slugify("Œuvre Ĳssel") == "oeuvre-ijssel");
        CHECK(slugify("Þór Ðrífa") == "thor-drifa");
        CHECK(slugify("Cafe\u0301") == "cafe"); // decomposed accent
        CHECK(slugify("Macy\u2019s Thanksgiving") == "macys-thanksgiving");
        CHECK(slugify("2 × 3 ÷ 4") == "2-3-4");
    }

    TEST_CASE("slugify never yields a path") {
        CHECK(slugify("../../etc/passwd") == "etc-passwd");
        CHECK(slugify("/absolute/path") == "absolute-path");
        CHECK(slugify(".hidden") == "hidden");
        CHECK(slugify("a\\b") == "a-b");
        for (const char* term : {"../../etc/passwd", "..", ".", "/", "-rf", "a/../../b", "\\\\srv"})
            check_shape(slugify(term));
    }

    TEST_CASE("slugify keeps long terms within max_len and cuts on a word boundary") {
        std::string term;
        for (int i = 0; i < 30; ++i)
            term += "wordy ";
        term += std::string(120, 'x');
        REQUIRE(term.size() >= 300);
        const std::string slug = slugify(term);
        check_shape(slug);
        CHECK(slug.size() <= 80);
        CHECK(slug.ends_with("wordy")); // cut at a '-', not mid-word

        const std::string one_word = slugify(std::string(300, 'a'));
        check_shape(one_word);
        CHECK(one_word == std::string(80, 'a'));

        const std::string short_slug = slugify("alpha beta gamma delta", 12);
        check_shape(short_slug, 14);
        CHECK(short_slug == "alpha-beta");
    }

    TEST_CASE("slugify transliterates every script with ICU, never a hash for letters") {
        CHECK(slugify("台積電") == "tai-ji-dian");
        CHECK(slugify("  台積電 ") == "tai-ji-dian");
        CHECK(slugify("東京") == "dong-jing");
        CHECK(slugify("予告先発") == "yu-gao-xian-fa");
        CHECK(slugify("トヨタ") == "toyota");
        CHECK(slugify("Москва") == "moskva");
        CHECK(slugify("서울") == "seoul");
        CHECK(slugify("Αθήνα") == "athena");
        CHECK(slugify("美金") == "mei-jin");
        for (const char* term : {"台積電", "東京", "Москва", "서울", "مصر", "ישראל", "भारत"}) {
            const std::string slug = slugify(term);
            check_shape(slug);
            CHECK_FALSE(is_hash_fallback(slug));
        }
    }

    TEST_CASE("slugify falls back to a stable hash only when the term has no letters") {
        const std::string bang = slugify("!!!");
        CHECK(is_hash_fallback(bang));
        CHECK(slugify("!!!") == bang);
        CHECK(slugify("???") != bang);
        CHECK(is_hash_fallback(slugify("")));
        CHECK(is_hash_fallback(slugify("🙂")));
        // FNV-1a 32 of the empty string is the offset basis.
        CHECK(slugify("") == "trend-811c9dc5");
    }

    TEST_CASE("slugify survives invalid UTF-8 and control bytes") {
        check_shape(slugify(std::string("abc\xff\xfe def\x01\x7f", 12)));
        CHECK(slugify(std::string("abc\xff\xfe def\x01\x7f", 12)) == "abc-def");
        CHECK(is_hash_fallback(slugify(std::string("\xc3\x28\xa0\xa1", 4))));
        CHECK(slugify("台積電 TSMC") == "tai-ji-dian-tsmc");
    }

    TEST_CASE("draft_file_name puts the UTC date before the slug") {
        CHECK(draft_file_name(*trend::parse_iso("2025-11-03T00:00:00Z"), "tai-ji-dian") ==
              "2025-11-03-tai-ji-dian.md");
        using namespace std::chrono;
        const trend::Timestamp t = sys_days{year{2025} / November / 3} + hours{23} + minutes{59};
        CHECK(draft_file_name(t, "openai") == "2025-11-03-openai.md");
    }

} // TEST_SUITE("draft")
