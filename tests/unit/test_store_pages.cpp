// SPDX-License-Identifier: MIT
// The page jobs of the reading stage: queued with their draft, claimed, recorded, and the rule
// by which a draft waits for them.
#include "support.hpp"
#include "trend/detect/detector.hpp"
#include "trend/pipeline/ingest.hpp"
#include "trend/store/database.hpp"
#include "trend/store/queries.hpp"
#include "trend/store/store.hpp"

#include <SQLiteCpp/Database.h>

using namespace trend;
using namespace std::chrono_literals;

namespace {

const Timestamp k_t0 = *parse_iso("2025-11-03T14:00:00Z");

config::RuleConfig rule_config() {
    config::RuleConfig c;
    c.name = "buzz-20k";
    c.min_traffic = 20000;
    c.cooldown = 24h;
    c.resolve_after = 6h;
    c.action = config::Action::draft;
    return c;
}

/** One database with two feeds (US, GB) and pages enabled (3 min wait). */
struct Fixture {
    store::Store store;
    pipeline::Ingestor ingestor;
    std::map<std::string, pipeline::FeedRef> feeds;
    SQLite::Database db;

    explicit Fixture(const std::filesystem::path& path)
        : store(path), ingestor(store, detect::compile_rules({rule_config()})),
          db(store::open_database(path, store::Access::read_only)) {
        store.set_page_policy({.enabled = true, .wait = 180s, .max_pages = 10});
        for (const char* geo : {"US", "GB"}) {
            config::FeedConfig f;
            f.name = std::string("trends-") + geo;
            f.type = "google-trends-rss";
            f.url = "file:///dev/null";
            f.geo = geo;
            feeds[geo] = {store.sync_feed(f, k_t0), f.name, geo, f.type};
        }
    }

    /** A poll of `geo` carrying `term` at 20,000+ with these news URLs; returns its drafts. */
    std::vector<store::Id> poll(const std::string& geo, const std::string& term,
                                const std::vector<std::string>& urls, Timestamp at = k_t0,
                                const std::vector<std::string>& titles = {},
                                const std::vector<std::string>& related = {}) {
        feed::Snapshot s;
        s.geo = geo;
        s.fetched_at = at;
        feed::Item item;
        item.term = term;
        item.traffic = {"20,000+", 20000};
        item.rank = 1;
        for (std::size_t i = 0; i < urls.size(); ++i)
            item.news.push_back(
                {i < titles.size() ? titles[i] : term + " news", urls[i], "Example", "", ""});
        item.related = related;
        s.items.push_back(std::move(item));
        store::PollRecord p;
        p.feed_id = feeds.at(geo).id;
        p.started_at = at;
        p.outcome = fetch::Outcome::ok;
        p.items = 1;
        return ingestor.record(feeds.at(geo), p, &s, nullptr, at).drafts;
    }

    std::int64_t count(const std::string& sql) { return db.execAndGet(sql).getInt64(); }

    void record(store::Id page, store::PageOutcome outcome, Timestamp at,
                std::optional<store::PageTextRecord> text = std::nullopt) {
        store::PageResult r;
        r.page_id = page;
        r.outcome = outcome;
        r.fetched_at = at;
        r.http_status = 200;
        r.bytes = 1234;
        r.text = std::move(text);
        auto tx = store.begin();
        store.record_page(r);
        tx.commit();
    }
};

store::PageTextRecord page_text(std::string title, std::string body) {
    store::PageTextRecord t;
    t.title = std::move(title);
    t.text = std::move(body);
    t.word_count = 3;
    t.method = "readability";
    t.lang = "en-US";
    t.site_name = "Example";
    return t;
}

} // namespace

