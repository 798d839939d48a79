// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/feed/traffic.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using trend::feed::parse_traffic;

namespace {

using Case = std::pair<std::string, std::int64_t>;

void check_all(const std::vector<Case>& cases) {
    for (const auto& [label, expected] : cases) {
        CAPTURE(label);
        const auto value = parse_traffic(label);
        REQUIRE(value.has_value());
        CHECK(*value == expected);
    }
}

void check_refused(const std::vector<std::string>& labels) {
    for (const auto& label : labels) {
        CAPTURE(label);
        CHECK_FALSE(parse_traffic(label).has_value());
    }
}

} // namespace

TEST_SUITE("feed") {

    TEST_CASE("parse_traffic reads plain and comma-grouped labels") {
        check_all({{"20,000+", 20000},
                   {"200+", 200},
                   {"2000+", 2000},
                   {"100+", 100},
                   {"10000+", 10000},
                   {"1,000+", 1000},
                   {"200,000+", 200000},
                   {"1,000,000+", 1000000},
                   {"0+", 0}});
    }

    TEST_CASE("parse_traffic reads K and M suffixes") {
        check_all({{"20K+", 20000},
                   {"2M+", 2000000},
                   {"1.5M+", 1500000},
                   {"1,5M+", 1500000},
                   {"2.25M+", 2250000},
                   {"50K", 50000},
                   {"50k+", 50000},
                   {"2m+", 2000000},
                   {"100K+", 100000},
                   {"1.5K+", 1500}});
    }

    TEST_CASE("parse_traffic reads German and French grouping") {
        check_all({{"20.000+", 20000},
                   {"1.000.000+", 1000000},
                   {"20 000+", 20000},
                   {"20\u00a0000+", 20000},
                   {"20\u202f000+", 20000},
                   {"1\u202f000\u202f000+", 1000000},
                   {"20'000+", 20000}});
    }

    TEST_CASE("parse_traffic accepts no plus sign and surrounding white space") {
        check_all({{"20,000", 20000},
                   {"  20,000+  ", 20000},
                   {"\t200+\n", 200},
                   {"\u00a020\u00a0000+\u00a0", 20000},
                   {" 20K + ", 20000},
                   {"20 K+", 20000},
                   {"9223372036854775807", std::numeric_limits<std::int64_t>::max()}});
    }

    TEST_CASE("parse_traffic refuses garbage rather than returning 0") {
        check_refused({"", " ", "+", "++", "abc", "K+", "M", "2천+", "2万+", "１０００+", "-5+",
                       "+5", "5-", "20,000++", "20x+", "0x10+", "1e6+"});
    }

    TEST_CASE("parse_traffic refuses ambiguous grouping") {
        check_refused({"1,2,3", "1,2,3+", "1.5+", "20,00+", "20,0000+", "1234,567+", ",000+",
                       "20,+", "1,000.000+", "1.000,000+", "20 000,000+", "1,5", "1.500K+",
                       "1,000K+", "1.5.5M+", "1.K+", ".5M+", "1,,000+"});
    }

    TEST_CASE("parse_traffic refuses values that overflow") {
        check_refused({"99999999999999999999+", "9223372036854775808", "9,223,372,036,854,775,808+",
                       "9223372036854776K+", "99999999999999M+"});
        CHECK(parse_traffic("9223372036854775K+") == std::int64_t{9223372036854775000});
    }

    TEST_CASE("parse_traffic refuses labels too long to be a bucket") {
        check_refused({std::string(200, '1') + "+", std::string(100, ' ') + "200+"});
    }

} // TEST_SUITE
