// SPDX-License-Identifier: MIT
// The scheduler on a manual clock: when each feed polls, backoff, limits, reloads, restarts.
#include "support.hpp"
#include "trend/daemon/scheduler.hpp"

#include <algorithm>

using namespace trend;
using namespace std::chrono_literals;

namespace {

const Timestamp k_t0 = *parse_iso("2026-11-01T12:00:00Z");

config::FeedConfig feed_cfg(const std::string& name, Seconds interval = 600s,
                        const std::string& url = "") {
    config::FeedConfig f;
    f.name = name;
    f.type = "google-trends-rss";
    f.url = url.empty() ? "https://" + name + ".example/rss" : url;
    f.interval = interval;
    return f;
}

config::Config config_of(std::vector<config::FeedConfig> feeds, int total = 16, int per_host = 4) {
    config::Config c = config::defaults();
    c.feeds = std::move(feeds);
    c.daemon.max_concurrent_fetches = total;
    c.daemon.max_fetches_per_host = per_host;
    c.daemon.backoff_max = 6h;
    return c;
}

pipeline::PollSummary ok(int items = 20) {
    pipeline::PollSummary s;
    s.outcome = fetch::Outcome::ok;
    s.items = items;
    return s;
}

pipeline::PollSummary failed(fetch::Outcome o, std::optional<Seconds> retry_after = {}) {
    pipeline::PollSummary s;
    s.outcome = o;
    s.error = "HTTP 429";
    s.retry_after = retry_after;
    return s;
}

/** A scheduler on a manual clock whose "random" draw is fixed (0.5 = no jitter). */
struct Bench {
    ManualClock clock{k_t0};
    double draw = 0.5;
    std::map<std::string, store::FeedPollState> history; ///< what "the database" says
    daemon::Scheduler s{clock, [this] { return draw; }};

    daemon::Scheduler::History db() {
        return [this](const std::string& name) {
            const auto it = history.find(name);
            return it == history.end() ? store::FeedPollState{} : it->second;
        };
    }

    std::vector<std::string> due_at(Timestamp t) {
        clock.set(t);
        auto names = s.take_due();
        std::sort(names.begin(), names.end());
        return names;
    }
};

using Names = std::vector<std::string>;

/** What the database says of a feed whose last `failures` polls failed. */
store::FeedPollState failing(int failures, Timestamp last_poll_at,
                             std::optional<Seconds> retry_after = {}) {
    store::FeedPollState h;
    h.failures_in_row = failures;
    h.last_poll_at = last_poll_at;
    h.last_outcome = fetch::Outcome::http_error;
    h.last_retry_after = retry_after;
    return h;
}

} // namespace

