// SPDX-License-Identifier: MIT
#pragma once

#include "trend/draft/story.hpp"
#include "trend/fetch/outcome.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

/** Read-side queries: the pipeline runs them on its connection (through Store), trendctl and
 *  the daemon's status on a read-only one. */
namespace trend::store {

using Id = std::int64_t;

/** A feed's recent polls as the scheduler needs them after a start or a reload: how many
 *  failed in a row, and when the last one was and what its server asked. */
struct FeedPollState {
    int failures_in_row = 0;
    std::optional<Timestamp> last_poll_at;
    std::optional<Timestamp> last_success_at;
    std::optional<fetch::Outcome> last_outcome;
    std::string last_error;
    int last_items = 0;
    std::optional<Seconds> last_retry_after;
};

/** The counters of `trendctl status` and the daemon's status and metrics. */
struct Totals {
    std::int64_t feeds = 0; ///< enabled
    std::int64_t polls = 0;
    std::int64_t observations = 0;
    std::int64_t terms = 0;
    std::int64_t articles = 0;
    std::int64_t spikes = 0;
    std::int64_t open_spikes = 0;
    std::int64_t spikes_24h = 0;
    std::int64_t drafts_written = 0; ///< draft or needs_review
    std::int64_t drafts_pending = 0; ///< queued or drafting
    std::int64_t drafts_failed = 0;
    std::int64_t drafts_failed_24h = 0;
    std::int64_t drafts_retrying = 0; ///< queued again after a failed attempt
    std::int64_t notifications_pending = 0;
    std::int64_t notifications_failed = 0;
    std::optional<Timestamp> last_spike_at;
    std::string last_spike_term; ///< "" when there is none
    std::optional<Timestamp> last_observation_at;
};

/** A feed's health as status and metrics show it (feed_health). */
struct FeedHealthState {
    std::string feed;
    bool no_items = false;
    bool frozen = false;
    bool schema_drift = false;
    std::string problems; ///< in words, "" when healthy
};

/** What the webhook says about a finished draft. */
struct DraftSummary {
    Id draft_id = 0;
    Id spike_id = 0;
    std::string term;
    std::string title;
    std::string slug;
    std::string status;
    std::string path;
    int unverified = 0;
};


/** How far around the spike a story looks (SQLite date modifiers): coverage and timeline of
 *  the preceding two days, and anything seen up to an hour after detection (the same poll
 *  round), or up to when its draft's current revision was queued (drafts.revised_at). The
 *  pages a draft waits for are picked in the same window. */
inline constexpr const char* k_story_before = "-2 days";
inline constexpr const char* k_story_after = "+1 hour";

/** A common table expression `story_obs (id, observed_at)`: the observations whose news items
 *  are a story's coverage, within the window above: the spike's term's, those of every term
 *  the story goes by (its other spikes' terms, Google's related searches: story_terms), and
 *  what its other sources carried (story_signals). Parameters: :term (the spike's term id),
 *  :story (its story id, NULL for none), :at (detected_at), :before, :after, :revised
 *  (drafts.revised_at or NULL). Shared by load_story and Store::queue_story_pages. */
inline constexpr const char* k_story_observations =
    "story_obs AS (SELECT o.id, o.observed_at FROM observations o "
    "WHERE (o.term_id = :term OR EXISTS (SELECT 1 FROM story_signals g "
    "  WHERE g.story_id = :story AND g.feed_id = o.feed_id AND g.term_id = o.term_id) "
    "  OR o.term_id IN (SELECT t.id FROM story_terms st JOIN terms t ON t.norm = st.norm "
    "  WHERE st.story_id = :story)) "
    "AND o.observed_at BETWEEN strftime('%Y-%m-%dT%H:%M:%SZ', :at, :before) "
    "AND max(strftime('%Y-%m-%dT%H:%M:%SZ', :at, :after), coalesce(:revised, '')))";

/** Binds the parameters of k_story_observations. */
void bind_story_window(SQLite::Statement& q, Id term_id, std::optional<Id> story_id,
                       const std::string& detected_at, const std::optional<std::string>& revised);

/** Everything we hold about a spike, for drafting: its news items (all feeds, around the spike;
 *  off-topic ones moved to `dropped` by draft::drop_off_topic), the term's traffic timeline,
 *  other geos, related terms (shared coverage, the story's other terms, Google's related
 *  searches), and its draft's revision with the URLs new in it. Throws std::runtime_error for
 *  an unknown spike. Works on a read-only connection. */
[[nodiscard]] draft::Story load_story(SQLite::Database& db, Id spike_id);

/** A cell: NULL, integer, real or text, as SQLite typed it. */
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

/** A result set with its column names: trendctl prints it as a table or as JSON objects whose
 *  keys are the column names (the documented, stable shape of docs/cli.md). */
struct Rows {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;
};

/** What `trendctl show` says about a draft besides its text: its revision, the earlier
 *  revisions kept (draft_revisions, oldest first) and the news items its story dropped. */
struct DraftNotes {
    Id draft_id = 0;
    int revision = 1;
    Rows revisions; ///< revision, status, queued_at, finished_at, replaced_at, word_count, new_urls
    std::vector<draft::DroppedArticle> dropped;
};
/** The notes of draft `draft_id`; throws std::runtime_error for an unknown draft. */
[[nodiscard]] DraftNotes draft_notes(SQLite::Database& db, Id draft_id);

/** Writes a cell as its JSON value (null, number or string). */
void write_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const Value& v);
/** Writes the totals as one JSON object (the "totals" of `trendctl --json status` and of the
 *  daemon's status): every counter by name, times as ISO 8601 or null. */
