// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/draft/story.hpp"
#include "trend/feed/snapshot.hpp"
#include "trend/fetch/outcome.hpp"
#include "trend/store/database.hpp"
#include "trend/store/pages.hpp"
#include "trend/store/queries.hpp"
#include "trend/util/time.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

/**
 * The write side of the database: everything the pipeline records (feeds, polls,
 * observations, articles, spikes, draft jobs). All SQL of the product lives in trend::store.
 *
 * A Store owns one read-write connection and its prepared statements. Not thread-safe: the
 * event loop thread owns it. Methods throw SQLite::Exception on database failure.
 */
namespace trend::store {

/** A poll's outcome as stored in polls.outcome. */
struct PollRecord {
    Id feed_id = 0;
    Timestamp started_at{};
    std::int64_t duration_ms = 0;
    std::optional<long> http_status;
    std::int64_t bytes = 0;
    std::optional<int> items;
    fetch::Outcome outcome = fetch::Outcome::ok;
    std::string error;                  ///< "" = NULL
    std::optional<Seconds> retry_after; ///< what the server asked for, if anything
    std::string url;                ///< the URL fetched when it is not the feed's own ("" = NULL)
    std::optional<Timestamp> as_of; ///< the period its numbers describe (wikipedia-top: the day)
};

/** The conditional-GET validators of a feed. */
struct Validators {
    std::string etag;
    std::string last_modified;
};

/** A term's observation as the detector sees it. */
struct TrafficPoint {
    Timestamp at{};
    std::optional<std::int64_t> traffic;
    std::string label;
    int rank = 0;
};

/** The newest spike of a (rule, term). */
struct SpikeState {
    Id id = 0;
    Timestamp detected_at{};
    Timestamp last_seen_at{};
    bool open = false;
};

struct NewSpike {
    std::string rule;
    config::Action action = config::Action::draft;
    Id term_id = 0;
    Id feed_id = 0;
    Id observation_id = 0;
    std::string geo;
    Timestamp detected_at{};
    std::int64_t traffic = 0;
    std::string traffic_label;
    std::optional<std::int64_t> previous_traffic;
    std::optional<double> baseline;
    std::string reason;
};

/** A draft job taken by the worker. */
struct DraftJob {
    Id id = 0;
    Id spike_id = 0;
    int attempts = 0;      ///< including this one
    std::string slug;      ///< "" until the first attempt picks one
    std::string raw_reply; ///< an LLM reply received before a crash: process it, don't pay again
    std::string path;      ///< the file an earlier revision was written to ("" before the first)
};

/** A webhook delivery taken by the notifier. */
struct NotificationJob {
    Id id = 0;
    Id draft_id = 0;
    int attempts = 0; ///< including this one
};

/** One row of the evidence ledger (draft_evidence): a claim of a draft's body and where it
 *  came from (draft::grounding::Trace). */
struct EvidenceEntry {
    std::string kind;              ///< number | amount | percentage | date | quote | name
    std::string claim;             ///< as written in the body
    std::string origin;            ///< source | data | "" (unverified)
    int source_index = 0;          ///< [n]; 0 = none (NULL)
    std::int64_t page_text_id = 0; ///< 0 = none (NULL)
    std::string url;
    std::string sentence;
    std::int64_t offset = 0;
    [[nodiscard]] bool traced() const noexcept { return !origin.empty(); }
};

/** A finished draft, as stored in drafts. */
struct DraftRecord {
    std::string status; ///< draft | needs_review
    std::string drafter;
    std::string model;
    std::string slug;
    std::string path;
    std::string title;
    std::string summary;
    std::string markdown;
    std::int64_t word_count = 0;
    std::string unverified_json; ///< JSON array
    std::optional<std::int64_t> prompt_tokens;
    std::optional<std::int64_t> completion_tokens;
    std::optional<std::int64_t> cached_tokens;
    std::optional<double> cost_usd;
    std::string last_error;       ///< kept on success too: why an LLM job fell back to built-in
    std::string source_urls_json; ///< JSON array: the URLs of the sources the text cites
    std::string page_urls_json;   ///< JSON array: the story's items whose page text it had
    int revision = 1;             ///< the draft revision the evidence rows belong to
    std::vector<EvidenceEntry> evidence; ///< the ledger, in order of the body's claims
};

/** A story's term, for matching new spikes and items to it (stories.cpp). */
struct StoryTerm {
    Id story_id = 0;
    std::string norm;
    std::string display;
};

/** What one source said about a story (story_signals). */
struct NewSignal {
    Id story_id = 0;
    Id feed_id = 0;
    Id term_id = 0;
    Id observation_id = 0;
    std::string platform;
    std::string term; ///< as the source wrote it
    std::string url;  ///< "" = NULL
    std::optional<std::int64_t> traffic;
    std::string traffic_label;
    std::string traffic_kind;
    int rank = 0;
    std::optional<std::int64_t> comments;
    double level = 0;
    std::string match; ///< "spike", or how the item matched (detect::to_string(TopicMatch))
    Timestamp seen_at{};
};

/** The newest observation of a (feed, term): a candidate signal of a new story. */
struct RecentItem {
    Id observation_id = 0;
    Id feed_id = 0;
    Id term_id = 0;
    std::string feed_type;
    std::string title;
    std::string url;
    std::string discussion_url;
    std::optional<std::int64_t> traffic;
    std::string traffic_label;
    std::string traffic_kind;
    int rank = 0;
    std::optional<std::int64_t> comments;
    Timestamp observed_at{};
};

/** How many pages a story must gain that its draft did not have (drafts.page_urls) before
 *  the draft is revised (docs/drafting.md, "Revisions"). */
inline constexpr std::size_t k_revision_min_pages = 2;

/** How long after detection each rule's spikes may still be revised: its cooldown, by rule. */
using Cooldowns = std::vector<std::pair<std::string, Seconds>>;

/** The cooldowns of the rules whose action is draft (revisions.cpp). */
[[nodiscard]] Cooldowns draft_cooldowns(const std::vector<config::RuleConfig>& rules);

/** A draft queued again because its story gained coverage (revise_drafts_of_page). */
struct QueuedRevision {
    Id draft_id = 0;
    Id spike_id = 0;
    int revision = 2; ///< the one queued
    std::vector<std::string> new_urls;
};

/** The draft spike of a story whose draft job waits for corroboration. */
struct HeldDraft {
    Id spike_id = 0;
    std::string rule;
    Timestamp detected_at{};
};

/** A feed's health state (feed_health), as pipeline/health.hpp reads and writes it. */
struct FeedHealthRow {
    std::string content_hash;
    std::optional<Timestamp> content_since;
    int content_polls = 0;
    std::optional<double> change_interval_s;
    int changes = 0;
    std::string fields; ///< the evaluator's own encoding
    std::optional<Timestamp> no_items_since;
    std::optional<Timestamp> frozen_since;
    std::optional<Timestamp> drift_since;
    std::string drift_fields;
    std::string problems; ///< "" = healthy
};

/** How much a crash may cost. */
enum class Durability {
    normal,  ///< WAL with synchronous=NORMAL: a committed transaction survives a crash
    scratch, ///< written fast, not safely (Access::scratch): a replay database (backtest)
};

class Store final {
    SQLite::Database m_db;
    SQLite::Statement m_insert_poll;
    SQLite::Statement m_find_term;
    SQLite::Statement m_insert_term;
    SQLite::Statement m_insert_observation;
    SQLite::Statement m_upsert_article;
    SQLite::Statement m_link_article;
    SQLite::Statement m_previous_point;
    SQLite::Statement m_window;
    SQLite::Statement m_last_spike;
    SQLite::Statement m_insert_spike;
    SQLite::Statement m_touch_spike;
    SQLite::Statement m_touch_story;
    SQLite::Statement m_insert_draft;
    SQLite::Statement m_resolve_spikes;
    SQLite::Statement m_validators;
    SQLite::Statement m_set_validators;
    SQLite::Statement m_upsert_term_geo;
    /** term_geos rows owed by the observations of the open transaction (write_term_geos()). */
    struct GeoTally {
        std::int64_t observations = 0;
        std::optional<std::int64_t> peak_traffic;
        Timestamp first_seen_at;
        Timestamp last_seen_at;
    };
    std::map<std::pair<Id, std::string>, GeoTally> m_geo_tallies;
    /** Term ids by norm (term_id()): committed ones, and those the open transaction inserted
     *  (which a rollback takes back, so they are forgotten at the next begin()). */
    std::unordered_map<std::string, Id> m_term_ids;
    std::unordered_map<std::string, Id> m_new_term_ids;
    static constexpr std::size_t k_max_cached_terms = 50000;
    PagePolicy m_page_policy;
    /** Statements prepared on their first use, by their SQL (cached()). */
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const noexcept {
            return std::hash<std::string_view>{}(sql);
        }
    };
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>, SqlHash, std::equal_to<>>
        m_cached;

public:
    /** Opens (creating and migrating) the database. Throws DatabaseError. */
    explicit Store(const std::filesystem::path& path, Durability durability = Durability::normal);

