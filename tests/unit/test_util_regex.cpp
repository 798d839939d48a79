// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/util/regex.hpp"

using namespace trend;

TEST_SUITE("util") {

    TEST_CASE("Regex compiles RE2 syntax case-insensitively") {
        auto r = text::Regex::compile("^open(ai)?$");
        REQUIRE(std::holds_alternative<text::Regex>(r));
        const auto& re = std::get<text::Regex>(r);
        CHECK(re.search("OpenAI"));
        CHECK(re.search("open"));
        CHECK_FALSE(re.search("opener"));
        CHECK(re.pattern() == "^open(ai)?$");
        // A copy shares the compiled program.
        const text::Regex copy = re;
        CHECK(copy.search("OPEN"));
    }

    TEST_CASE("Regex refuses what RE2 cannot run in linear time, and oversized patterns") {
        for (const char* bad : {"(a)\\1", "x(?=y)", "x(?!y)", "(?<=x)y", "x{1001}", "(unclosed"}) {
            const auto r = text::Regex::compile(bad);
            INFO(bad);
            REQUIRE(std::holds_alternative<std::string>(r));
            CHECK_FALSE(std::get<std::string>(r).empty());
        }
        CHECK(std::get<std::string>(text::Regex::compile(std::string(5000, 'a'))) ==
              "pattern is over 4096 bytes");
    }

    TEST_CASE("Regex matches bytes that are not UTF-8 without failing") {
        const auto re = std::get<text::Regex>(text::Regex::compile("b"));
        CHECK(re.search(std::string("\xff\xfe"
                                    "b",
                                    3)));
        CHECK_FALSE(re.search(std::string("\xff\xfe", 2)));
    }
}
