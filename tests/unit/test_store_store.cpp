// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/store/database.hpp"
#include "trend/store/migrations.hpp"
#include "trend/store/store.hpp"

using namespace trend;

TEST_SUITE("store") {

    TEST_CASE("migrations create every table and view and set user_version") {
        test::TempDir dir;
        auto db = store::open_database(dir / "sub" / "t.db", store::Access::read_write);
        CHECK(db.execAndGet("PRAGMA user_version").getInt() == store::latest_schema_version());
        CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
        CHECK(db.execAndGet("PRAGMA foreign_keys").getInt() == 1);
        for (const char* name :
             {"feeds", "polls", "terms", "observations", "articles", "observation_articles",
              "spikes", "drafts", "v_spikes", "v_term_daily", "v_feed_health", "v_draft_costs"}) {
            SQLite::Statement q(db, "SELECT count(*) FROM sqlite_schema WHERE name = ?");
            q.bind(1, name);
            REQUIRE(q.executeStep());
            CHECK_MESSAGE(q.getColumn(0).getInt() == 1, name);
        }
        CHECK(store::migrate(db) == 0); // idempotent
    }

    TEST_CASE("a scratch database is written without WAL and locked while open") {
        test::TempDir dir;
        {
            auto db = store::open_database(dir / "replay.db", store::Access::scratch);
            CHECK(db.execAndGet("PRAGMA user_version").getInt() ==
                  store::latest_schema_version());
            CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "memory");
            CHECK(db.execAndGet("PRAGMA synchronous").getInt() == 0);
            CHECK(db.execAndGet("PRAGMA foreign_keys").getInt() == 0);
            db.exec("INSERT INTO feeds (name, type, url, created_at) "
                    "VALUES ('x', 'replay', 'file:///x', '2025-11-03T14:00:00Z')");
            CHECK_FALSE(std::filesystem::exists(dir / "replay.db-wal"));
            SQLite::Database other((dir / "replay.db").string(), SQLite::OPEN_READONLY);
            CHECK_THROWS(other.execAndGet("SELECT count(*) FROM feeds"));
        }
        // Closed, it is an ordinary database to read.
        auto db = store::open_database(dir / "replay.db", store::Access::read_only);
        CHECK(db.execAndGet("SELECT count(*) FROM feeds").getInt() == 1);
    }

    TEST_CASE("a term id taken back by a rollback is not handed out again") {
        test::TempDir dir;
        store::Store st(dir / "t.db");
        const Timestamp now = *parse_iso("2025-11-03T14:00:00Z");
        store::Id ghost = 0;
        {
            auto tx = st.begin();
            ghost = st.term_id("openai", "OpenAI", now);
        } // rolled back
        store::Id nvidia = 0;
        {
            auto tx = st.begin();
            nvidia = st.term_id("nvidia", "Nvidia", now);
            tx.commit();
        }
        CHECK(nvidia == ghost); // SQLite gives the next row the rolled-back rowid
        {
            auto tx = st.begin();
            CHECK(st.term_id("openai", "OpenAI", now) != nvidia);
            tx.commit();
        }
        CHECK(st.term_id("nvidia", "Nvidia", now) == nvidia);
        auto db = store::open_database(dir / "t.db", store::Access::read_only);
        CHECK(db.execAndGet("SELECT count(*) FROM terms").getInt() == 2);
    }

    TEST_CASE("migration versions are strictly increasing") {
        int last = 0;
        for (const auto& m : store::migrations()) {
            CHECK(m.version > last);
            last = m.version;
        }
        CHECK(last == store::latest_schema_version());
    }

    TEST_CASE("a database from a newer trendd is refused") {
        test::TempDir dir;
        {
            auto db = store::open_database(dir / "t.db", store::Access::read_write);
            db.exec("PRAGMA user_version = 999");
        }
        CHECK_THROWS_WITH_AS(store::open_database(dir / "t.db", store::Access::read_write),
                             doctest::Contains("newer than this trendd"), store::DatabaseError);
        CHECK_THROWS_AS(store::open_database(dir / "t.db", store::Access::read_only),
                        store::DatabaseError);
    }

    TEST_CASE("read-only access never creates a file") {
        test::TempDir dir;
        CHECK_THROWS_WITH_AS(store::open_database(dir / "missing.db", store::Access::read_only),
                             doctest::Contains("no such database"), store::DatabaseError);
        CHECK_FALSE(std::filesystem::exists(dir / "missing.db"));
    }

    TEST_CASE("a file that is not SQLite gives a clear error") {
        test::TempDir dir;
        test::write_file(dir / "junk.db", std::string(4096, 'x'));
        CHECK_THROWS_WITH_AS(store::open_database(dir / "junk.db", store::Access::read_write),
                             doctest::Contains("junk.db"), store::DatabaseError);
    }

    TEST_CASE("feeds are upserted by name and keep validators only for the same URL") {
        test::TempDir dir;
        store::Store st(dir / "t.db");
        config::FeedConfig f;
        f.name = "us";
        f.type = "google-trends-rss";
        f.url = "https://a.example/rss";
        const Timestamp now = *parse_iso("2025-11-03T14:00:00Z");
        const auto id = st.sync_feed(f, now);
        st.set_validators(id, {"\"abc\"", "Mon, 03 Nov 2025 14:00:00 GMT"});
        CHECK(st.sync_feed(f, now) == id);
        CHECK(st.validators(id).etag == "\"abc\"");
        f.url = "https://b.example/rss";
        CHECK(st.sync_feed(f, now) == id);
        CHECK(st.validators(id).etag.empty());
        st.disable_feeds_except({});
        SQLite::Database db = store::open_database(dir / "t.db", store::Access::read_only);
        CHECK(db.execAndGet("SELECT enabled FROM feeds").getInt() == 0);
    }

} // TEST_SUITE