    /** How long a statement waits for another connection's lock before it fails with
     *  SQLITE_BUSY (is_busy()). 5 s by default; the daemon's loop uses a few milliseconds and
     *  retries later instead (pipeline/write_queue.hpp). */
    void set_busy_timeout(std::chrono::milliseconds timeout) {
        m_db.setBusyTimeout(static_cast<int>(timeout.count()));
    }

    /** BEGIN IMMEDIATE: every write goes through one of these (rolls back unless committed).
     *  A transaction that inserts observations calls write_term_geos() before its commit. */
    [[nodiscard]] SQLite::Transaction begin() {
        m_geo_tallies.clear(); // owed by a transaction that rolled back
        m_new_term_ids.clear(); // committed (found again later) or rolled back
        return SQLite::Transaction(m_db, SQLite::TransactionBehavior::IMMEDIATE);
    }
    /** Brings `term_geos` up to date with the observations inserted since begin(): one upsert
     *  per term and country of the transaction rather than one per observation (a trigger did
     *  that until schema 013). */
    void write_term_geos();

    /** Creates or updates the feeds row of a configured feed (by name); returns its id. */
    Id sync_feed(const config::FeedConfig& feed, Timestamp now);
    /** Marks feeds no longer in the config as disabled (their history stays). */
    void disable_feeds_except(const std::vector<std::string>& names);

