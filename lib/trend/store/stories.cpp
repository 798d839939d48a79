// SPDX-License-Identifier: MIT
// Stories across terms and sources, their signals, and drafts held for corroboration.
#include "trend/store/statement.hpp"
#include "trend/store/store.hpp"

#include <fmt/format.h>

namespace trend::store {

namespace {

using detail::bind_text_or_null;
using detail::Reuse;

std::optional<std::int64_t> optional_int(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : std::optional<std::int64_t>(c.getInt64());
}

std::optional<Id> first_id(SQLite::Statement& q) {
    if (!q.executeStep() || q.getColumn(0).isNull())
        return std::nullopt;
    return q.getColumn(0).getInt64();
}

} // namespace

std::vector<Id> Store::stories_seen_since(Timestamp since) {
    SQLite::Statement& q = cached("SELECT id FROM stories WHERE last_seen_at >= :since "
                                  "ORDER BY last_seen_at DESC, id DESC");
    const Reuse reuse_q(q);
    q.bind(":since", format_iso(since));
    std::vector<Id> out;
    while (q.executeStep())
        out.push_back(q.getColumn(0).getInt64());
    return out;
}

std::vector<StoryTerm> Store::story_spike_terms(Id story_id) {
    SQLite::Statement& q = cached("SELECT norm, display FROM story_terms "
                                  "WHERE story_id = :story AND role = 'spike' "
                                  "ORDER BY added_at, norm");
    const Reuse reuse_q(q);
    q.bind(":story", story_id);
    std::vector<StoryTerm> out;
    while (q.executeStep())
        out.push_back({story_id, q.getColumn(0).getString(), q.getColumn(1).getString()});
    return out;
}

std::optional<std::pair<Id, std::string>> Store::story_by_term(const std::string& norm,
                                                               Timestamp since) {
    SQLite::Statement& q = cached("SELECT s.id, st.role FROM story_terms st "
                                  "JOIN stories s ON s.id = st.story_id "
                                  "WHERE st.norm = :norm AND s.last_seen_at >= :since "
                                  "ORDER BY s.last_seen_at DESC, s.id DESC LIMIT 1");
    const Reuse reuse_q(q);
    q.bind(":norm", norm);
    q.bind(":since", format_iso(since));
    if (!q.executeStep())
        return std::nullopt;
    return std::pair{q.getColumn(0).getInt64(), q.getColumn(1).getString()};
}

std::optional<Id> Store::story_sharing_coverage(Id observation_id, Timestamp since) {
    SQLite::Statement& q =
        cached("SELECT s.id FROM observation_articles mine "
               "JOIN observation_articles other ON other.article_id = mine.article_id "
               "  AND other.observation_id <> mine.observation_id "
               "JOIN observations o ON o.id = other.observation_id AND o.observed_at >= :since "
               "JOIN story_signals g ON g.feed_id = o.feed_id AND g.term_id = o.term_id "
               "JOIN stories s ON s.id = g.story_id AND s.last_seen_at >= :since "
               "WHERE mine.observation_id = :obs "
               "ORDER BY s.last_seen_at DESC, s.id DESC LIMIT 1");
    const Reuse reuse_q(q);
    q.bind(":obs", observation_id);
    q.bind(":since", format_iso(since));
    return first_id(q);
}

std::vector<std::pair<Id, std::string>> Store::story_headlines(Timestamp since, std::size_t limit) {
    SQLite::Statement& q = cached("SELECT DISTINCT s.id, a.title FROM stories s "
                                  "JOIN story_signals g ON g.story_id = s.id "
                                  // Each signal's latest observation: all of them, over
                                  // a day of polls a minute apart, made every spike read
                                  // thousands of rows per story.
                                  "JOIN observations o ON o.id = g.observation_id "
                                  "  AND o.observed_at >= :since "
                                  "JOIN observation_articles oa ON oa.observation_id = o.id "
                                  "JOIN articles a ON a.id = oa.article_id "
                                  "WHERE s.last_seen_at >= :since "
                                  "ORDER BY s.last_seen_at DESC, s.id DESC LIMIT :limit");
    const Reuse reuse_q(q);
    q.bind(":since", format_iso(since));
    q.bind(":limit", static_cast<std::int64_t>(limit));
    std::vector<std::pair<Id, std::string>> out;
    while (q.executeStep())
        out.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getString());
    return out;
}