TEST_SUITE("store") {

    TEST_CASE("a spike's draft queues each page of its story once, shared across geos") {
        test::TempDir dir;
        Fixture f(dir / "t.db");
        const auto drafts = f.poll("US", "openai", {"https://a.example/1", "https://b.example/2"});
        REQUIRE(drafts.size() == 1);
        // The same story in GB: the same spike, and its shared page is not queued twice; its
        // new item's page is the story's coverage too, queued for the same draft.
        f.poll("GB", "openai", {"https://a.example/1", "https://c.example/3"}, k_t0 + 1min);
        CHECK(f.count("SELECT count(*) FROM pages") == 3);
        CHECK(f.count("SELECT count(*) FROM draft_pages") == 3);
        CHECK(f.count("SELECT count(*) FROM pages WHERE host = 'a.example' AND "
                      "status = 'queued'") == 1);
        // Another term linking to the same page shares its coverage: it joins the story
        // (docs/sources.md, Stories across sources), so no second draft and no second page.
        const auto other = f.poll("US", "chatgpt", {"https://a.example/1"}, k_t0 + 2min);
        CHECK(other.empty());
        CHECK(f.count("SELECT count(*) FROM pages") == 3);
        CHECK(f.count("SELECT count(*) FROM drafts WHERE pages_until IS NOT NULL") == 1);
    }

    TEST_CASE("a story that gains two new pages while its spike is open is revised, "
              "revision 1 kept; off-topic items are dropped and do not count") {
        test::TempDir dir;
        Fixture f(dir / "t.db");
        const std::string a = "https://a.example/1", b = "https://b.example/2",
                          c = "https://c.example/3", d = "https://d.example/4",
                          x = "https://x.example/5";
        const auto drafts = f.poll("US", "openai", {a, b});
        REQUIRE(drafts.size() == 1);
        const store::Id draft = drafts[0];
        const auto page_of = [&](const std::string& url) {
            return f.count("SELECT page_id FROM articles WHERE url = '" + url + "'");
        };
        for (const std::string& u : {a, b})
            f.record(page_of(u), store::PageOutcome::article, k_t0 + 20s,
                     page_text("OpenAI news", "OpenAI signs a deal."));
        const store::Cooldowns cooldowns = store::draft_cooldowns({rule_config()});
        // Revision 1 is written, citing a and b.
        REQUIRE(f.store.claim_draft(k_t0 + 30s));
        store::DraftRecord r;
        r.status = "draft";
        r.drafter = "builtin";
        r.slug = "openai";
        r.path = "/drafts/2025-11-03-openai.md";
        r.title = "OpenAI";
        r.markdown = "---\ntitle: OpenAI\n---\nRevision one.\n";
        r.word_count = 2;
        r.unverified_json = "[]";
        r.source_urls_json = "[\"" + a + "\",\"" + b + "\"]";
        r.page_urls_json = r.source_urls_json; // the pages it had
        f.store.complete_draft(draft, r, k_t0 + 40s);

        // Ten minutes later the term carries three more items: two on the story, one not.
        f.poll("US", "openai", {a, b, c, d, x}, k_t0 + 10min,
               {"OpenAI news", "OpenAI news", "OpenAI's chips", "A deal for Open AI",
                "Xbox One X review: A console that keeps up with gaming PCs"});
        CHECK(f.count("SELECT count(*) FROM pages") == 5); // queued for the finished draft
        CHECK(f.count("SELECT count(*) FROM draft_pages") == 5);
        f.record(page_of(x), store::PageOutcome::article, k_t0 + 11min,
                 page_text("Xbox One X review", "A console that keeps up with gaming PCs."));
        CHECK(f.store.revise_drafts_of_page(page_of(x), cooldowns, k_t0 + 11min).empty());
        f.record(page_of(c), store::PageOutcome::article, k_t0 + 12min,
                 page_text("Chips", "OpenAI buys chips."));
        CHECK(f.store.revise_drafts_of_page(page_of(c), cooldowns, k_t0 + 12min).empty());
        f.record(page_of(d), store::PageOutcome::article, k_t0 + 13min,
                 page_text("Deal", "The deal runs seven years."));
        // Past the rule's cooldown (24 h) a spike's draft is never revised.
        CHECK(f.store.revise_drafts_of_page(page_of(d), cooldowns, k_t0 + 25h).empty());
        const auto revised = f.store.revise_drafts_of_page(page_of(d), cooldowns, k_t0 + 13min);
        REQUIRE(revised.size() == 1);
        CHECK(revised[0].draft_id == draft);
        CHECK(revised[0].revision == 2);
        CHECK(revised[0].new_urls == std::vector<std::string>{c, d});

        // Reopen the file: what is stored is what another process reads.
        SQLite::Database db(store::open_database(dir / "t.db", store::Access::read_only));
        CHECK(db.execAndGet("SELECT revision || ' ' || status || ' ' || revised_at FROM drafts")
                  .getString() == "2 queued 2025-11-03T14:13:00Z");
        CHECK(db.execAndGet("SELECT revision || ' ' || status || ' ' || markdown || new_urls "
                            "FROM draft_revisions")
                  .getString() ==
              "1 draft ---\ntitle: OpenAI\n---\nRevision one.\n[\"" + c + "\",\"" + d + "\"]");
        // The revision job: the same row, same slug and file, a fresh count of attempts.
        const auto job = f.store.claim_draft(k_t0 + 14min);
        REQUIRE(job);
        CHECK(job->id == draft);
        CHECK(job->attempts == 1);
        CHECK(job->slug == "openai");
        CHECK(job->path == "/drafts/2025-11-03-openai.md");
        const draft::Story story = store::load_story(db, job->spike_id);
        CHECK(story.revision == 2);
        CHECK(story.new_urls == std::vector<std::string>{c, d});
        CHECK(story.articles.size() == 4);
        REQUIRE(story.dropped.size() == 1);
        CHECK(story.dropped[0].url == x);
        const store::DraftNotes notes = store::draft_notes(db, draft);
        CHECK(notes.revision == 2);
        CHECK(notes.revisions.rows.size() == 1);
        CHECK(notes.dropped.size() == 1);
        // Once revision 2 is written, the same pages do not revise it again.
        r.source_urls_json = "[\"" + a + "\",\"" + b + "\",\"" + c + "\",\"" + d + "\"]";
        r.page_urls_json = r.source_urls_json;
        f.store.complete_draft(draft, r, k_t0 + 15min);
        CHECK(f.store.revise_drafts_of_page(page_of(d), cooldowns, k_t0 + 16min).empty());
    }

    TEST_CASE("Google's related searches join the story, and a term that joins brings its "
              "pages to the story's draft") {
        test::TempDir dir;
        Fixture f(dir / "t.db");
        const auto drafts =
            f.poll("US", "openai", {"https://a.example/1"}, k_t0, {}, {"sora app", "chatgpt"});
        REQUIRE(drafts.size() == 1);
        const store::Id spike =
            f.count("SELECT spike_id FROM drafts WHERE id = " + std::to_string(drafts[0]));
        // "sora app" trends on its own: it joins the story as a related search, no new draft.
        CHECK(f.poll("US", "sora app", {"https://s.example/9"}, k_t0 + 5min,
                     {"Sora app tops the App Store"})
                  .empty());
        const draft::Story story = f.store.load_story(spike);
        std::vector<std::string> related;
        for (const auto& r : story.related)
            related.push_back(r.term);
        CHECK(std::find(related.begin(), related.end(), "sora app") != related.end());
        CHECK(std::find(related.begin(), related.end(), "chatgpt") != related.end());
        // Its news item is the story's coverage, and its page is queued for the draft.
        bool has_sora = false;
        for (const auto& a : story.articles)
            has_sora = has_sora || a.url == "https://s.example/9";
        CHECK(has_sora);
        CHECK(story.dropped.empty());
        CHECK(f.count("SELECT count(*) FROM draft_pages dp JOIN pages p ON p.id = dp.page_id "
                      "WHERE p.url = 'https://s.example/9'") == 1);
    }

    TEST_CASE("pages are not queued when the policy is off, nor for non-web URLs") {
        test::TempDir dir;
        Fixture f(dir / "t.db");
        f.store.set_page_policy({});
        f.poll("US", "openai", {"https://a.example/1"});
        CHECK(f.count("SELECT count(*) FROM pages") == 0);
        CHECK(f.count("SELECT count(*) FROM drafts WHERE pages_until IS NULL") == 1);
        // Off: the draft does not wait.
        CHECK(f.store.claim_draft(k_t0));
        f.store.set_page_policy({.enabled = true, .wait = 180s, .max_pages = 10});
        f.poll("US", "gemini", {"ftp://a.example/1", "javascript:alert(1)"});
        CHECK(f.count("SELECT count(*) FROM pages") == 0);
    }

    TEST_CASE("a draft waits until each page had an attempt, or until its wait is over") {
        test::TempDir dir;
        Fixture f(dir / "t.db");
        const auto drafts = f.poll("US", "openai", {"https://a.example/1", "https://b.example/2"});
        REQUIRE(drafts.size() == 1);
        CHECK_FALSE(f.store.claim_draft(k_t0 + 10s));
        REQUIRE(f.store.next_due(false));
        CHECK(*f.store.next_due(false) == k_t0 + 180s);

        // One page per host, oldest first.
        auto c = f.store.page_candidates(k_t0 + 10s, 10);
        REQUIRE(c.size() == 2);
        CHECK(c[0].host == "a.example");
        CHECK(c[1].url == "https://b.example/2");
        // A claim counts the attempt and is exclusive.
        CHECK(f.store.claim_page(c[0].id, k_t0 + 1h) == 1);
        CHECK_FALSE(f.store.claim_page(c[0].id, k_t0 + 1h));
        CHECK(f.store.page_candidates(k_t0 + 10s, 10).size() == 1);
        f.record(c[0].id, store::PageOutcome::article, k_t0 + 20s,
                 page_text("OpenAI news", "First paragraph.\n\nSecond paragraph."));
        CHECK_FALSE(f.store.claim_draft(k_t0 + 20s)); // b.example not tried yet

        // A failed page does not hold the draft up, even while queued for a retry.
        REQUIRE(f.store.claim_page(c[1].id, k_t0 + 1h));
        store::PageResult failed;
        failed.page_id = c[1].id;
        failed.outcome = store::PageOutcome::http_error;
        failed.http_status = 503;
        failed.fetched_at = k_t0 + 30s;
        failed.retry_at = k_t0 + 330s;
        {
            auto tx = f.store.begin();
            f.store.record_page(failed);
            tx.commit();
        }
        CHECK(f.count("SELECT count(*) FROM pages WHERE status = 'queued'") == 1);
        CHECK(f.store.page_candidates(k_t0 + 31s, 10).empty());
        CHECK(f.store.next_page_due() == k_t0 + 330s);
        const auto job = f.store.claim_draft(k_t0 + 31s);
        REQUIRE(job);

        // The story carries the text of the page that is an article, not of the other.
        const draft::Story story = f.store.load_story(job->spike_id);
        int with_text = 0;
        for (const auto& a : story.articles) {
            if (!a.page)
                continue;
            ++with_text;
            CHECK(a.url == "https://a.example/1");
            CHECK(a.page->title == "OpenAI news");
            CHECK(a.page->lang == "en");
            CHECK(a.page->paragraphs ==
                  std::vector<std::string>{"First paragraph.", "Second paragraph."});
        }
        CHECK(with_text == 1);
        // The full-text index follows.
        CHECK(f.count("SELECT count(*) FROM page_fts WHERE page_fts MATCH 'paragraph'") == 1);
        // A page queued for a retry is not claimed before it is due.
        CHECK_FALSE(f.store.claim_page(c[1].id, k_t0 + 329s));
        CHECK(f.store.claim_page(c[1].id, k_t0 + 330s) == 2);
    }

    TEST_CASE("a draft whose pages never start drafts once its wait is over") {
        test::TempDir dir;
        Fixture f(dir / "t.db");
        f.poll("US", "openai", {"https://a.example/1"});
        CHECK_FALSE(f.store.claim_draft(k_t0 + 179s));
        CHECK(f.store.claim_draft(k_t0 + 181s));
    }

    TEST_CASE("a page being fetched holds its draft; a crash puts it back, attempt uncounted") {
        test::TempDir dir;
        Fixture f(dir / "t.db");
        f.poll("US", "openai", {"https://a.example/1"});
        const auto c = f.store.page_candidates(k_t0, 10);
        REQUIRE(c.size() == 1);
        REQUIRE(f.store.claim_page(c[0].id, k_t0 + 1h));
        CHECK_FALSE(f.store.claim_draft(k_t0 + 10s));
        CHECK(f.store.requeue_interrupted_pages() == 1);
        CHECK(f.count("SELECT attempts FROM pages") == 0);
        CHECK(f.store.claim_page(c[0].id, k_t0 + 1h) == 1);
        f.store.release_page(c[0].id);
        CHECK(f.count("SELECT attempts FROM pages WHERE status = 'queued'") == 0);
        // A finished page is never claimed again.
        REQUIRE(f.store.claim_page(c[0].id, k_t0 + 1h));
        f.record(c[0].id, store::PageOutcome::robots_disallowed, k_t0 + 5s);
        CHECK(f.store.requeue_interrupted_pages() == 0);
        CHECK_FALSE(f.store.claim_page(c[0].id, k_t0 + 1h));
        CHECK(f.store.page_candidates(k_t0 + 1h, 10).empty());
    }

    TEST_CASE("robots.txt answers are kept per origin with their expiry") {
        test::TempDir dir;
        Fixture f(dir / "t.db");
        CHECK_FALSE(f.store.robots("https://a.example"));
        store::RobotsRecord r{"https://a.example",
                              fetch::RobotsState::ok,
                              k_t0,
                              k_t0 + 24h,
                              200,
                              "User-agent: *\nDisallow: /x\n",
                              ""};
        f.store.store_robots(r);
        auto got = f.store.robots("https://a.example");
        REQUIRE(got);
        CHECK(got->state == fetch::RobotsState::ok);
        CHECK(got->expires_at == k_t0 + 24h);
        CHECK(got->body == r.body);
        r.state = fetch::RobotsState::unreachable;
        r.expires_at = k_t0 + 2min;
        r.body.clear();
        f.store.store_robots(r);
        got = f.store.robots("https://a.example");
        REQUIRE(got);
        CHECK(got->state == fetch::RobotsState::unreachable);
        CHECK(got->expires_at == k_t0 + 2min);
    }

    TEST_CASE("page outcomes round-trip and failures count toward health") {
        for (const auto o : store::k_page_outcomes)
            CHECK(store::page_outcome_from_string(store::to_string(o)) == o);
        CHECK_FALSE(store::page_outcome_from_string("junk"));
        test::TempDir dir;
        Fixture f(dir / "t.db");
        f.poll("US", "openai", {"https://a.example/1", "https://b.example/1"});
        const auto c = f.store.page_candidates(k_t0, 10);
        REQUIRE(c.size() == 2);
        REQUIRE(f.store.claim_page(c[0].id, k_t0 + 1h));
        f.record(c[0].id, store::PageOutcome::timeout, k_t0 + 1s);
        const auto h = f.store.page_health();
        CHECK(h.recent == 1);
        CHECK(h.recent_failures == 1);
        CHECK(h.queued == 1);
    }

    TEST_CASE("a story carries the term's earlier spikes, newest first, one per geo and day") {
        test::TempDir dir;
        Fixture f(dir / "t.db");
        f.poll("US", "openai", {}, k_t0 - 240h);
        f.poll("GB", "openai", {}, k_t0 - 120h);
        f.poll("US", "gemini", {}, k_t0 - 100h); // another term
        const auto drafts = f.poll("US", "openai", {}, k_t0);
        REQUIRE(drafts.size() == 1);
        const store::Id spike = f.count("SELECT spike_id FROM drafts ORDER BY id DESC LIMIT 1");
        const draft::Story story = f.store.load_story(spike);
        REQUIRE(story.earlier_spikes.size() == 2);
        CHECK(story.earlier_spikes[0].geo == "GB");
        CHECK(story.earlier_spikes[0].detected_at == k_t0 - 120h);
        CHECK(story.earlier_spikes[0].traffic_label == "20,000+");
        CHECK(story.earlier_spikes[1].geo == "US");
        CHECK(story.earlier_spikes[1].detected_at == k_t0 - 240h);
        // The first spike has none before it.
        const store::Id first = f.count("SELECT min(spike_id) FROM drafts");
        CHECK(f.store.load_story(first).earlier_spikes.empty());
    }

    TEST_CASE("the evidence ledger is stored with its draft and a redo replaces it") {
        test::TempDir dir;
        Fixture f(dir / "t.db");
        const auto drafts = f.poll("US", "openai", {"https://a.example/1"});
        REQUIRE(drafts.size() == 1);
        auto c = f.store.page_candidates(k_t0 + 10s, 10);
        REQUIRE(c.size() == 1);
        REQUIRE(f.store.claim_page(c[0].id, k_t0 + 1h));
        f.record(c[0].id, store::PageOutcome::article, k_t0 + 20s,
                 page_text("OpenAI news", "OpenAI signed a $38 billion deal."));
        const std::int64_t text_id = f.count("SELECT id FROM page_texts");
        const auto job = f.store.claim_draft(k_t0 + 31s);
        REQUIRE(job);

        store::DraftRecord r;
        r.status = "needs_review";
        r.drafter = "builtin";
        r.slug = "openai";
        r.path = "/tmp/x.md";
        r.title = "t";
        r.markdown = "m";
        r.unverified_json = R"(["$100B+"])";
        r.evidence = {{"amount", "$38B", "source", 1, text_id, "https://a.example/1",
                       "OpenAI signed a $38 billion deal.", 0},
                      {"number", "20,000", "data", 0, 0, "", "detected at 20,000+", 0},
                      {"amount", "$100B+", "", 0, 0, "", "", 0}};
        {
            auto tx = f.store.begin();
            f.store.complete_draft(job->id, r, k_t0 + 40s);
            tx.commit();
        }
        const store::Rows rows = store::draft_evidence(f.db, job->id);
        REQUIRE(rows.rows.size() == 3);
        CHECK(rows.columns == std::vector<std::string>{"position", "kind", "claim", "status",
                                                       "origin", "source_index", "page_text_id",
                                                       "url", "sentence", "offset"});
        const auto& first = rows.rows[0];
        CHECK(std::get<std::int64_t>(first[0]) == 0);
        CHECK(std::get<std::string>(first[2]) == "$38B");
        CHECK(std::get<std::string>(first[3]) == "traced");
        CHECK(std::get<std::string>(first[4]) == "source");
        CHECK(std::get<std::int64_t>(first[5]) == 1);
        CHECK(std::get<std::int64_t>(first[6]) == text_id);
        CHECK(std::get<std::string>(first[8]) == "OpenAI signed a $38 billion deal.");
        CHECK(std::get<std::int64_t>(first[9]) == 0);
        CHECK(std::get<std::string>(rows.rows[1][4]) == "data");
        CHECK(std::holds_alternative<std::nullptr_t>(rows.rows[1][5]));
        const auto& last = rows.rows[2];
        CHECK(std::get<std::string>(last[3]) == "unverified");
        CHECK(std::holds_alternative<std::nullptr_t>(last[4]));
        CHECK(std::holds_alternative<std::nullptr_t>(last[8]));
        CHECK(std::holds_alternative<std::nullptr_t>(last[9]));

        // A redo of the same revision replaces its rows; another revision keeps the first's.
        r.evidence.resize(1);
        f.store.replace_evidence(job->id, 1, r.evidence);
        CHECK(store::draft_evidence(f.db, job->id).rows.size() == 1);
        r.evidence.push_back({"percentage", "12%", "", 0, 0, "", "", 0});
        f.store.replace_evidence(job->id, 2, r.evidence);
        CHECK(store::draft_evidence(f.db, job->id).rows.size() == 2); // the latest revision
        CHECK(f.count("SELECT count(*) FROM draft_evidence") == 3);
    }
}