void write_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const Totals& t);

/** One row per feed: v_feed_health. */
[[nodiscard]] Rows feed_health(SQLite::Database& db);
/** The n newest observations. */
[[nodiscard]] Rows newest_observations(SQLite::Database& db, int n);
/** Spikes detected at or after `since` (ISO), optionally of one term (normalised), newest first. */
[[nodiscard]] Rows spikes(SQLite::Database& db, const std::string& since, const std::string& term);
/** Drafts, optionally with one status, newest first. */
[[nodiscard]] Rows drafts(SQLite::Database& db, const std::string& status);
/** Observations of a term (normalised), optionally in one geo, oldest first. */
[[nodiscard]] Rows history(SQLite::Database& db, const std::string& term, const std::string& geo);
/** The counters of `trendctl status`, the daemon's status and its metrics. */
[[nodiscard]] Totals totals(SQLite::Database& db);
/** Drafts by status; every status appears, with 0 when there is none. */
[[nodiscard]] std::vector<std::pair<std::string, std::int64_t>>
drafts_by_status(SQLite::Database& db);
/** The poll state of a feed by name (all zero for a feed never polled). */
[[nodiscard]] FeedPollState feed_poll_state(SQLite::Database& db, const std::string& feed_name);
/** The webhook's view of a draft; throws std::runtime_error for an unknown draft. */
[[nodiscard]] DraftSummary draft_summary(SQLite::Database& db, Id draft_id);
/** Every spike with its draft, oldest first (what a backtest reports). */
[[nodiscard]] Rows spikes_with_drafts(SQLite::Database& db);
/** The Markdown of a draft by id or slug, with its id, status and path. */
[[nodiscard]] Rows draft_document(SQLite::Database& db, const std::string& id_or_slug);

/** The evidence ledger of a draft's latest revision (draft_evidence), in order of the body's
 *  claims: position, kind, claim, status, origin, source_index, page_text_id, url, sentence,
 *  offset. */
[[nodiscard]] Rows draft_evidence(SQLite::Database& db, std::int64_t draft_id);
/** Every enabled feed's health, by name. */
[[nodiscard]] std::vector<FeedHealthState> feed_health_states(SQLite::Database& db);
/** Every observation in the JSON Lines form of the recorded series (trendctl export). */
[[nodiscard]] Rows export_observations(SQLite::Database& db);

/** Runs any read-only query; used by the functions above. */
[[nodiscard]] Rows select(SQLite::Database& db, const std::string& sql,
                          const std::vector<Value>& params = {});

} // namespace trend::store
