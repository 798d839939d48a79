// SPDX-License-Identifier: MIT
// Rules' `match` patterns: RE2, case-insensitive, linear time.
#include "support.hpp"
#include "trend/detect/rule.hpp"

#include <stdexcept>

using namespace trend;

namespace {

detect::Rule rule_matching(std::vector<std::string> match) {
    config::RuleConfig c;
    c.name = "watch";
    c.min_traffic = 1;
    c.match = std::move(match);
    return detect::Rule(c);
}

} // namespace

TEST_SUITE("detect") {

    TEST_CASE("a catastrophic-backtracking pattern answers at once") {
        // std::regex took ~18 s on this 28-character term; RE2 runs in linear time.
        const detect::Rule rule = rule_matching({"re:^(a+)+$"});
        CHECK(rule.matches_term(std::string(28, 'a')));
        CHECK_FALSE(rule.matches_term(std::string(28, 'a') + "b"));
        CHECK_FALSE(rule.matches_term(std::string(10000, 'a') + "!"));
        const detect::Rule nested = rule_matching({"re:(x+x+)+y"});
        CHECK_FALSE(nested.matches_term(std::string(5000, 'x')));
    }

    TEST_CASE("patterns are case-insensitive and search anywhere in the term") {
        const detect::Rule rule = rule_matching({"re:^FED\\b", "re:\\d{4} election"});
        CHECK(rule.matches_term("fed rate cut"));
        CHECK_FALSE(rule.matches_term("fedex"));
        CHECK(rule.matches_term("us 2028 election results"));
        CHECK_FALSE(rule.matches_term("election"));
        const detect::Rule unicode = rule_matching({"re:^ΣΟΦΊΑ$"});
        CHECK(unicode.matches_term("σοφία"));
    }

    TEST_CASE("a pattern RE2 refuses throws, naming the rule") {
        CHECK_THROWS_WITH_AS(rule_matching({"re:(a)\\1"}), doctest::Contains("rule \"watch\""),
                             std::invalid_argument);
        CHECK_THROWS_AS(rule_matching({"re:(?<=x)y"}), std::invalid_argument);
    }

    TEST_CASE("a repetition count too large to be a number is read as literal text") {
        // libstdc++'s regex compiler overflowed a signed int on this (UBSan); RE2 takes the
        // braces literally, as Perl does, and stays well defined.
        const detect::Rule rule = rule_matching({"re:a{22222222222222222222}"});
        CHECK(rule.matches_term("a{22222222222222222222}"));
        CHECK_FALSE(rule.matches_term("aaaa"));
    }
}