    /** The ETag / Last-Modified of the feed's last 200 (empty when none). */
    [[nodiscard]] Validators validators(Id feed_id);
    /** Keeps the validators of a 200 for the next conditional GET. */
    void set_validators(Id feed_id, const Validators& v);

    /** The poll state of a feed by name (all zero for a feed never polled). */
    [[nodiscard]] FeedPollState feed_poll_state(const std::string& feed_name);

    /** Records one fetch of a feed, whatever its outcome; returns the polls row id. */
    Id insert_poll(const PollRecord& poll);
    /** The id of a term by its normalised form, creating it with `display` when new. */
    Id term_id(const std::string& norm, const std::string& display, Timestamp now);
    /** One item of a poll's snapshot, with what its source says (url, author, comments, ...,
     *  its traffic `kind`); returns the observations row id. Its `term_geos` row follows with
     *  write_term_geos(). */
    Id insert_observation(Id poll_id, Id feed_id, Id term_id, const std::string& geo,
                          Timestamp observed_at, const feed::Item& item,
                          feed::TrafficKind kind = feed::TrafficKind::searches);
    /** Inserts or refreshes an article by URL; returns its id. */
    Id upsert_article(const feed::NewsItem& news, Timestamp seen_at);
    /** An item that is itself an article (an rss entry, an HN story's link, a Mastodon link
     *  card): its url, title, `source` (publisher), author, published time, summary and
     *  picture, first seen on `platform` ("news", "hackernews", "mastodon"). Returns its id. */
    Id upsert_item_article(const feed::Item& item, const std::string& source,
                           std::string_view platform, Timestamp seen_at);
    /** Ties an article to the observation that carried it, at its 1-based position. */
    void link_article(Id observation_id, Id article_id, int position);