TEST_SUITE("daemon") {

    TEST_CASE("first polls are spread over up to 30 s, or the interval if shorter") {
        Bench b;
        b.draw = 0.5;
        b.s.configure(config_of({feed_cfg("a"), feed_cfg("fast", 10s)}), b.db(), /*start=*/true);
        CHECK(b.s.find("a")->due == k_t0 + 15s);   // half of 30 s
        CHECK(b.s.find("fast")->due == k_t0 + 5s); // half of its 10 s interval
        CHECK(b.due_at(k_t0 + 4s).empty());
        CHECK(b.due_at(k_t0 + 5s) == Names{"fast"});
        CHECK(b.due_at(k_t0 + 15s) == Names{"a"});
        CHECK(b.s.next_due() == std::nullopt); // both polling
    }

    TEST_CASE("a healthy feed polls every interval +-10%") {
        Bench b;
        b.s.configure(config_of({feed_cfg("a", 600s)}), b.db(), true);
        REQUIRE(b.due_at(k_t0 + 15s) == Names{"a"});
        b.draw = 0.0;
        CHECK(b.s.finished("a", ok()) == 540s);
        CHECK(b.s.find("a")->due == k_t0 + 15s + 540s);
        CHECK(b.s.find("a")->last_outcome == "ok");
        CHECK(b.s.find("a")->last_success_at == k_t0 + 15s);
        REQUIRE(b.due_at(k_t0 + 555s) == Names{"a"});
        b.draw = 0.999;
        CHECK(b.s.finished("a", ok()) == 660s);
    }

    TEST_CASE("failures back off exponentially, Retry-After is a floor, success resets") {
        Bench b;
        b.s.configure(config_of({feed_cfg("a", 600s)}), b.db(), true);
        Timestamp t = k_t0 + 15s;
        const auto fail_once = [&](std::optional<Seconds> retry_after) {
            REQUIRE(b.due_at(t) == Names{"a"});
            const auto d = b.s.finished("a", failed(fetch::Outcome::http_error, retry_after));
            t += *d;
            return *d;
        };
        CHECK(fail_once(std::nullopt) == 600s);
        CHECK(fail_once(std::nullopt) == 1200s);
        CHECK(fail_once(std::nullopt) == 2400s);
        CHECK(b.s.find("a")->failures_in_row == 3);
        CHECK(b.s.find("a")->backoff == 2400s);
        CHECK(fail_once(5h) == 5h); // the server asked for more than the ladder gives
        CHECK(b.s.find("a")->last_retry_after == 5h);
        REQUIRE(b.due_at(t) == Names{"a"});
        CHECK(b.s.finished("a", ok()) == 600s);
        CHECK(b.s.find("a")->failures_in_row == 0);
        CHECK(b.s.find("a")->backoff == 0s);
        CHECK(b.s.find("a")->polls_by_outcome.at("http_error") == 4);
    }

    TEST_CASE("a restart honours the Retry-After the database remembers") {
        Bench b;
        // The last poll, 34 s ago, got a 429 with Retry-After: 600.
        b.history["a"] = failing(1, k_t0 - 34s, 600s);
        b.s.configure(config_of({feed_cfg("a", 60s)}), b.db(), /*start=*/true);
        const daemon::FeedSchedule& st = *b.s.find("a");
        CHECK(st.failures_in_row == 1);
        CHECK(st.due == k_t0 - 34s + 600s);
        CHECK(b.due_at(k_t0 + 30s).empty());
        CHECK(b.due_at(k_t0 + 565s).empty());
        CHECK(b.due_at(k_t0 + 566s) == Names{"a"});
    }

    TEST_CASE("a restart keeps the backoff ladder of a feed that keeps failing") {
        Bench b;
        b.history["a"] = failing(4, k_t0 - 60s);
        b.s.configure(config_of({feed_cfg("a", 600s)}), b.db(), true);
        // The 4th failure earned 600 s * 2^3 = 80 min, at the low end of its jitter (-10%).
        CHECK(b.s.find("a")->due == k_t0 - 60s + 4320s);
        REQUIRE(b.due_at(k_t0 + 4260s) == Names{"a"});
        CHECK(b.s.finished("a", failed(fetch::Outcome::timeout)) == 9600s); // the 5th failure
    }

    TEST_CASE("a reload that removes a feed and adds it back keeps its Retry-After") {
        Bench b;
        b.s.configure(config_of({feed_cfg("a", 60s), feed_cfg("b")}), b.db(), true);
        REQUIRE(b.due_at(k_t0 + 30s) == Names{"a", "b"});
        b.s.finished("a", failed(fetch::Outcome::http_error, 600s));
        b.s.finished("b", ok());
        b.history["a"] = failing(1, k_t0 + 30s, 600s);
        b.clock.set(k_t0 + 40s);
        b.s.configure(config_of({feed_cfg("b")}), b.db(), false);
        CHECK(b.s.find("a") == nullptr);
        b.clock.set(k_t0 + 50s);
        b.s.configure(config_of({feed_cfg("a", 60s), feed_cfg("b")}), b.db(), false);
        CHECK(b.s.find("a")->due == k_t0 + 30s + 600s);
        CHECK(b.due_at(k_t0 + 100s).empty());
    }

    TEST_CASE("a changed interval reschedules from the last poll, never before Retry-After") {
        Bench b;
        b.s.configure(config_of({feed_cfg("a", 600s), feed_cfg("b", 600s)}), b.db(), true);
        REQUIRE(b.due_at(k_t0 + 30s) == Names{"a", "b"});
        b.s.finished("a", failed(fetch::Outcome::http_error, 600s));
        b.s.finished("b", ok());
        b.clock.set(k_t0 + 60s);
        b.s.configure(config_of({feed_cfg("a", 30s), feed_cfg("b", 3600s)}), b.db(), false);
        CHECK(b.s.find("a")->due == k_t0 + 30s + 600s); // the server's 600 s still hold
        CHECK(b.s.find("b")->due == k_t0 + 30s + 3600s);
        b.s.configure(config_of({feed_cfg("a", 30s), feed_cfg("b", 10s)}), b.db(), false);
        CHECK(b.s.find("b")->due == k_t0 + 60s); // overdue on the new interval: now
    }

    TEST_CASE("a reload adds feeds to poll now and forgets removed ones, even in flight") {
        Bench b;
        b.s.configure(config_of({feed_cfg("a")}), b.db(), true);
        REQUIRE(b.due_at(k_t0 + 15s) == Names{"a"});
        b.s.configure(config_of({feed_cfg("new")}), b.db(), false);
        CHECK(b.s.find("a") == nullptr);
        CHECK(b.s.find("new")->due == k_t0 + 15s);
        CHECK(b.s.finished("a", ok()) == std::nullopt); // its slot is freed all the same
        CHECK(b.s.active() == 0);
        CHECK(b.due_at(k_t0 + 15s) == Names{"new"});
    }

    TEST_CASE("a poll that could not start keeps its schedule and frees its slot") {
        // The service reports a poll that threw before its transfer started as not_stored:
        // the feed backs off like any failure and its concurrency slot is returned.
        Bench b;
        b.s.configure(config_of({feed_cfg("a"), feed_cfg("b")}, /*total=*/1), b.db(), true);
        REQUIRE(b.due_at(k_t0 + 15s) == Names{"a"});
        CHECK(b.s.find("b")->state == daemon::FeedSchedule::State::waiting);
        pipeline::PollSummary threw;
        threw.end = pipeline::PollEnd::not_stored;
        threw.error = "database is locked";
        CHECK(b.s.finished("a", threw) == 600s);
        CHECK(b.s.find("a")->state == daemon::FeedSchedule::State::scheduled);
        CHECK(b.s.find("a")->last_outcome == "store_error");
        CHECK(b.s.active() == 0);
        CHECK(b.due_at(k_t0 + 15s) == Names{"b"}); // the held poll gets the slot
        b.s.finished("b", ok());
        CHECK(b.due_at(k_t0 + 615s) == Names{"a"}); // one slot: the earlier (by name) first
    }

    TEST_CASE("limits: total and per host, held polls start first, FIFO") {
        Bench b;
        b.s.configure(config_of({feed_cfg("a1", 600s, "https://a.example/1"),
                                 feed_cfg("a2", 600s, "https://a.example/2"),
                                 feed_cfg("b1", 600s, "https://b.example/1")},
                                /*total=*/2, /*per_host=*/1),
                      b.db(), true);
        CHECK(b.due_at(k_t0 + 15s) == Names{"a1", "b1"});
        CHECK(b.s.find("a2")->state == daemon::FeedSchedule::State::waiting);
        CHECK(b.s.waiting() == 1);
        b.s.finished("b1", ok());
        CHECK(b.s.take_due().empty()); // a.example still busy
        b.s.finished("a1", ok());
        CHECK(b.s.take_due() == Names{"a2"});
    }

    TEST_CASE("poll_soon brings a feed forward; cancelled polls are not failures") {
        Bench b;
        b.s.configure(config_of({feed_cfg("a")}), b.db(), true);
        CHECK_FALSE(b.s.poll_soon("nope"));
        b.clock.set(k_t0 + 1s);
        CHECK(b.s.poll_soon("a"));
        CHECK(b.s.take_due() == Names{"a"});
        pipeline::PollSummary cancelled;
        cancelled.end = pipeline::PollEnd::cancelled;
        b.s.finished("a", cancelled);
        CHECK(b.s.find("a")->failures_in_row == 0);
        CHECK_FALSE(b.s.find("a")->last_poll_at.has_value());
    }

    TEST_CASE("a new URL is a new resource: the old server's backoff does not apply") {
        Bench b;
        b.s.configure(config_of({feed_cfg("a")}), b.db(), true);
        REQUIRE(b.due_at(k_t0 + 15s) == Names{"a"});
        b.s.finished("a", failed(fetch::Outcome::http_error, 3600s));
        b.clock.set(k_t0 + 20s);
        b.s.configure(config_of({feed_cfg("a", 600s, "https://elsewhere.example/rss")}), b.db(),
                      false);
        CHECK(b.s.find("a")->failures_in_row == 0);
        CHECK(b.s.find("a")->due == k_t0 + 20s);
    }
}