std::vector<std::string> Store::observation_headlines(Id observation_id) {
    SQLite::Statement& q = cached("SELECT a.title FROM observation_articles oa "
                                  "JOIN articles a ON a.id = oa.article_id "
                                  "WHERE oa.observation_id = :obs ORDER BY oa.position");
    const Reuse reuse_q(q);
    q.bind(":obs", observation_id);
    std::vector<std::string> out;
    while (q.executeStep())
        out.push_back(q.getColumn(0).getString());
    return out;
}

Id Store::create_story(const std::string& title, Timestamp now) {
    SQLite::Statement& s = cached("INSERT INTO stories (title, opened_at, last_seen_at) "
                                  "VALUES (:title, :at, :at)");
    const Reuse reuse_s(s);
    s.bind(":title", title);
    s.bind(":at", format_iso(now));
    s.exec();
    return m_db.getLastInsertRowid();
}

void Store::add_story_term(Id story_id, const std::string& norm, const std::string& display,
                           std::string_view role, Timestamp now) {
    SQLite::Statement& s =
        cached("INSERT INTO story_terms (story_id, norm, display, role, added_at) "
               "VALUES (:story, :norm, :display, :role, :at) "
               // A related search that becomes a spike's term is a spike term.
               "ON CONFLICT(story_id, norm) DO UPDATE SET role = 'spike' "
               "WHERE excluded.role = 'spike'");
    const Reuse reuse_s(s);
    s.bind(":story", story_id);
    s.bind(":norm", norm);
    s.bind(":display", display);
    s.bind(":role", std::string(role));
    s.bind(":at", format_iso(now));
    s.exec();
}

void Store::join_story(Id spike_id, Id story_id, std::string_view how, Timestamp now) {
    SQLite::Statement& s = cached("UPDATE spikes SET story_id = :story, story_match = :how "
                                  "WHERE id = :spike");
    const Reuse reuse_s(s);
    s.bind(":story", story_id);
    s.bind(":how", std::string(how));
    s.bind(":spike", spike_id);
    s.exec();
    SQLite::Statement& t =
        cached("UPDATE stories SET first_spike_id = coalesce(first_spike_id, "
               ":spike), last_seen_at = max(last_seen_at, :at) WHERE id = :story");
    const Reuse reuse_t(t);
    t.bind(":spike", spike_id);
    t.bind(":at", format_iso(now));
    t.bind(":story", story_id);
    t.exec();
}

std::optional<Id> Store::story_draft_spike(Id story_id) {
    SQLite::Statement& q = cached("SELECT draft_spike_id FROM stories WHERE id = :story");
    const Reuse reuse_q(q);
    q.bind(":story", story_id);
    return first_id(q);
}

void Store::set_story_draft_spike(Id story_id, Id spike_id) {
    SQLite::Statement& s = cached("UPDATE stories SET draft_spike_id = :spike WHERE id = :story");
    const Reuse reuse_s(s);
    s.bind(":spike", spike_id);
    s.bind(":story", story_id);
    s.exec();
}

void Store::upsert_signal(const NewSignal& g) {
    SQLite::Statement& s =
        cached("INSERT INTO story_signals (story_id, platform, feed_id, term_id, observation_id, "
               "term, url, traffic, traffic_label, traffic_kind, rank, comments, level, match, "
               "first_seen_at, seen_at) VALUES (:story, :platform, :feed, :term_id, :obs, :term, "
               ":url, :traffic, :label, :kind, :rank, :comments, :level, :match, :at, :at) "
               "ON CONFLICT(story_id, feed_id, term_id) DO UPDATE SET "
               "observation_id = excluded.observation_id, term = excluded.term, "
               "url = coalesce(excluded.url, story_signals.url), traffic = excluded.traffic, "
               "traffic_label = excluded.traffic_label, traffic_kind = excluded.traffic_kind, "
               "rank = excluded.rank, comments = coalesce(excluded.comments, "
               "story_signals.comments), level = excluded.level, "
               // A spike's own observation stays "spike", however later items matched.
               "match = CASE WHEN story_signals.match = 'spike' THEN 'spike' "
               "ELSE excluded.match END, seen_at = max(story_signals.seen_at, excluded.seen_at) "
               "WHERE excluded.seen_at >= story_signals.seen_at OR excluded.match = 'spike'");
    const Reuse reuse_s(s);
    s.bind(":story", g.story_id);
    s.bind(":platform", g.platform);
    s.bind(":feed", g.feed_id);
    s.bind(":term_id", g.term_id);
    s.bind(":obs", g.observation_id);
    s.bind(":term", g.term);
    bind_text_or_null(s, ":url", g.url);
    if (g.traffic)
        s.bind(":traffic", *g.traffic);
    s.bind(":label", g.traffic_label);
    s.bind(":kind", g.traffic_kind);
    if (g.rank > 0)
        s.bind(":rank", g.rank);
    if (g.comments)
        s.bind(":comments", *g.comments);
    s.bind(":level", g.level);
    s.bind(":match", g.match);
    s.bind(":at", format_iso(g.seen_at));
    s.exec();
}

