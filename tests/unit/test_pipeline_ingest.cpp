// SPDX-License-Identifier: MIT
// The ingest transaction and the spike lifecycle on a real SQLite file, with a manual clock.
#include "support.hpp"
#include "trend/detect/detector.hpp"
#include "trend/pipeline/draft_worker.hpp"
#include "trend/pipeline/ingest.hpp"
#include "trend/pipeline/write_queue.hpp"
#include "trend/util/fs.hpp"

#include <SQLiteCpp/Database.h>

using namespace trend;
using namespace std::chrono_literals;

namespace {

const Timestamp k_t0 = *parse_iso("2025-11-03T14:00:00Z");

config::RuleConfig rule_config(config::Action action = config::Action::draft) {
    config::RuleConfig c;
    c.name = "buzz-20k";
    c.min_traffic = 20000;
    c.cooldown = 24h;
    c.resolve_after = 6h;
    c.action = action;
    return c;
}

feed::Snapshot snapshot(const std::string& geo, Timestamp at,
                        const std::vector<std::pair<std::string, std::int64_t>>& terms) {
    feed::Snapshot s;
    s.geo = geo;
    s.fetched_at = at;
    int rank = 0;
    for (const auto& [term, traffic] : terms) {
        feed::Item item;
        item.term = term;
        item.traffic = {detect::group_thousands(traffic) + "+", traffic};
        item.rank = ++rank;
        item.news.push_back({term + " makes headlines",
                             "https://news.example/" + term + "/" + std::to_string(rank),
                             "Example News", "", ""});
        s.items.push_back(std::move(item));
    }
    return s;
}

/** A daemon's worth of pipeline on one database file; destroy and rebuild it to "restart". */
struct Pipeline {
    boost::asio::io_context io;
    pipeline::WriteQueue writes{io};
    store::Store store;
    pipeline::Ingestor ingestor;
    std::map<std::string, pipeline::FeedRef> feeds;
    SQLite::Database db; ///< a reader's connection, to check what was committed

    explicit Pipeline(const std::filesystem::path& path, config::RuleConfig rule = rule_config())
        : store(path), ingestor(store, detect::compile_rules({rule})),
          db(store::open_database(path, store::Access::read_only)) {
        for (const char* geo : {"US", "GB"}) {
            config::FeedConfig f;
            f.name = std::string("trends-") + geo;
            f.type = "google-trends-rss";
            f.url = "file:///dev/null";
            f.geo = geo;
            feeds[geo] = {store.sync_feed(f, k_t0), f.name, geo, f.type};
        }
    }

    pipeline::IngestStats poll(const std::string& geo, Timestamp at,
                               const std::vector<std::pair<std::string, std::int64_t>>& terms) {
        const auto snap = snapshot(geo, at, terms);
        store::PollRecord p;
        p.feed_id = feeds.at(geo).id;
        p.started_at = at;
        p.outcome = fetch::Outcome::ok;
        p.items = static_cast<int>(snap.items.size());
        return ingestor.record(feeds.at(geo), p, &snap, nullptr, at);
    }

    std::int64_t count(const std::string& sql) { return db.execAndGet(sql).getInt64(); }
};

} // namespace