    /** The term's newest observation in the feed before `poll_id`, if any. */
    [[nodiscard]] std::optional<TrafficPoint> previous_point(Id term_id, Id feed_id, Id poll_id);
    /** Traffic values of the term in the feed observed in [since, before_poll). */
    [[nodiscard]] std::vector<std::int64_t> traffic_since(Id term_id, Id feed_id, Timestamp since,
                                                          Id before_poll);
    [[nodiscard]] std::optional<SpikeState> last_spike(const std::string& rule, Id term_id);

    Id insert_spike(const NewSpike& spike);
    /** The open spike still meets its rule at `seen_at`. */
    void touch_spike(Id spike_id, Timestamp seen_at);
    /** Resolves every open spike whose rule's resolve_after has passed since last_seen_at.
     *  Returns how many. */
    int resolve_spikes(const std::string& rule, Seconds resolve_after, Timestamp now);
    /** Queues the draft job of a spike (drafts.spike_id is unique), and, under the page
     *  policy, the pages of its story it waits for (pages.cpp). */
    Id queue_draft(Id spike_id, Timestamp now);

    // ---- stories and their signals (stories.cpp) -------------------------------------------

    /** The stories seen (last_seen_at) since `since`, newest first. */
    [[nodiscard]] std::vector<Id> stories_seen_since(Timestamp since);
    /** A story's spike terms (not its related searches), in the order they were added. */
    [[nodiscard]] std::vector<StoryTerm> story_spike_terms(Id story_id);
    /** The newest story seen since `since` that goes by `norm`, with the term's role there
     *  ("spike" or "related search"). */
    [[nodiscard]] std::optional<std::pair<Id, std::string>> story_by_term(const std::string& norm,
                                                                          Timestamp since);
    /** The newest story seen since `since` one of whose signals' observations (since then)
     *  carried an article that `observation_id` carries too. */
    [[nodiscard]] std::optional<Id> story_sharing_coverage(Id observation_id, Timestamp since);
    /** (story, headline) of the articles its signals' latest observations carried, if made
     *  since `since`, for stories seen since then: the `limit` of the newest stories first. */
    [[nodiscard]] std::vector<std::pair<Id, std::string>> story_headlines(Timestamp since,
                                                                          std::size_t limit);
    /** The article headlines an observation carried. */
    [[nodiscard]] std::vector<std::string> observation_headlines(Id observation_id);
    Id create_story(const std::string& title, Timestamp now);
    /** Adds a term to a story (once); `role` is "spike" or "related search". */
    void add_story_term(Id story_id, const std::string& norm, const std::string& display,
                        std::string_view role, Timestamp now);
    /** Makes a spike a member of a story (`how` it joined); the story's first spike when it
     *  has none, and its last_seen_at moves to `now`. */
    void join_story(Id spike_id, Id story_id, std::string_view how, Timestamp now);
    /** The spike whose draft is the story's, if one was chosen. */
    [[nodiscard]] std::optional<Id> story_draft_spike(Id story_id);
    void set_story_draft_spike(Id story_id, Id spike_id);
    /** Records (or refreshes) what a source said about a story. */
    void upsert_signal(const NewSignal& signal);
    /** Independent source types (platforms) among a story's signals. */
    [[nodiscard]] int story_source_count(Id story_id);
    /** The newest observation of every (feed, term) observed since `since` in feeds other than
     *  `exclude_feed`. */
    [[nodiscard]] std::vector<RecentItem> recent_items(Timestamp since, Id exclude_feed);
    /** Holds a spike's draft job back, saying why. */
    void hold_draft(Id spike_id, const std::string& why);
    /** The story's draft spike while its draft is held back (waiting for corroboration). */
    [[nodiscard]] std::optional<HeldDraft> held_draft(Id story_id);
    /** The held spike's draft is queued: it is no longer held. */
    void release_held(Id spike_id);
    /** Held spikes of `rule` detected `window` or more before `now` will never draft: says so.
     *  Returns how many. */
    int expire_held(const std::string& rule, Seconds window, Timestamp now);

    // ---- feed health (health.cpp) ----------------------------------------------------------

    [[nodiscard]] std::optional<FeedHealthRow> feed_health(Id feed_id);
    void save_feed_health(Id feed_id, const FeedHealthRow& row, Timestamp now);
    /** Every enabled feed's health (queries.hpp feed_health_states). */
    [[nodiscard]] std::vector<FeedHealthState> feed_health_states();

