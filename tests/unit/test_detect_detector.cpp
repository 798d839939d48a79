// SPDX-License-Identifier: MIT
// The detector's semantics (design.md section 4), each with a hand-set clock.
#include "support.hpp"
#include "trend/detect/detector.hpp"

using namespace trend;
using namespace std::chrono_literals;

namespace {

const Timestamp k_t0 = *parse_iso("2025-11-03T14:00:00Z");

detect::Rule make_rule(std::int64_t min_traffic, std::optional<double> growth = std::nullopt) {
    config::RuleConfig c;
    c.name = "buzz";
    c.min_traffic = min_traffic;
    c.growth = growth;
    c.cooldown = 24h;
    c.resolve_after = 6h;
    c.window = 7 * 24h;
    return detect::Rule(c);
}

detect::Input observation(std::int64_t traffic, Timestamp at) {
    detect::Input in;
    in.term = "openai";
    in.feed = "us";
    in.geo = "US";
    in.current = {at, traffic};
    in.now = at;
    return in;
}

} // namespace

TEST_SUITE("detect") {

    TEST_CASE("threshold crossing fires once and is edge-triggered") {
        const auto rule = make_rule(20000);
        SUBCASE("absent before: fires") {
            auto d = detect::evaluate(rule, observation(20000, k_t0));
            CHECK(d.verdict == detect::Verdict::fire);
            CHECK(d.reason.find("20,000+ reached the threshold 20,000") != std::string::npos);
            CHECK(d.reason.find("new in this feed") != std::string::npos);
        }
        SUBCASE("below before: fires and names the previous bucket") {
            auto in = observation(20000, k_t0);
            in.previous = detect::Point{k_t0 - 10min, 2000};
            auto d = detect::evaluate(rule, in);
            CHECK(d.verdict == detect::Verdict::fire);
            CHECK(d.previous_traffic == 2000);
            CHECK(d.reason.find("previously 2,000+") != std::string::npos);
        }
        SUBCASE("already above before: no crossing") {
            auto in = observation(50000, k_t0);
            in.previous = detect::Point{k_t0 - 10min, 20000};
            CHECK(detect::evaluate(rule, in).verdict == detect::Verdict::none);
        }
        SUBCASE("below the threshold: nothing") {
            CHECK(detect::evaluate(rule, observation(10000, k_t0)).verdict ==
                  detect::Verdict::none);
        }
        SUBCASE("unparseable traffic never fires") {
            auto in = observation(0, k_t0);
            in.current.traffic = std::nullopt;
            CHECK(detect::evaluate(rule, in).verdict == detect::Verdict::none);
        }
    }

    TEST_CASE("a previous observation older than resolve_after counts as absent") {
        // The term trended days ago, left, and is back: a new story (cooldown permitting).
        const auto rule = make_rule(20000);
        auto in = observation(20000, k_t0);
        in.previous = detect::Point{k_t0 - 2 * 24h, 50000};
        CHECK(detect::evaluate(rule, in).verdict == detect::Verdict::fire);
    }

    TEST_CASE("cooldown holds across geos") {
        const auto rule = make_rule(20000);
        auto in = observation(20000, k_t0 + 3h);
        in.geo = "GB";
        in.feed = "gb";
        SUBCASE("resolved spike inside the cooldown: no second spike") {
            in.last_spike = detect::LastSpike{k_t0, k_t0 + 1h, false};
            auto d = detect::evaluate(rule, in);
            CHECK(d.verdict == detect::Verdict::none);
            CHECK(d.reason == "cooldown");
        }
        SUBCASE("after the cooldown: fires again") {
            in.now = in.current.at = k_t0 + 25h;
            in.last_spike = detect::LastSpike{k_t0, k_t0 + 1h, false};
            CHECK(detect::evaluate(rule, in).verdict == detect::Verdict::fire);
        }
    }

    TEST_CASE("an open spike continues while the term keeps trending") {
        const auto rule = make_rule(20000);
        auto in = observation(20000, k_t0 + 2h);
        in.geo = "GB"; // another country: same story, same spike
        in.last_spike = detect::LastSpike{k_t0, k_t0 + 1h, true};
        CHECK(detect::evaluate(rule, in).verdict == detect::Verdict::continues);

        SUBCASE("but not once resolve_after has passed since it was last seen") {
            in.now = in.current.at = k_t0 + 1h + 6h;
            const auto d = detect::evaluate(rule, in);
            CHECK(d.verdict == detect::Verdict::none); // still inside the 24h cooldown
            CHECK(d.reason == "cooldown");
        }
    }

    TEST_CASE("growth is measured against the term's own median") {
        const auto rule = make_rule(1000, 5.0);
        SUBCASE("a steady big term does not fire") {
            const std::vector<std::int64_t> history{50000, 50000, 20000, 50000, 50000};
            auto in = observation(50000, k_t0);
            in.window = history;
            const auto d = detect::evaluate(rule, in);
            CHECK(d.verdict == detect::Verdict::none);
            REQUIRE(d.baseline);
            CHECK(*d.baseline == doctest::Approx(50000));
        }
        SUBCASE("the bucket ladder 2000 to 20000 is a tenfold rise") {
            const std::vector<std::int64_t> history{2000, 2000, 1000, 2000};
            auto in = observation(20000, k_t0);
            in.window = history;
            in.previous = detect::Point{k_t0 - 10min, 2000};
            const auto d = detect::evaluate(rule, in);
            CHECK(d.verdict == detect::Verdict::fire);
            CHECK(d.reason.find("10.0x its 7d median of 2,000") != std::string::npos);
        }
        SUBCASE("a term with no history meets the growth condition") {
            const auto d = detect::evaluate(rule, observation(5000, k_t0));
            CHECK(d.verdict == detect::Verdict::fire);
            CHECK(d.reason.find("no earlier history") != std::string::npos);
        }
        SUBCASE("growth is edge-triggered too") {
            const std::vector<std::int64_t> history{1000, 1000, 1000};
            auto in = observation(20000, k_t0);
            in.window = history;
            in.previous =
                detect::Point{k_t0 - 10min, 10000}; // already 10x: the crossing was earlier
            CHECK(detect::evaluate(rule, in).verdict == detect::Verdict::none);
        }
    }

    TEST_CASE("rules select terms and geos") {
        config::RuleConfig c;
        c.name = "watch";
        c.min_traffic = 100;
        c.match = {"openai", "re:^nvidia( |$)"};
        c.geo = {"US", "gb-feed"};
        const detect::Rule rule(c);
        CHECK(rule.matches_term("openai"));
        CHECK(rule.matches_term("nvidia stock"));
        CHECK_FALSE(rule.matches_term("openai news"));
        CHECK_FALSE(rule.matches_term("anvidia"));
        CHECK(rule.applies_to("us-feed", "us"));
        CHECK(rule.applies_to("gb-feed", "GB"));
        CHECK_FALSE(rule.applies_to("jp", "JP"));
        CHECK(detect::qualifies(rule, "openai", "x", "US", 100));
        CHECK_FALSE(detect::qualifies(rule, "openai", "x", "US", 99));
        CHECK_FALSE(detect::qualifies(rule, "openai", "x", "US", std::nullopt));

        config::RuleConfig all;
        all.name = "all";
        CHECK(detect::Rule(all).matches_term("anything at all"));
        CHECK(detect::Rule(all).applies_to("any", ""));
    }

    TEST_CASE("median and thousands grouping") {
        CHECK_FALSE(detect::median({}));
        CHECK(*detect::median({5}) == 5);
        CHECK(*detect::median({1, 9, 5}) == 5);
        CHECK(*detect::median({1, 2, 3, 10}) == doctest::Approx(2.5));
        CHECK(detect::group_thousands(0) == "0");
        CHECK(detect::group_thousands(999) == "999");
        CHECK(detect::group_thousands(20000) == "20,000");
        CHECK(detect::group_thousands(1000000) == "1,000,000");
    }

} // TEST_SUITE
