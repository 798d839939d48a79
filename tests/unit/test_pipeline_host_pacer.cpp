// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/pipeline/host_pacer.hpp"

using namespace trend;
using namespace std::chrono_literals;

TEST_SUITE("pipeline") {

    TEST_CASE("a host takes one request at a time, spaced from the end of the last") {
        ManualClock clock(*parse_iso("2025-11-03T14:00:00Z"));
        pipeline::HostPacer pacer(clock, 2s);
        CHECK(pacer.ready("a.example"));
        pacer.start("a.example");
        CHECK(pacer.busy() == 1);
        CHECK_FALSE(pacer.ready("a.example"));
        CHECK_FALSE(pacer.ready_at("a.example")); // its end decides
        CHECK_THROWS_AS(pacer.start("a.example"), std::logic_error);
        CHECK(pacer.ready("b.example")); // other hosts are independent
        clock.advance(5s);               // a slow request: spacing counts from its end
        pacer.finish("a.example");
        CHECK(pacer.busy() == 0);
        CHECK_FALSE(pacer.ready("a.example"));
        REQUIRE(pacer.ready_at("a.example"));
        CHECK(*pacer.ready_at("a.example") == clock.precise_now() + 2s);
        clock.advance(1999ms);
        CHECK_FALSE(pacer.ready("a.example"));
        clock.advance(1ms);
        CHECK(pacer.ready("a.example"));
    }

    TEST_CASE("a new spacing applies from the next request that ends; idle hosts are pruned") {
        ManualClock clock(*parse_iso("2025-11-03T14:00:00Z"));
        pipeline::HostPacer pacer(clock, 2s);
        pacer.start("a.example");
        pacer.finish("a.example");
        pacer.set_spacing(10s);
        clock.advance(2s);
        CHECK(pacer.ready("a.example"));
        pacer.start("a.example");
        pacer.finish("a.example");
        clock.advance(9s);
        CHECK_FALSE(pacer.ready("a.example"));
        pacer.prune(); // not idle long enough: kept
        CHECK_FALSE(pacer.ready("a.example"));
        clock.advance(1s);
        pacer.prune();
        CHECK(pacer.ready("a.example"));
    }
}