    /** Puts jobs left in 'drafting' by a crash back in the queue. Only the process that owns
     *  the queue calls it, at start (trendd, trendd --once). Returns how many. */
    int requeue_interrupted_drafts();
    /** Takes the oldest queued job that is due, marks it 'drafting' and counts the attempt, in
     *  its own transaction, so two processes never take the same job. Under an enabled page
     *  policy a job is due once none of its pages waits for a first attempt (or is being
     *  fetched), or once its pages_until has passed. */
    [[nodiscard]] std::optional<DraftJob> claim_draft(Timestamp now,
                                                      std::optional<Id> only = std::nullopt);
    /** Gives a claimed job back to the queue without counting the attempt (the database was
     *  locked, not the job at fault); it is due again a second after `now`. */
    void release_draft(Id draft_id, Timestamp now);
    /** Whether another draft already uses the slug. */
    [[nodiscard]] bool slug_taken(const std::string& slug, Id draft_id);
    void set_draft_slug(Id draft_id, const std::string& slug);
    /** Revisions (revisions.cpp). After a poll of `feed_id` observed `term_ids`: the queued
     *  and finished drafts of the stories those observations are coverage of, spike within
     *  its rule's cooldown, get the pages of their story's new coverage queued
     *  (queue_story_pages again: news items seen since, those of terms that joined the story);
     *  returns how many drafts. Does nothing unless pages are read. */
    int queue_revision_pages(const Cooldowns& cooldowns, Id feed_id,
                             const std::vector<Id>& term_ids, Timestamp now);
    /** After page `page_id` was read: each finished draft waiting on it, spike within its
     *  rule's cooldown, whose story (load_story, off-topic items dropped) now has
     *  k_revision_min_pages or more articles with page text that the draft did not have
     *  (drafts.page_urls), is queued again as its next revision (queue_revision). */
    std::vector<QueuedRevision> revise_drafts_of_page(Id page_id, const Cooldowns& cooldowns,
                                                      Timestamp now);
    /** Keeps the draft's current revision in draft_revisions and queues the next one (same
     *  row, slug and file; attempts and the LLM reply reset). False when the draft is not
     *  finished. */
    bool queue_revision(Id draft_id, const std::vector<std::string>& new_urls, Timestamp now);
    /** Stores a finished draft; a job no longer 'drafting' is left alone. */
    void complete_draft(Id draft_id, const DraftRecord& r, Timestamp now);

    /** Replaces the ledger rows of a draft revision with `rows` (positions 0..n-1); part of
     *  complete_draft. */
    void replace_evidence(Id draft_id, int revision, const std::vector<EvidenceEntry>& rows);
    /** Records a failed attempt: queued again for `retry_at`, or 'failed' when nullopt. */
    void fail_draft(Id draft_id, const std::string& error, std::optional<Timestamp> retry_at,
                    Timestamp now);
    /** A spike asked for by hand (trendctl draft) for the term's newest observation, with its
     *  draft job, in one transaction. nullopt when we hold no observation of the term. Returns
     *  the draft id. */
    std::optional<Id> request_draft(const std::string& norm, Timestamp now);
    /** Keeps an LLM reply the moment it arrives, adding its usage and cost to the job and
     *  recording the call (llm_calls) at `now`, in one transaction. */
    void record_llm_reply(Id draft_id, const std::string& raw, const std::string& model,
                          std::int64_t prompt_tokens, std::int64_t completion_tokens,
                          std::optional<std::int64_t> cached_tokens, double cost_usd,
                          Timestamp now);
    /** The LLM usage counted so far for a draft job (all zero when none). */
    [[nodiscard]] DraftRecord draft_usage(Id draft_id);
    /** Forgets a stored reply that did not validate (its cost stays counted). */
    void clear_raw_reply(Id draft_id);
    /** USD spent on LLM calls on the UTC day of `now`. */
    [[nodiscard]] double spent_on_day(Timestamp now);
    /** The earliest time a queued draft (or, with `notifications`, a pending webhook
     *  delivery) becomes due, if any; with `only_draft`, of that draft job alone. A draft
     *  waiting for its pages is due at its pages_until. */
    [[nodiscard]] std::optional<Timestamp> next_due(bool notifications = true,
                                                    std::optional<Id> only_draft = std::nullopt);

