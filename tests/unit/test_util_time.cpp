// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/util/time.hpp"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono;
using namespace std::string_literals;
using trend::Seconds;
using trend::Timestamp;

namespace {

/** A UTC timestamp from its parts. */
Timestamp utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

} // namespace

TEST_SUITE("util") {

    TEST_CASE("format_iso writes UTC with a Z") {
        CHECK(trend::format_iso(utc(2025, 11, 3, 18, 21, 16)) == "2025-11-03T18:21:16Z");
        CHECK(trend::format_iso(Timestamp{}) == "1970-01-01T00:00:00Z");
        CHECK(trend::format_iso(utc(2024, 2, 29, 23, 59, 59)) == "2024-02-29T23:59:59Z");
        CHECK(trend::format_iso(utc(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05Z");
    }

    TEST_CASE("format_hhmm writes hours and minutes in UTC") {
        CHECK(trend::format_hhmm(utc(2025, 11, 3, 18, 21, 16)) == "18:21");
        CHECK(trend::format_hhmm(utc(2025, 11, 3, 7, 5, 59)) == "07:05");
    }

    TEST_CASE("parse_iso round trips format_iso") {
        for (const Timestamp t : {Timestamp{}, utc(2025, 11, 3, 18, 21, 16),
                                  utc(2024, 2, 29, 0, 0, 0), utc(1999, 12, 31, 23, 59, 59),
                                  utc(2038, 1, 19, 3, 14, 8), utc(2100, 6, 15, 12, 0, 1)}) {
            const std::string s = trend::format_iso(t);
            CAPTURE(s);
            const auto back = trend::parse_iso(s);
            REQUIRE(back.has_value());
            CHECK(*back == t);
        }
    }

    TEST_CASE("parse_iso accepts every documented spelling") {
        const Timestamp want = utc(2025, 11, 3, 18, 21, 16);
        SUBCASE("Z") {
            CHECK(trend::parse_iso("2025-11-03T18:21:16Z") == want);
        }
        SUBCASE("fractional seconds are dropped") {
            CHECK(trend::parse_iso("2025-11-03T18:21:16.000Z") == want);
            CHECK(trend::parse_iso("2025-11-03T18:21:16.999Z") == want);
            CHECK(trend::parse_iso("2025-11-03T18:21:16.123456+00:00") == want);
        }
        SUBCASE("a positive offset is converted to UTC") {
            CHECK(trend::parse_iso("2025-11-03T20:21:16+02:00") == want);
            CHECK(trend::parse_iso("2025-11-03T23:51:16+05:30") == want);
        }
        SUBCASE("a negative offset is converted to UTC") {
            CHECK(trend::parse_iso("2025-11-03T11:21:16-07:00") == want);
            CHECK(trend::parse_iso("2025-11-03T18:21:16-00:00") == want);
        }
        SUBCASE("an offset may cross midnight") {
            CHECK(trend::parse_iso("2025-11-04T01:21:16+07:00") == want);
            CHECK(trend::parse_iso("2026-01-01T00:30:00+01:00") == utc(2025, 12, 31, 23, 30, 0));
        }
        SUBCASE("a space separator without zone is taken as UTC") {
            CHECK(trend::parse_iso("2025-11-03 18:21:16") == want);
            CHECK(trend::parse_iso("2025-11-03 18:21:16Z") == want);
        }
        SUBCASE("no zone at all is UTC") {
            CHECK(trend::parse_iso("2025-11-03T18:21:16") == want);
        }
        SUBCASE("leap day") {
            CHECK(trend::parse_iso("2024-02-29T12:00:00Z") == utc(2024, 2, 29, 12, 0, 0));
        }
    }

    TEST_CASE("parse_iso rejects what is not such a time") {
        for (const std::string& bad : {""s,
                                       "garbage"s,
                                       "2025-11-03"s,
                                       "2025-11-03T18:21"s,
                                       "2025-13-01T00:00:00Z"s,
                                       "2025-00-10T00:00:00Z"s,
                                       "2025-02-30T00:00:00Z"s,
                                       "2023-02-29T00:00:00Z"s,
                                       "2025-04-31T00:00:00Z"s,
                                       "2025-11-00T00:00:00Z"s,
                                       "2025-11-03T24:00:00Z"s,
                                       "2025-11-03T18:60:00Z"s,
                                       "2025-11-03T18:21:61Z"s,
                                       "2025/11/03T18:21:16Z"s,
                                       "2025-11-03X18:21:16Z"s,
                                       "2025-11-03T18:21:16.Z"s,
                                       "2025-11-03T18:21:16+0200"s,
                                       "2025-11-03T18:21:16+02"s,
                                       "2025-11-03T18:21:16 UTC"s,
                                       "2025-11-03T18:21:16Zjunk"s,
                                       "2025-11-03T18:21:16z"s,
                                       "20a5-11-03T18:21:16Z"s,
                                       "2025-11-03T18:21:16+aa:00"s,
                                       "Thu, 1 Oct 2026 09:20:00 -0700"s}) {
            CAPTURE(bad);
            CHECK_FALSE(trend::parse_iso(bad).has_value());
        }
    }

    TEST_CASE("parse_rfc822 reads feed dates with numeric zones") {
        CHECK(trend::parse_rfc822("Thu, 1 Oct 2026 09:20:00 -0700") == utc(2026, 10, 1, 16, 20, 0));
        CHECK(trend::format_iso(*trend::parse_rfc822("Thu, 1 Oct 2026 09:20:00 -0700")) ==
              "2026-10-01T16:20:00Z");
        CHECK(trend::parse_rfc822("Sat, 18 Nov 2023 01:00:00 +0000") == utc(2023, 11, 18, 1, 0, 0));
        CHECK(trend::parse_rfc822("Mon, 2 Feb 2026 19:00:00 -0800") == utc(2026, 2, 3, 3, 0, 0));
        CHECK(trend::parse_rfc822("Mon, 02 Feb 2026 19:00:00 -0800") == utc(2026, 2, 3, 3, 0, 0));
        CHECK(trend::parse_rfc822("Wed, 9 Sep 2026 08:00:00 +0900") == utc(2026, 9, 8, 23, 0, 0));
    }

    TEST_CASE("parse_rfc822 reads named zones") {
        CHECK(trend::parse_rfc822("Sat, 18 Nov 2023 01:00:00 GMT") == utc(2023, 11, 18, 1, 0, 0));
        CHECK(trend::parse_rfc822("Sat, 18 Nov 2023 01:00:00 UTC") == utc(2023, 11, 18, 1, 0, 0));
    }

    TEST_CASE("parse_rfc822 reads every zone news feeds write") {
        const Timestamp noon = utc(2026, 10, 1, 12, 0, 0);
        for (const auto& [text, want] : std::vector<std::pair<std::string, Timestamp>>{
                 {"Thu, 01 Oct 2026 12:00:00 UT", noon},
                 {"Thu, 01 Oct 2026 12:00:00 Z", noon},
                 {"Thu, 01 Oct 2026 07:00:00 EST", noon},
                 {"Thu, 01 Oct 2026 08:00:00 EDT", noon},
                 {"Thu, 01 Oct 2026 06:00:00 CST", noon},
                 {"Thu, 01 Oct 2026 07:00:00 CDT", noon},
                 {"Thu, 01 Oct 2026 05:00:00 MST", noon},
                 {"Thu, 01 Oct 2026 06:00:00 MDT", noon},
                 {"Thu, 01 Oct 2026 04:00:00 PST", noon},
                 {"Thu, 01 Oct 2026 05:00:00 PDT", noon},
                 {"Thu, 01 Oct 2026 13:00:00 MET", noon},
                 {"Thu, 01 Oct 2026 13:00:00 CET", noon},
                 {"Thu, 01 Oct 2026 14:00:00 CEST", noon},
                 {"Thu, 01 Oct 2026 14:00:00 MESZ", noon},
                 {"Thu, 01 Oct 2026 13:00:00 BST", noon},
                 {"Thu, 01 Oct 2026 21:00:00 JST", noon},
                 {"Thu, 01 Oct 2026 12:00:00 gmt", noon},
                 {"Thu, 01 Oct 2026 17:30:00 +05:30", noon},
                 {"Thu, 01 Oct 2026 05:00:00 -07", noon},
                 // RFC 822 section 5.2: A is -1 hour, M is -12, N is +1, Y is +12.
                 {"Thu, 01 Oct 2026 11:00:00 A", noon},
                 {"Thu, 01 Oct 2026 00:00:00 M", noon},
                 {"Thu, 01 Oct 2026 13:00:00 N", noon},
                 {"Fri, 02 Oct 2026 00:00:00 Y", noon},
             }) {
            CAPTURE(text);
            CHECK(trend::parse_rfc822(text) == want);
        }
    }

    TEST_CASE("parse_rfc822 accepts what feeds leave out or add") {
        const Timestamp t = utc(2026, 10, 1, 9, 20, 0);
        SUBCASE("no weekday") {
            CHECK(trend::parse_rfc822("01 Oct 2026 09:20:00 GMT") == t);
        }
        SUBCASE("no seconds") {
            CHECK(trend::parse_rfc822("Thu, 01 Oct 2026 09:20 GMT") == t);
        }
        SUBCASE("two-digit years: 00-49 are 20xx, 50-99 are 19xx") {
            CHECK(trend::parse_rfc822("Thu, 01 Oct 26 09:20:00 GMT") == t);
            CHECK(trend::parse_rfc822("Mon, 01 Oct 79 09:20:00 GMT") == utc(1979, 10, 1, 9, 20));
            CHECK(trend::parse_rfc822("Sun, 01 Oct 50 09:20:00 GMT") == utc(1950, 10, 1, 9, 20));
            CHECK(trend::parse_rfc822("Fri, 01 Oct 49 09:20:00 GMT") == utc(2049, 10, 1, 9, 20));
        }
        SUBCASE("long names, any case, RFC 850 dashes") {
            CHECK(trend::parse_rfc822("Thursday, 01-Oct-26 09:20:00 GMT") == t);
            CHECK(trend::parse_rfc822("THU, 01 OCTOBER 2026 09:20:00 GMT") == t);
        }
        SUBCASE("a comment after the zone, odd spacing") {
            CHECK(trend::parse_rfc822("Thu, 01 Oct 2026 09:20:00 +0000 (UTC)") == t);
            CHECK(trend::parse_rfc822("Thu,01 Oct 2026  09:20:00\tGMT") == t);
        }
        SUBCASE("no zone is UTC") {
            CHECK(trend::parse_rfc822("Thu, 01 Oct 2026 09:20:00") == t);
        }
        SUBCASE("a wrong weekday is not checked") {
            CHECK(trend::parse_rfc822("Mon, 01 Oct 2026 09:20:00 GMT") == t);
        }
    }

    TEST_CASE("parse_rfc822 never guesses") {
        for (const std::string& bad :
             {"Thu, 31 Feb 2026 09:20:00 GMT"s, "Thu, 29 Feb 2025 09:20:00 GMT"s,
              "Thu, 01 Oct 2026 24:00:00 GMT"s, "Thu, 01 Oct 2026 09:60:00 GMT"s,
              "Thu, 01 Oct 2026 09:20:00 IST"s,     // India, Ireland or Israel
              "Thu, 01 Oct 2026 09:20:00 PST8PDT"s, // a tz database name
              "Thu, 01 Oct 2026 09:20:00 J"s,       // not a military zone
              "Thu, 01 Oct 2026 09:20:00 +2500"s, "Thu, 01 Oct 2026 09:20:00 -7"s,
              "Thu, 01 Oct 126 09:20:00 GMT"s, "Thu, 1 Oct 2026"s, "Thu, 01 Foo 2026 09:20:00 GMT"s,
              "2026-10-01T09:20:00Z"s, "Thu, 01 Oct 2026 9:20:00 GMT"s,
              "Thu, 01 Oct 2026 09:20:00 GMT (unclosed"s}) {
            CAPTURE(bad);
            CHECK_FALSE(trend::parse_rfc822(bad).has_value());
        }
    }

    TEST_CASE("parse_w3cdtf reads every granularity feeds use") {
        CHECK(trend::parse_w3cdtf("2026-10-01") == utc(2026, 10, 1));
        CHECK(trend::parse_w3cdtf("2026-10-01T09:20Z") == utc(2026, 10, 1, 9, 20));
        CHECK(trend::parse_w3cdtf("2026-10-01T09:20:30Z") == utc(2026, 10, 1, 9, 20, 30));
        CHECK(trend::parse_w3cdtf("2026-10-01T09:20:30.754Z") == utc(2026, 10, 1, 9, 20, 30));
        CHECK(trend::parse_w3cdtf("2026-10-01T09:20:30.123456789+02:00") ==
              utc(2026, 10, 1, 7, 20, 30));
        CHECK(trend::parse_w3cdtf("2013-02-22T09:47:09-08:00") == utc(2013, 2, 22, 17, 47, 9));
        CHECK(trend::parse_w3cdtf("2026-10-01T09:20:30+0200") == utc(2026, 10, 1, 7, 20, 30));
        CHECK(trend::parse_w3cdtf("2026-10-01T09:20:30+02") == utc(2026, 10, 1, 7, 20, 30));
        CHECK(trend::parse_w3cdtf("2026-10-01 09:20:30") == utc(2026, 10, 1, 9, 20, 30));
        CHECK(trend::parse_w3cdtf("2026-10-01t09:20:30z") == utc(2026, 10, 1, 9, 20, 30));
        CHECK(trend::parse_w3cdtf("2026-10-01T00:30:00+01:00") == utc(2026, 9, 30, 23, 30));
    }

    TEST_CASE("parse_w3cdtf refuses coarse and malformed dates") {
        for (const std::string& bad :
             {""s, "2026"s, "2026-10"s, "2026-13-01"s, "2026-02-30"s, "2026-10-01T"s,
              "2026-10-01T9:20Z"s, "2026-10-01T09:20:30.Z"s, "2026-10-01T09:20:30+25:00"s,
              "2026-10-01T09:20:30 UTC"s, "2026-10-01Z"s, "2026-10-01T09:20:30Zjunk"s, "20261001"s,
              "2026-10-01T24:00:00Z"s}) {
            CAPTURE(bad);
            CHECK_FALSE(trend::parse_w3cdtf(bad).has_value());
        }
    }

    TEST_CASE("parse_asctime reads asctime and date output") {
        CHECK(trend::parse_asctime("Thu Oct  1 09:20:00 2026") == utc(2026, 10, 1, 9, 20));
        CHECK(trend::parse_asctime("Sun Nov  6 08:49:37 1994") == utc(1994, 11, 6, 8, 49, 37));
        CHECK(trend::parse_asctime("Thu Oct  1 09:20:00 UTC 2026") == utc(2026, 10, 1, 9, 20));
        CHECK(trend::parse_asctime("Thu Oct  1 02:20:00 PDT 2026") == utc(2026, 10, 1, 9, 20));
        CHECK_FALSE(trend::parse_asctime("Thu Oct  1 09:20:00 26").has_value());
        CHECK_FALSE(trend::parse_asctime("Thu Oct 32 09:20:00 2026").has_value());
    }

    TEST_CASE("parse_feed_date takes any of the three, trimmed") {
        const Timestamp t = utc(2026, 10, 1, 9, 20, 0);
        CHECK(trend::parse_feed_date("  Thu, 01 Oct 2026 09:20:00 GMT\n") == t);
        CHECK(trend::parse_feed_date("\t2026-10-01T09:20:00Z ") == t);
        CHECK(trend::parse_feed_date("Thu Oct  1 09:20:00 2026") == t);
        CHECK_FALSE(trend::parse_feed_date("yesterday").has_value());
        CHECK_FALSE(trend::parse_feed_date("").has_value());
        CHECK_FALSE(trend::parse_feed_date("2026-10-01 junk").has_value());
    }

    TEST_CASE("parse_rfc822 rejects garbage") {
        for (const std::string& bad :
             {""s, "garbage"s, "not a date at all"s, std::string(100, 'x'),
              "Thu, 1 Oct 2026 09:20:00 -0700 and a very long tail that no feed ever writes"s}) {
            CAPTURE(bad);
            CHECK_FALSE(trend::parse_rfc822(bad).has_value());
        }
    }

    TEST_CASE("parse_rfc822 refuses dates format_iso cannot write back") {
        // Found by fuzz_time: libcurl reads "2026010:00:00" as the year 2026010.
        CHECK_FALSE(trend::parse_rfc822("Mon, 2 Feb 2026010:00:00 GMT").has_value());
        CHECK_FALSE(trend::parse_rfc822("Fri, 1 Jan 10000 00:00:00 GMT").has_value());
        // The year 9999 is refused whatever the zone: -1200 would carry it into 10000 UTC.
        CHECK_FALSE(trend::parse_rfc822("Fri, 31 Dec 9999 23:59:59 GMT").has_value());
        CHECK(trend::parse_rfc822("Sat, 31 Dec 9998 23:59:59 GMT") ==
              trend::parse_iso("9998-12-31T23:59:59Z"));
        CHECK(trend::parse_rfc822("Thu, 1 Jan 1970 00:00:00 GMT") == utc(1970, 1, 1, 0, 0, 0));
    }

    TEST_CASE("parse_duration refuses what format_duration could not write back") {
        // Found by fuzz_time: 999999999d9d is 1000000008d, a 10-digit number.
        CHECK_FALSE(trend::parse_duration("999999999d9d").has_value());
        CHECK_FALSE(trend::parse_duration("1000000000s").has_value());
        CHECK(trend::parse_duration("999999999s") == Seconds{999'999'999});
        std::string many;
        for (int i = 0; i < 20000; ++i)
            many += "999999999w";
        CHECK_FALSE(trend::parse_duration(many).has_value()); // no signed overflow on the way
    }

    TEST_CASE("parse_duration reads each unit") {
        CHECK(trend::parse_duration("30s") == Seconds{30});
        CHECK(trend::parse_duration("90s") == Seconds{90});
        CHECK(trend::parse_duration("10m") == Seconds{600});
        CHECK(trend::parse_duration("6h") == Seconds{6 * 3600});
        CHECK(trend::parse_duration("1d") == Seconds{86400});
        CHECK(trend::parse_duration("2w") == Seconds{14 * 86400});
        CHECK(trend::parse_duration("0s") == Seconds{0});
    }

    TEST_CASE("parse_duration adds up compound durations") {
        CHECK(trend::parse_duration("1h30m") == Seconds{5400});
        CHECK(trend::parse_duration("1d12h") == Seconds{36 * 3600});
        CHECK(trend::parse_duration("1w1d1h1m1s") == Seconds{8 * 86400 + 3661});
        CHECK(trend::parse_duration("30m1h") == Seconds{5400});
    }

    TEST_CASE("parse_duration rejects malformed text") {
        for (const std::string& bad :
             {""s, "10"s, "m"s, "-5m"s, "10x"s, "1.5h"s, "10 m"s, " 10m"s, "10m "s, "10M"s, "1h30"s,
              "h1"s, "+5m"s, "1234567890s"s, "ten minutes"s}) {
            CAPTURE(bad);
            CHECK_FALSE(trend::parse_duration(bad).has_value());
        }
    }

    TEST_CASE("format_duration writes the shortest faithful spelling") {
        CHECK(trend::format_duration(Seconds{0}) == "0s");
        CHECK(trend::format_duration(Seconds{30}) == "30s");
        CHECK(trend::format_duration(Seconds{90}) == "1m30s");
        CHECK(trend::format_duration(Seconds{600}) == "10m");
        CHECK(trend::format_duration(Seconds{5400}) == "1h30m");
        CHECK(trend::format_duration(Seconds{6 * 3600}) == "6h");
        CHECK(trend::format_duration(Seconds{86400}) == "1d");
        CHECK(trend::format_duration(Seconds{14 * 86400}) == "14d");
        CHECK(trend::format_duration(Seconds{86400 + 1}) == "1d1s");
        CHECK(trend::format_duration(Seconds{-600}) == "-10m");
    }

    TEST_CASE("format_duration and parse_duration round trip") {
        SUBCASE("from seconds") {
            for (const long long s : {0LL, 1LL, 59LL, 60LL, 61LL, 600LL, 3599LL, 3600LL, 5400LL,
                                      86399LL, 86400LL, 90061LL, 7LL * 86400, 1209600LL}) {
                CAPTURE(s);
                const std::string text = trend::format_duration(Seconds{s});
                CHECK(trend::parse_duration(text) == Seconds{s});
            }
        }
        SUBCASE("from canonical text") {
            for (const std::string& text : {"30s"s, "10m"s, "6h"s, "1d"s, "1h30m"s, "2d3h4m5s"s}) {
                CAPTURE(text);
                const auto d = trend::parse_duration(text);
                REQUIRE(d.has_value());
                CHECK(trend::format_duration(*d) == text);
            }
        }
    }

    TEST_CASE("ManualClock moves only when told") {
        const Timestamp start = utc(2025, 11, 3, 18, 0, 0);
        trend::ManualClock clock(start);
        const trend::Clock& as_clock = clock;
        CHECK(as_clock.now() == start);
        CHECK(clock.now() == start);

        clock.advance(Seconds{90});
        CHECK(clock.now() == utc(2025, 11, 3, 18, 1, 30));
        clock.advance(hours{6});
        CHECK(as_clock.now() == utc(2025, 11, 4, 0, 1, 30));
        clock.advance(Seconds{0});
        CHECK(clock.now() == utc(2025, 11, 4, 0, 1, 30));

        clock.set(utc(2020, 1, 1));
        CHECK(clock.now() == utc(2020, 1, 1));
        clock.advance(Seconds{-60});
        CHECK(clock.now() == utc(2019, 12, 31, 23, 59, 0));
    }

    TEST_CASE("SystemClock is close to the system time") {
        const trend::SystemClock clock;
        const auto before = time_point_cast<Seconds>(system_clock::now());
        const Timestamp now = clock.now();
        const auto after = time_point_cast<Seconds>(system_clock::now());
        CHECK(now >= before);
        CHECK(now <= after);
    }
}

TEST_CASE("ISO times refuse signs inside their fields") {
    CHECK_FALSE(trend::parse_iso("2025-11-03T-1:00:00Z"));
    CHECK_FALSE(trend::parse_iso("2025-11-03T10:00:00+-1:00"));
    CHECK_FALSE(trend::parse_iso("+025-11-03T10:00:00Z"));
}