TEST_SUITE("daemon") {

    TEST_CASE("a poll is stored with its spike and draft job in one transaction") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        const auto stats = p.poll("US", k_t0, {{"openai", 20000}, {"weather", 500}});
        CHECK(stats.observations == 2);
        REQUIRE(stats.spikes.size() == 1);
        REQUIRE(stats.drafts.size() == 1);
        CHECK(p.count("SELECT count(*) FROM observations") == 2);
        CHECK(p.count("SELECT count(*) FROM articles") == 2);
        CHECK(p.count("SELECT count(*) FROM observation_articles") == 2);
        CHECK(p.count("SELECT count(*) FROM spikes WHERE status = 'open'") == 1);
        CHECK(p.count("SELECT count(*) FROM drafts WHERE status = 'queued'") == 1);
        CHECK(p.count("SELECT traffic FROM spikes") == 20000);
    }

    TEST_CASE("record_batch stores several polls in one go as record would one by one") {
        test::TempDir dir;
        Pipeline one(dir / "one.db");
        Pipeline batch(dir / "batch.db");
        const std::vector<std::pair<std::string, std::int64_t>> first = {{"openai", 500},
                                                                         {"weather", 500}};
        const std::vector<std::pair<std::string, std::int64_t>> second = {{"openai", 20000}};
        one.poll("US", k_t0, first);
        one.poll("US", k_t0 + 10min, second);
        one.poll("GB", k_t0 + 20min, second);

        const auto s1 = snapshot("US", k_t0, first);
        const auto s2 = snapshot("US", k_t0 + 10min, second);
        const auto s3 = snapshot("GB", k_t0 + 20min, second);
        std::vector<pipeline::PollInput> polls;
        for (const auto* s : {&s1, &s2, &s3}) {
            pipeline::PollInput& in = polls.emplace_back();
            in.feed = batch.feeds.at(s->geo);
            in.poll.feed_id = in.feed.id;
            in.poll.started_at = s->fetched_at;
            in.poll.outcome = fetch::Outcome::ok;
            in.snapshot = s;
            in.now = s->fetched_at;
        }
        const auto stats = batch.ingestor.record_batch(polls);
        REQUIRE(stats.size() == 3);
        CHECK(stats[0].spikes.empty());
        CHECK(stats[1].spikes.size() == 1); // 500 -> 20,000 crosses the threshold
        CHECK(stats[2].spikes.empty());     // the same story in GB: within the cooldown
        for (const char* sql : {"SELECT count(*) FROM polls", "SELECT count(*) FROM observations",
                                "SELECT count(*) FROM spikes", "SELECT count(*) FROM drafts",
                                "SELECT count(*) FROM observation_articles",
                                "SELECT sum(observations) FROM term_geos"})
            CHECK_MESSAGE(batch.count(sql) == one.count(sql), sql);
    }

    TEST_CASE("term_geos sums the observations of each term per country as they arrive") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        p.poll("US", k_t0, {{"openai", 500}, {"weather", 200}});
        p.poll("US", k_t0 + 10min, {{"openai", 2000}});
        p.poll("GB", k_t0 + 20min, {{"openai", 1000}});
        CHECK(p.count("SELECT count(*) FROM term_geos") == 3);
        CHECK(p.count("SELECT observations FROM term_geos g JOIN terms t ON t.id = g.term_id "
                      "WHERE t.norm = 'openai' AND g.geo = 'US'") == 2);
        CHECK(p.count("SELECT peak_traffic FROM term_geos g JOIN terms t ON t.id = g.term_id "
                      "WHERE t.norm = 'openai' AND g.geo = 'US'") == 2000);
        CHECK(p.db.execAndGet("SELECT g.first_seen_at || ' ' || g.last_seen_at FROM term_geos g "
                              "JOIN terms t ON t.id = g.term_id "
                              "WHERE t.norm = 'openai' AND g.geo = 'US'")
                  .getString() == "2025-11-03T14:00:00Z 2025-11-03T14:10:00Z");
        // The same figures as the observations give.
        CHECK(p.count("SELECT count(*) FROM (SELECT term_id, geo, count(*) AS n, max(traffic) AS m "
                      "FROM observations GROUP BY term_id, geo) o JOIN term_geos g USING (term_id, "
                      "geo) WHERE g.observations = o.n AND g.peak_traffic = o.m") == 3);
    }

    TEST_CASE("term_geos owes nothing for observations of a transaction that rolled back") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        const auto snap = snapshot("US", k_t0, {{"openai", 500}});
        {
            auto tx = p.store.begin();
            store::PollRecord poll;
            poll.feed_id = p.feeds.at("US").id;
            poll.started_at = k_t0;
            poll.outcome = fetch::Outcome::ok;
            const store::Id poll_id = p.store.insert_poll(poll);
            const store::Id term = p.store.term_id("openai", "openai", k_t0);
            p.store.insert_observation(poll_id, poll.feed_id, term, "US", k_t0, snap.items[0]);
        } // rolled back, its tally with it
        p.poll("US", k_t0 + 10min, {{"openai", 2000}});
        CHECK(p.count("SELECT count(*) FROM observations") == 1);
        CHECK(p.count("SELECT sum(observations) FROM term_geos") == 1);
        CHECK(p.count("SELECT min(peak_traffic) FROM term_geos") == 2000);
    }

    TEST_CASE("items a parser marked with a skip_reason are not recorded") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        auto snap = snapshot("US", k_t0, {{"Main Page", 6000000}, {"openai", 20000}});
        snap.items[0].skip_reason = "the main page, not an article";
        store::PollRecord poll;
        poll.feed_id = p.feeds.at("US").id;
        poll.started_at = k_t0;
        poll.outcome = fetch::Outcome::ok;
        const auto stats = p.ingestor.record(p.feeds.at("US"), poll, &snap, nullptr, k_t0);
        CHECK(stats.observations == 1);
        CHECK(stats.spikes.size() == 1);
        CHECK(p.count("SELECT count(*) FROM terms") == 1);
        CHECK(p.count("SELECT count(*) FROM observations") == 1);
    }

    TEST_CASE("a draft asked for by hand makes a manual spike that stays open") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        p.poll("US", k_t0, {{"openai", 200}});
        const auto draft = p.store.request_draft("openai", k_t0 + 1h);
        REQUIRE(draft);
        CHECK(p.count("SELECT count(*) FROM spikes WHERE rule = 'manual' AND status = 'open' "
                      "AND resolved_at IS NULL") == 1);
        CHECK(p.count("SELECT count(*) FROM drafts WHERE status = 'queued'") == 1);
        CHECK_FALSE(p.store.request_draft("never seen", k_t0 + 1h));
    }

    TEST_CASE("a record action makes a spike but no draft") {
        test::TempDir dir;
        Pipeline p(dir / "t.db", rule_config(config::Action::record));
        p.poll("US", k_t0, {{"openai", 20000}});
        CHECK(p.count("SELECT count(*) FROM spikes") == 1);
        CHECK(p.count("SELECT count(*) FROM drafts") == 0);
    }

    TEST_CASE("one story across geos is one spike and one draft") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        p.poll("US", k_t0, {{"openai", 20000}});
        const auto gb = p.poll("GB", k_t0 + 10min, {{"OpenAI", 50000}});
        CHECK(gb.spikes.empty());
        CHECK(p.count("SELECT count(*) FROM spikes") == 1);
        CHECK(p.count("SELECT count(*) FROM drafts") == 1);
        CHECK(p.count("SELECT count(*) FROM terms") == 1); // "OpenAI" and "openai" are one term
        CHECK(p.db.execAndGet("SELECT last_seen_at FROM spikes").getString() ==
              "2025-11-03T14:10:00Z");
    }

    TEST_CASE("a story's terms as corroboration sees them follow new spikes and rollbacks") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        const auto signals_from_gb = [&] {
            return p.count("SELECT count(*) FROM story_signals g JOIN feeds f ON f.id = g.feed_id "
                           "WHERE f.geo = 'GB'");
        };
        p.poll("US", k_t0, {{"openai", 20000}});
        p.poll("GB", k_t0 + 5min, {{"stock split", 100}});
        CHECK(signals_from_gb() == 0); // "stock split" is not the story "openai"

        // A second spike term joins the story in a transaction that then fails (a write of the
        // same transaction, after the story's terms were read, is refused).
        {
            SQLite::Database rw((dir / "t.db").string(), SQLite::OPEN_READWRITE);
            rw.exec("CREATE TRIGGER refuse BEFORE INSERT ON term_geos "
                    "BEGIN SELECT RAISE(ABORT, 'disk full'); END");
        }
        CHECK_THROWS(p.poll("US", k_t0 + 10min, {{"openai stock split", 20000}}));
        CHECK(p.count("SELECT count(*) FROM story_terms") == 1); // rolled back
        {
            SQLite::Database rw((dir / "t.db").string(), SQLite::OPEN_READWRITE);
            rw.exec("DROP TRIGGER refuse");
        }
        p.poll("GB", k_t0 + 15min, {{"stock split", 100}});
        CHECK(signals_from_gb() == 0); // the rolled-back term is not the story's

        // Committed this time: the story now goes by "openai stock split" too.
        p.poll("US", k_t0 + 20min, {{"openai stock split", 20000}});
        CHECK(p.count("SELECT count(*) FROM story_terms") == 2);
        CHECK(p.count("SELECT count(*) FROM stories") == 1);
        p.poll("GB", k_t0 + 25min, {{"stock split", 100}});
        CHECK(signals_from_gb() == 1);
    }

    TEST_CASE("an open spike resolves after resolve_after without the term") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        p.poll("US", k_t0, {{"openai", 20000}});
        p.poll("US", k_t0 + 1h, {{"openai", 20000}}); // still trending: last_seen moves
        p.poll("US", k_t0 + 2h, {{"weather", 500}});  // gone
        CHECK(p.count("SELECT count(*) FROM spikes WHERE status = 'open'") == 1);
        const auto later = p.poll("US", k_t0 + 7h + 1min, {{"weather", 500}});
        CHECK(later.resolved == 1);
        CHECK(p.db.execAndGet("SELECT status || ' ' || last_seen_at FROM spikes").getString() ==
              "resolved 2025-11-03T15:00:00Z");
        CHECK(p.count("SELECT duration_minutes FROM v_spikes") == 60);
    }

    TEST_CASE("after the cooldown a returning term is a new spike") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        p.poll("US", k_t0, {{"openai", 20000}});
        p.poll("US", k_t0 + 12h, {{"openai", 20000}}); // back, but inside the cooldown
        CHECK(p.count("SELECT count(*) FROM spikes") == 1);
        const auto s = p.poll("US", k_t0 + 30h, {{"openai", 20000}});
        CHECK(s.spikes.size() == 1);
        CHECK(p.count("SELECT count(*) FROM drafts") == 2);
    }

    TEST_CASE("restart in the middle of an open spike keeps its state") {
        test::TempDir dir;
        {
            Pipeline p(dir / "t.db");
            p.poll("US", k_t0, {{"openai", 20000}});
        } // the daemon stops
        Pipeline p(dir / "t.db");
        const auto s = p.poll("US", k_t0 + 20min, {{"openai", 50000}});
        CHECK(s.spikes.empty());
        CHECK(p.count("SELECT count(*) FROM spikes") == 1);
        CHECK(p.db.execAndGet("SELECT last_seen_at FROM spikes").getString() ==
              "2025-11-03T14:20:00Z");
    }

    TEST_CASE("a spike that happened while the daemon was down fires at the next poll") {
        test::TempDir dir;
        {
            Pipeline p(dir / "t.db");
            p.poll("US", k_t0, {{"openai", 2000}});
        }
        // Down for a day; the term rose meanwhile and is at 20,000+ when we come back.
        Pipeline p(dir / "t.db");
        const auto s = p.poll("US", k_t0 + 24h, {{"openai", 20000}});
        REQUIRE(s.spikes.size() == 1);
        CHECK(p.db.execAndGet("SELECT reason FROM spikes").getString().find("new in this feed") !=
              std::string::npos);
    }

    TEST_CASE("a failed poll is recorded without touching earlier data") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        p.poll("US", k_t0, {{"openai", 20000}});
        store::PollRecord failed;
        failed.feed_id = p.feeds.at("US").id;
        failed.started_at = k_t0 + 10min;
        failed.outcome = fetch::Outcome::http_error;
        failed.http_status = 500;
        failed.error = "HTTP 500";
        p.ingestor.record(p.feeds.at("US"), failed, nullptr, nullptr, k_t0 + 10min);
        CHECK(p.count("SELECT count(*) FROM polls") == 2);
        CHECK(p.count("SELECT count(*) FROM observations") == 1);
        CHECK(p.db.execAndGet("SELECT failures_in_row FROM v_feed_health WHERE feed = "
                              "'trends-US'")
                  .getInt() == 1);
    }

    TEST_CASE("the draft worker writes one file and one row per spike") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        p.poll("US", k_t0, {{"openai", 20000}, {"../../etc/passwd", 50000}});
        config::Config cfg;
        cfg.daemon.drafts_dir = dir / "drafts";
        ManualClock clock(k_t0 + 1min);
        pipeline::DraftWorker worker(p.store, p.writes, cfg, clock);
        const auto run = worker.run_pending();
        CHECK(run.written == 2);
        CHECK(run.failed == 0);
        CHECK(worker.run_pending().written == 0); // nothing left: a finished draft is never redone
        int files = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir / "drafts")) {
            ++files;
            SQLite::Statement q(p.db, "SELECT markdown, status FROM drafts WHERE path = ?");
            q.bind(1, e.path().string());
            REQUIRE(q.executeStep());
            CHECK(q.getColumn(0).getString() == util::read_file(e.path()));
            CHECK(q.getColumn(1).getString() == "draft");
        }
        CHECK(files == 2);
        CHECK(std::filesystem::exists(dir / "drafts" / "2025-11-03-openai.md"));
        CHECK(std::filesystem::exists(dir / "drafts" / "2025-11-03-etc-passwd.md"));
    }

    TEST_CASE("a draft interrupted by a crash is queued again and written once") {
        test::TempDir dir;
        Pipeline p(dir / "t.db");
        p.poll("US", k_t0, {{"openai", 20000}});
        auto job = p.store.claim_draft(k_t0); // claimed, then the process "dies"
        REQUIRE(job);
        CHECK_FALSE(p.store.claim_draft(k_t0)); // a live claim is never taken twice
        CHECK(p.store.requeue_interrupted_drafts() == 1);
        config::Config cfg;
        cfg.daemon.drafts_dir = dir / "drafts";
        ManualClock clock(k_t0);
        pipeline::DraftWorker worker(p.store, p.writes, cfg, clock);
        CHECK(worker.run_pending().written == 1);
        CHECK(p.count("SELECT attempts FROM drafts") == 2);
        CHECK(p.count("SELECT count(*) FROM drafts WHERE status = 'draft'") == 1);
    }

} // TEST_SUITE

