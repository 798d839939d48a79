// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/util/date_template.hpp"

#include <chrono>

using namespace std::chrono;
using trend::Timestamp;

namespace {

Timestamp utc(int y, unsigned mo, unsigned d, int h = 0) {
    return sys_days{year{y} / month{mo} / day{d}} + hours{h};
}

} // namespace

TEST_SUITE("util") {

    TEST_CASE("day placeholders expand to the UTC day of the poll or the day before") {
        const std::string url = "https://wikimedia.org/api/rest_v1/metrics/pageviews/top/"
                                "en.wikipedia/all-access/{yesterday}";
        CHECK(trend::util::has_date_placeholder(url));
        CHECK_FALSE(trend::util::date_placeholder_error(url));
        CHECK(trend::util::expand_date_placeholders(url, utc(2026, 11, 27, 0)) ==
              "https://wikimedia.org/api/rest_v1/metrics/pageviews/top/en.wikipedia/all-access/"
              "2026/11/26");
        // The 404 fallback: one day further back, across a month and a year.
        CHECK(trend::util::expand_date_placeholders("x/{yesterday}", utc(2026, 1, 2, 23), 1) ==
              "x/2025/12/31");
        CHECK(trend::util::expand_date_placeholders("x/{today}", utc(2024, 3, 1, 5)) ==
              "x/2024/03/01");
        CHECK(trend::util::expand_date_placeholders("x/{yesterday}", utc(2024, 3, 1, 5)) ==
              "x/2024/02/29");
    }

    TEST_CASE("a day placeholder may carry its own format") {
        CHECK(trend::util::expand_date_placeholders("d={yesterday:%Y%m%d}&p=%%",
                                                    utc(2026, 11, 27)) == "d=20261126&p=%%");
        CHECK(trend::util::expand_date_placeholders("{today:%d.%m.%Y}", utc(2026, 7, 4)) ==
              "04.07.2026");
        CHECK(trend::util::expand_date_placeholders("{today:%Y-%%}", utc(2026, 7, 4)) == "2026-%");
    }

    TEST_CASE("a URL without placeholders is unchanged") {
        const std::string url = "https://hn.algolia.com/api/v1/search?tags=front_page";
        CHECK_FALSE(trend::util::has_date_placeholder(url));
        CHECK_FALSE(trend::util::date_placeholder_error(url));
        CHECK(trend::util::expand_date_placeholders(url, utc(2026, 1, 1)) == url);
    }

    TEST_CASE("wrong placeholders are reported, not expanded") {
        CHECK(trend::util::date_placeholder_error("x/{tomorrow}"));
        CHECK(trend::util::date_placeholder_error("x/{yesterday"));
        CHECK(trend::util::date_placeholder_error("x/}"));
        CHECK(trend::util::date_placeholder_error("x/{today:%H}"));
        CHECK(trend::util::expand_date_placeholders("x/{tomorrow}", utc(2026, 1, 1)) ==
              "x/{tomorrow}");
    }
}
