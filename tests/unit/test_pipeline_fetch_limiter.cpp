// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/pipeline/fetch_limiter.hpp"

using namespace trend;

TEST_SUITE("pipeline") {

    TEST_CASE("the fetch limiter holds total and per-host limits in FIFO order") {
        pipeline::FetchLimiter l(3, 2);
        CHECK(l.acquire("a1", "a.example"));
        CHECK(l.acquire("a2", "a.example"));
        CHECK_FALSE(l.acquire("a3", "a.example")); // host full
        CHECK(l.acquire("b1", "b.example"));       // another host is not held up
        CHECK_FALSE(l.acquire("c1", "c.example")); // total full
        CHECK(l.active() == 3);
        CHECK(l.waiting() == 2);
        CHECK_FALSE(l.next()); // nothing fits yet

        l.release("b.example"); // frees a total slot, a.example still full
        auto n = l.next();
        REQUIRE(n);
        CHECK(n->first == "c1");
        l.release("a.example");
        n = l.next();
        REQUIRE(n);
        CHECK(n->first == "a3");
        CHECK(l.waiting() == 0);

        l.acquire("x", "a.example"); // queued
        l.forget("x");
        CHECK(l.waiting() == 0);
    }
}