TEST_CASE("a long term that spikes twice gets two distinct slugs") {
    test::TempDir dir;
    Pipeline p(dir / "t.db");
    const std::string term(120, 'a');
    p.poll("US", k_t0, {{term, 20000}});
    p.poll("US", k_t0 + 30h, {{term, 20000}}); // after the cooldown: a second story
    config::Config cfg;
    cfg.daemon.drafts_dir = dir / "drafts";
    ManualClock clock(k_t0 + 31h);
    pipeline::DraftWorker worker(p.store, p.writes, cfg, clock);
    CHECK(worker.run_pending().written == 2);
    SQLite::Statement q(p.db, "SELECT slug FROM drafts ORDER BY id");
    std::vector<std::string> slugs;
    while (q.executeStep())
        slugs.push_back(q.getColumn(0).getString());
    REQUIRE(slugs.size() == 2);
    CHECK(slugs[0] != slugs[1]);
    CHECK(slugs[1].size() <= 80);
    CHECK(slugs[1].ends_with("-2"));
}

TEST_CASE("webhook jobs count as due only when a webhook is configured") {
    test::TempDir dir;
    Pipeline p(dir / "t.db");
    p.poll("US", k_t0, {{"openai", 20000}});
    config::Config cfg;
    cfg.daemon.drafts_dir = dir / "drafts";
    cfg.notify.webhook_url = "http://127.0.0.1:9/hook";
    ManualClock clock(k_t0);
    pipeline::DraftWorker worker(p.store, p.writes, cfg, clock);
    CHECK(worker.run_pending().written == 1);
    CHECK(p.count("SELECT count(*) FROM notifications WHERE status = 'pending'") == 1);
    CHECK(p.store.next_due(true) == k_t0);
    CHECK_FALSE(p.store.next_due(false));
}

TEST_CASE("LLM spend counts each call on the UTC day it was paid") {
    test::TempDir dir;
    Pipeline p(dir / "t.db");
    p.poll("US", k_t0, {{"openai", 20000}});
    const store::Id draft = p.count("SELECT id FROM drafts");
    const Timestamp late = *parse_iso("2025-11-03T23:59:00Z");
    const Timestamp early = *parse_iso("2025-11-04T00:01:00Z");
    p.store.record_llm_reply(draft, "{}", "m", 100, 50, std::nullopt, 0.25, late);
    p.store.record_llm_reply(draft, "{}", "m", 100, 50, 10, 0.5, early);
    CHECK(p.store.spent_on_day(late) == doctest::Approx(0.25));
    CHECK(p.store.spent_on_day(early) == doctest::Approx(0.5));
    CHECK(p.count("SELECT count(*) FROM llm_calls") == 2);
    CHECK(p.count("SELECT prompt_tokens FROM drafts") == 200); // the job sums its calls
    CHECK(p.count("SELECT cached_tokens FROM drafts") == 10);
}
