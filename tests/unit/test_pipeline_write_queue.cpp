// SPDX-License-Identifier: MIT
// Writes wait for a locked database on the loop, in order, and are never lost.
#include "support.hpp"
#include "trend/pipeline/write_queue.hpp"
#include "trend/store/store.hpp"

#include <SQLiteCpp/Database.h>

using namespace trend;
using namespace std::chrono_literals;

namespace {

/** A store as the daemon opens it (a short busy timeout), with a second connection, the
 *  analyst's, that can hold the write lock. */
struct Locked {
    test::TempDir dir;
    store::Store store{dir / "t.db"};
    SQLite::Database analyst{(dir / "t.db").string(), SQLite::OPEN_READWRITE, 1000};
    boost::asio::io_context io;
    pipeline::WriteQueue writes{io};

    Locked() { store.set_busy_timeout(5ms); }

    /** A write the store can only make when nobody else holds the lock. */
    void insert_feed(const std::string& name) {
        config::FeedConfig f;
        f.name = name;
        f.type = "google-trends-rss";
        f.url = "file:///dev/null";
        (void)store.sync_feed(f, *parse_iso("2026-11-01T00:00:00Z"));
    }

    std::int64_t feeds() {
        return analyst.execAndGet("SELECT count(*) FROM feeds").getInt64();
    }

    void run_for(std::chrono::milliseconds d) {
        io.restart();
        io.run_for(d);
    }
};

} // namespace

TEST_SUITE("pipeline") {

    TEST_CASE("a write runs at once when the database is free") {
        Locked t;
        int then = 0;
        t.writes.submit("add feed a", [&] { t.insert_feed("a"); }, [&] { ++then; });
        CHECK(then == 1);
        CHECK(t.writes.pending() == 0);
        CHECK(t.feeds() == 1);
    }

    TEST_CASE("a locked database delays writes, in order, and loses none") {
        Locked t;
        t.analyst.exec("BEGIN IMMEDIATE"); // the analyst holds the write lock
        std::vector<std::string> done;
        for (const char* name : {"a", "b", "c"})
            t.writes.submit(std::string("add feed ") + name, [&t, name] { t.insert_feed(name); },
                            [&done, name] { done.emplace_back(name); });
        CHECK(t.writes.pending() == 3);
        CHECK(done.empty());
        t.run_for(400ms); // retries meet the lock again
        CHECK(t.writes.pending() == 3);
        CHECK(t.writes.waiting_since().has_value());
        t.analyst.exec("ROLLBACK");
        t.run_for(3000ms);
        CHECK(t.writes.pending() == 0);
        CHECK(done == std::vector<std::string>{"a", "b", "c"});
        CHECK(t.feeds() == 3);
    }

    TEST_CASE("a write submitted by a continuation joins the line") {
        Locked t;
        std::vector<std::string> order;
        t.writes.submit(
            "first", [&] { t.insert_feed("a"); },
            [&] {
                order.emplace_back("first");
                t.writes.submit("second", [&] { t.insert_feed("b"); },
                                [&] { order.emplace_back("second"); });
            });
        CHECK(order == std::vector<std::string>{"first", "second"});
        CHECK(t.feeds() == 2);
    }

    TEST_CASE("other failures are not retried; the writes behind still run") {
        Locked t;
        std::string error;
        bool after = false;
        t.writes.submit(
            "a bad write", [] { throw std::runtime_error("disk full"); }, [] {},
            [&](const std::exception& e) { error = e.what(); });
        t.writes.submit("a good one", [&] { t.insert_feed("a"); }, [&] { after = true; });
        CHECK(error == "disk full");
        CHECK(after);
        CHECK(t.writes.pending() == 0);
    }

    TEST_CASE("stopping drops what still waits") {
        Locked t;
        t.analyst.exec("BEGIN IMMEDIATE"); // the analyst holds the write lock
        bool ran = false;
        t.writes.submit("add feed a", [&] { t.insert_feed("a"); }, [&] { ran = true; });
        t.writes.stop();
        t.analyst.exec("ROLLBACK");
        t.run_for(500ms);
        CHECK_FALSE(ran);
        CHECK(t.writes.pending() == 0);
        t.writes.submit("after stop", [&] { t.insert_feed("b"); });
        CHECK(t.feeds() == 0);
    }
}