int Store::story_source_count(Id story_id) {
    SQLite::Statement& q = cached("SELECT count(DISTINCT platform) FROM story_signals "
                                  "WHERE story_id = :story");
    const Reuse reuse_q(q);
    q.bind(":story", story_id);
    q.executeStep();
    return q.getColumn(0).getInt();
}

std::vector<RecentItem> Store::recent_items(Timestamp since, Id exclude_feed) {
    SQLite::Statement& q =
        cached("SELECT o.id, o.feed_id, o.term_id, f.type, o.title, coalesce(o.url, ''), "
               "coalesce(o.discussion_url, ''), o.traffic, o.traffic_label, "
               "coalesce(o.traffic_kind, 'searches'), o.rank, o.comments, o.observed_at "
               "FROM observations o JOIN feeds f ON f.id = o.feed_id "
               // Feed by feed through idx_observations_feed_observed: `feed_id <> :feed`
               // on the observations themselves read every observation of the window, the
               // excluded feed's included (a backtest has only that feed).
               "WHERE o.id IN (SELECT max(x.id) FROM feeds g CROSS JOIN observations x "
               "  ON x.feed_id = g.id AND x.observed_at >= :since WHERE g.id <> :feed "
               "  GROUP BY x.feed_id, x.term_id) ORDER BY o.id");
    const Reuse reuse_q(q);
    q.bind(":since", format_iso(since));
    q.bind(":feed", exclude_feed);
    std::vector<RecentItem> out;
    while (q.executeStep()) {
        RecentItem r;
        r.observation_id = q.getColumn(0).getInt64();
        r.feed_id = q.getColumn(1).getInt64();
        r.term_id = q.getColumn(2).getInt64();
        r.feed_type = q.getColumn(3).getString();
        r.title = q.getColumn(4).getString();
        r.url = q.getColumn(5).getString();
        r.discussion_url = q.getColumn(6).getString();
        r.traffic = optional_int(q.getColumn(7));
        r.traffic_label = q.getColumn(8).getString();
        r.traffic_kind = q.getColumn(9).getString();
        r.rank = q.getColumn(10).getInt();
        r.comments = optional_int(q.getColumn(11));
        r.observed_at = parse_iso(q.getColumn(12).getString()).value_or(Timestamp{});
        out.push_back(std::move(r));
    }
    return out;
}

void Store::hold_draft(Id spike_id, const std::string& why) {
    SQLite::Statement& s = cached("UPDATE spikes SET held = :why WHERE id = :spike");
    const Reuse reuse_s(s);
    s.bind(":why", why);
    s.bind(":spike", spike_id);
    s.exec();
}

std::optional<HeldDraft> Store::held_draft(Id story_id) {
    SQLite::Statement& q =
        cached("SELECT x.id, x.rule, x.detected_at FROM stories s "
               "JOIN spikes x ON x.id = s.draft_spike_id "
               "WHERE s.id = :story AND x.held LIKE 'waiting%' "
               "AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.spike_id = x.id)");
    const Reuse reuse_q(q);
    q.bind(":story", story_id);
    if (!q.executeStep())
        return std::nullopt;
    return HeldDraft{q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                     parse_iso(q.getColumn(2).getString()).value_or(Timestamp{})};
}

void Store::release_held(Id spike_id) {
    SQLite::Statement& s = cached("UPDATE spikes SET held = NULL WHERE id = :spike");
    const Reuse reuse_s(s);
    s.bind(":spike", spike_id);
    s.exec();
}

int Store::expire_held(const std::string& rule, Seconds window, Timestamp now) {
    SQLite::Statement& s = cached("UPDATE spikes SET held = :why WHERE rule = :rule "
                                  "AND held LIKE 'waiting%' AND detected_at <= :cutoff");
    const Reuse reuse_s(s);
    s.bind(":why", fmt::format("never corroborated within {}: no draft", format_duration(window)));
    s.bind(":rule", rule);
    s.bind(":cutoff", format_iso(now - window));
    return s.exec();
}

} // namespace trend::store