    /** Queues the webhook delivery of a draft (once per draft). */
    void queue_notification(Id draft_id, Timestamp now);
    [[nodiscard]] std::optional<NotificationJob> claim_notification(Timestamp now);
    void notification_delivered(Id id, long http_status, Timestamp now);
    /** A failed delivery: retried at `retry_at`, or given up ('failed') when nullopt. */
    void notification_failed(Id id, long http_status, const std::string& error,
                             std::optional<Timestamp> retry_at);
    /** Jobs waiting: queued or drafting. */
    [[nodiscard]] int pending_drafts();

    // ---- pages: the reading stage (pages.cpp, docs/enrichment.md) -------------------------

    /** Whether queue_draft() queues pages and drafts wait for them (off by default: a backtest
     *  or a program without the network reads no page). */
    void set_page_policy(const PagePolicy& policy) noexcept { m_page_policy = policy; }
    [[nodiscard]] const PagePolicy& page_policy() const noexcept { return m_page_policy; }
    /** Puts pages left 'fetching' by a crash back in the queue, their attempt not counted.
     *  Only the queue's owner calls it, at start. Returns how many. */
    int requeue_interrupted_pages();
    /** Queued pages due at `now`, the oldest due of each host, at most `limit`; with `only`,
     *  the pages of that draft job alone. */
    [[nodiscard]] std::vector<PageCandidate> page_candidates(Timestamp now, int limit,
                                                             std::optional<Id> only = std::nullopt);
    /** Marks a queued page that is due at `now` 'fetching' and counts the attempt, in one
     *  statement, so two processes never take the same page. Returns the attempts including
     *  this one, or nullopt when it was not queued and due any more. */
    [[nodiscard]] std::optional<int> claim_page(Id page_id, Timestamp now);
    /** Gives a claimed page back without counting the attempt (shutdown, a locked database). */
    void release_page(Id page_id);
    /** Records how an attempt ended: the pages row, and its text when it is an article (the
     *  full-text index follows by trigger). Call inside a transaction (begin()). */
    void record_page(const PageResult& r);
    /** When the next queued page is due (with `only`: of that draft job), if any. */
    [[nodiscard]] std::optional<Timestamp> next_page_due(std::optional<Id> only = std::nullopt);
    /** The robots.txt answer kept for an origin, fresh or not. */
    [[nodiscard]] std::optional<RobotsRecord> robots(const std::string& origin);
    /** Keeps a robots.txt answer (replacing the origin's previous one). */
    void store_robots(const RobotsRecord& r);
    /** The reading stage's health (page_health in pages.hpp). */
    [[nodiscard]] PageHealth page_health();

    // ---- reading (the same queries trendctl runs on a read-only connection) ----------------

    /** Everything a drafter may use about a spike (queries.hpp load_story). */
    [[nodiscard]] draft::Story load_story(Id spike_id);
    /** The webhook's view of a draft; throws std::runtime_error for an unknown draft. */
    [[nodiscard]] DraftSummary draft_summary(Id draft_id);
    /** A draft's status ("queued", "draft", ...) and file, if the draft exists. */
    [[nodiscard]] std::optional<std::pair<std::string, std::string>> draft_status(Id draft_id);
    [[nodiscard]] Totals totals();
    /** Drafts by status; every status appears, with 0 when there is none. */
    [[nodiscard]] std::vector<std::pair<std::string, std::int64_t>> drafts_by_status();
    /** Every spike with its draft, oldest first (what a backtest reports). */
    [[nodiscard]] Rows spikes_with_drafts();

private:
    /** The statement for `sql`, prepared on its first use and kept for the connection's
     *  life: what runs at every poll is parsed once. Each use holds a detail::Reuse, which
     *  leaves the statement ready for the next. */
    SQLite::Statement& cached(std::string_view sql);
    /** The pages of a new draft job's story: the first max_pages of load_story's articles,
     *  each queued once (by URL, final URL or canonical URL), linked to the job. */
    void queue_story_pages(Id draft_id, Id spike_id, Timestamp now);
};

} // namespace trend::store
