// SPDX-License-Identifier: MIT
#include "trend/store/queries.hpp"

#include "trend/draft/coverage.hpp"
#include "trend/store/pages.hpp"
#include "trend/util/text.hpp"

#include <SQLiteCpp/Statement.h>

#include <set>

#include <stdexcept>
#include <string>

namespace trend::store {

namespace {

constexpr const char* k_before = k_story_before;
constexpr const char* k_after = k_story_after;

Timestamp ts(const SQLite::Column& c) {
    return parse_iso(c.getString()).value_or(Timestamp{});
}

std::optional<Timestamp> optional_time(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : parse_iso(c.getString());
}

/** The story's other terms and Google's related searches (as related terms, after those
 *  that share coverage), and what each source said about it (signals). */
void load_story_sources(SQLite::Database& db, Id story_id, draft::Story& s) {
    std::set<std::string> known{text::normalize_term(s.term)};
    for (const draft::RelatedTerm& r : s.related)
        known.insert(text::normalize_term(r.term));
    {
        SQLite::Statement q(db, "SELECT norm, display FROM story_terms WHERE story_id = :story "
                                "ORDER BY role = 'related search', added_at, norm LIMIT 20");
        q.bind(":story", story_id);
        while (q.executeStep())
            if (known.insert(q.getColumn(0).getString()).second)
                s.related.push_back({q.getColumn(1).getString(), 0});
    }
    SQLite::Statement q(db, "SELECT g.platform, f.name, g.term, coalesce(g.url, ''), "
                            "g.traffic_label, g.traffic_kind, g.comments, g.seen_at "
                            "FROM story_signals g JOIN feeds f ON f.id = g.feed_id "
                            "WHERE g.story_id = :story "
                            "ORDER BY g.platform, g.level DESC, g.seen_at DESC, g.id LIMIT 20");
    q.bind(":story", story_id);
    while (q.executeStep()) {
        draft::StorySignal g;
        g.platform = q.getColumn(0).getString();
        g.feed = q.getColumn(1).getString();
        g.term = q.getColumn(2).getString();
        g.url = q.getColumn(3).getString();
        g.traffic_label = q.getColumn(4).getString();
        g.traffic_kind = q.getColumn(5).getString();
        if (!q.getColumn(6).isNull())
            g.comments = q.getColumn(6).getInt64();
        g.seen_at = ts(q.getColumn(7));
        s.signals.push_back(std::move(g));
    }
}

} // namespace

draft::Story load_story(SQLite::Database& db, Id spike_id) {
    draft::Story s;
    std::int64_t term_id = 0;
    std::optional<Id> story_id;
    std::string detected;
    std::optional<std::string> revised;
    {
        SQLite::Statement q(db,
                            "SELECT s.rule, t.display, s.geo, f.name, s.detected_at, s.traffic, "
                            "s.traffic_label, s.reason, coalesce(o.picture_url, ''), "
                            "coalesce(o.picture_source, ''), s.term_id, s.story_id "
                            "FROM spikes s JOIN terms t ON t.id = s.term_id "
                            "JOIN feeds f ON f.id = s.feed_id "
                            "JOIN observations o ON o.id = s.observation_id WHERE s.id = ?");
        q.bind(1, spike_id);
        if (!q.executeStep())
            throw std::runtime_error("no spike " + std::to_string(spike_id));
        s.spike_id = spike_id;
        s.rule = q.getColumn(0).getString();
        s.term = q.getColumn(1).getString();
        s.geo = q.getColumn(2).getString();
        s.feed = q.getColumn(3).getString();
        detected = q.getColumn(4).getString();
        s.detected_at = ts(q.getColumn(4));
        s.traffic = q.getColumn(5).getInt64();
        s.traffic_label = q.getColumn(6).getString();
        s.reason = q.getColumn(7).getString();
        s.picture = q.getColumn(8).getString();
        s.picture_source = q.getColumn(9).getString();
        term_id = q.getColumn(10).getInt64();
        if (!q.getColumn(11).isNull())
            story_id = q.getColumn(11).getInt64();
    }
    {
        SQLite::Statement q(db, "SELECT revision, revised_at FROM drafts WHERE spike_id = ?");
        q.bind(1, spike_id);
        if (q.executeStep()) {
            s.revision = q.getColumn(0).getInt();
            if (!q.getColumn(1).isNull())
                revised = q.getColumn(1).getString();
        }
    }
    if (s.revision > 1) {
        SQLite::Statement q(db, "SELECT j.value FROM draft_revisions r, json_each(r.new_urls) j "
                                "JOIN drafts d ON d.id = r.draft_id WHERE d.spike_id = :spike "
                                "AND r.revision = d.revision - 1 ORDER BY j.key");
        q.bind(":spike", spike_id);
        while (q.executeStep())
            s.new_urls.push_back(q.getColumn(0).getString());
    }
    {
        SQLite::Statement q(
            db, std::string("WITH ") + k_story_observations +
                    "SELECT a.title, a.url, coalesce(a.source, ''), "
                    "coalesce(a.picture_url, ''), coalesce(a.snippet, ''), "
                    "min(a.first_seen_at), max(o.observed_at) AS last, coalesce(a.author, ''), "
                    "a.published_at, a.platform "
                    "FROM story_obs o "
                    "JOIN observation_articles oa ON oa.observation_id = o.id "
                    "JOIN articles a ON a.id = oa.article_id "
                    "GROUP BY a.id ORDER BY last DESC, min(oa.position), a.id LIMIT 20");
        bind_story_window(q, term_id, story_id, detected, revised);
        while (q.executeStep()) {
            draft::StoryArticle a;
            a.title = q.getColumn(0).getString();
            a.url = q.getColumn(1).getString();
            a.source = q.getColumn(2).getString();
            a.picture = q.getColumn(3).getString();
            a.snippet = q.getColumn(4).getString();
            a.first_seen_at = ts(q.getColumn(5));
            a.author = q.getColumn(7).getString();
            a.published_at = optional_time(q.getColumn(8));
            a.platform = q.getColumn(9).getString();
            s.articles.push_back(std::move(a));
        }
    }
    fill_page_texts(db, s.articles);
    {
        SQLite::Statement q(db,
                            "SELECT observed_at, geo, traffic, traffic_label, rank, started_at "
                            "FROM observations WHERE term_id = :term "
                            "AND observed_at BETWEEN strftime('%Y-%m-%dT%H:%M:%SZ', :at, :before) "
                            "AND :at ORDER BY observed_at, id");
        q.bind(":term", term_id);
        q.bind(":at", detected);
        q.bind(":before", k_before);
        while (q.executeStep()) {
            draft::StoryPoint p;
            p.at = ts(q.getColumn(0));
            p.geo = q.getColumn(1).getString();
            if (!q.getColumn(2).isNull())
                p.traffic = q.getColumn(2).getInt64();
            p.label = q.getColumn(3).getString();
            p.rank = q.getColumn(4).getInt();
            p.started_at = optional_time(q.getColumn(5));
            s.timeline.push_back(std::move(p));
        }
    }
    {
        SQLite::Statement q(
            db, "SELECT geo, traffic_label, traffic FROM ("
                "  SELECT geo, traffic_label, traffic, row_number() OVER ("
                "    PARTITION BY geo ORDER BY traffic DESC NULLS LAST) AS n "
                "  FROM observations WHERE term_id = :term AND geo <> :geo "
                "  AND observed_at BETWEEN strftime('%Y-%m-%dT%H:%M:%SZ', :at, '-1 day') "
                "  AND strftime('%Y-%m-%dT%H:%M:%SZ', :at, :after)) "
                "WHERE n = 1 ORDER BY traffic DESC NULLS LAST, geo");
        q.bind(":term", term_id);
        q.bind(":geo", s.geo);
        q.bind(":at", detected);
        q.bind(":after", k_after);
        while (q.executeStep()) {
            draft::StoryGeo g{q.getColumn(0).getString(), q.getColumn(1).getString(), std::nullopt};
            if (!q.getColumn(2).isNull())
                g.peak_traffic = q.getColumn(2).getInt64();
            s.other_geos.push_back(std::move(g));
        }
    }
    {
        // Terms whose observations around the spike carry the same articles as ours.
        SQLite::Statement q(db, "WITH mine AS (SELECT DISTINCT oa.article_id FROM observations o "
                                "  JOIN observation_articles oa ON oa.observation_id = o.id "
                                "  WHERE o.term_id = :term AND o.observed_at BETWEEN "
                                "  strftime('%Y-%m-%dT%H:%M:%SZ', :at, '-1 day') AND "
                                "  strftime('%Y-%m-%dT%H:%M:%SZ', :at, :after)) "
                                "SELECT t.display, count(DISTINCT oa.article_id) AS shared "
                                "FROM observation_articles oa JOIN observations o "
                                "  ON o.id = oa.observation_id JOIN terms t ON t.id = o.term_id "
                                "WHERE oa.article_id IN (SELECT article_id FROM mine) "
                                "  AND o.term_id <> :term AND o.observed_at BETWEEN "
                                "  strftime('%Y-%m-%dT%H:%M:%SZ', :at, '-1 day') AND "
                                "  strftime('%Y-%m-%dT%H:%M:%SZ', :at, :after) "
                                "GROUP BY o.term_id ORDER BY shared DESC, t.display LIMIT 5");
        q.bind(":term", term_id);
        q.bind(":at", detected);
        q.bind(":after", k_after);
        while (q.executeStep())
            s.related.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt()});
    }
    {
        // The term's earlier spikes, any geo and rule: one per geo and day (the rules that fired
        // on one rise are one spike to a reader), not the day of this spike in its geo.
        SQLite::Statement q(db, "SELECT detected_at, geo, traffic_label FROM ("
                                "  SELECT detected_at, geo, traffic_label, row_number() OVER ("
                                "    PARTITION BY geo, substr(detected_at, 1, 10) "
                                "    ORDER BY traffic DESC, detected_at DESC, id DESC) AS n "
                                "  FROM spikes WHERE term_id = :term AND id <> :id "
                                "  AND detected_at < :at "
                                "  AND NOT (geo = :geo AND substr(detected_at, 1, 10) = "
                                "    substr(:at, 1, 10))) "
                                "WHERE n = 1 ORDER BY detected_at DESC, geo LIMIT 5");
        q.bind(":term", term_id);
        q.bind(":id", spike_id);
        q.bind(":at", detected);
        q.bind(":geo", s.geo);
        while (q.executeStep())
            s.earlier_spikes.push_back(
                {ts(q.getColumn(0)), q.getColumn(1).getString(), q.getColumn(2).getString()});
    }
    if (story_id)
        load_story_sources(db, *story_id, s);
    draft::drop_off_topic(s);
    return s;
}

void bind_story_window(SQLite::Statement& q, Id term_id, std::optional<Id> story_id,
                       const std::string& detected_at, const std::optional<std::string>& revised) {
    q.bind(":term", term_id);
    if (story_id)
        q.bind(":story", *story_id);
    else
        q.bind(":story");
    q.bind(":at", detected_at);
    q.bind(":before", k_story_before);
    q.bind(":after", k_story_after);
    if (revised)
        q.bind(":revised", *revised);
    else
        q.bind(":revised");
}

DraftNotes draft_notes(SQLite::Database& db, Id draft_id) {
    DraftNotes n;
    Id spike_id = 0;
    {
        SQLite::Statement q(db, "SELECT spike_id, revision FROM drafts WHERE id = ?");
        q.bind(1, draft_id);
        if (!q.executeStep())
            throw std::runtime_error("no draft " + std::to_string(draft_id));
        n.draft_id = draft_id;
        spike_id = q.getColumn(0).getInt64();
        n.revision = q.getColumn(1).getInt();
    }
    n.revisions = select(db,
                         "SELECT revision, status, queued_at, finished_at, replaced_at, "
                         "word_count, new_urls FROM draft_revisions WHERE draft_id = ? "
                         "ORDER BY revision",
                         {draft_id});
    n.dropped = load_story(db, spike_id).dropped;
    return n;
}

void write_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const Value& v) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>)
                w.Null();
            else if constexpr (std::is_same_v<T, std::int64_t>)
                w.Int64(x);
            else if constexpr (std::is_same_v<T, double>)
                w.Double(x);
            else
                w.String(x.data(), static_cast<rapidjson::SizeType>(x.size()));
        },
        v);
}

void write_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const Totals& t) {
    w.StartObject();
    const std::pair<const char*, std::int64_t> counts[] = {
        {"feeds", t.feeds},
        {"polls", t.polls},
        {"observations", t.observations},
        {"terms", t.terms},
        {"articles", t.articles},
        {"spikes", t.spikes},
        {"open_spikes", t.open_spikes},
        {"spikes_24h", t.spikes_24h},
        {"drafts_written", t.drafts_written},
        {"drafts_pending", t.drafts_pending},
        {"drafts_failed", t.drafts_failed},
        {"drafts_failed_24h", t.drafts_failed_24h},
        {"drafts_retrying", t.drafts_retrying},
        {"notifications_pending", t.notifications_pending},
        {"notifications_failed", t.notifications_failed},
    };
    for (const auto& [key, n] : counts) {
        w.Key(key);
        w.Int64(n);
    }
    const auto text_or_null = [&](const char* key, const std::string& text) {
        w.Key(key);
        if (text.empty())
            w.Null();
        else
            w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    };
    const auto time = [&](const char* key, const std::optional<Timestamp>& at) {
        text_or_null(key, at ? format_iso(*at) : std::string());
    };
    time("last_spike_at", t.last_spike_at);
    text_or_null("last_spike_term", t.last_spike_term);
    time("last_observation_at", t.last_observation_at);
    w.EndObject();
}

Rows select(SQLite::Database& db, const std::string& sql, const std::vector<Value>& params) {
    SQLite::Statement q(db, sql);
    for (std::size_t i = 0; i < params.size(); ++i) {
        const int idx = static_cast<int>(i + 1);
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::nullptr_t>)
                    q.bind(idx);
                else
                    q.bind(idx, v);
            },
            params[i]);
    }
    Rows out;
    for (int c = 0; c < q.getColumnCount(); ++c)
        out.columns.emplace_back(q.getColumnName(c));
    while (q.executeStep()) {
        std::vector<Value> row;
        row.reserve(out.columns.size());
        for (int c = 0; c < q.getColumnCount(); ++c) {
            const SQLite::Column col = q.getColumn(c);
            if (col.isNull())
                row.emplace_back(nullptr);
            else if (col.isInteger())
                row.emplace_back(col.getInt64());
            else if (col.isFloat())
                row.emplace_back(col.getDouble());
            else
                row.emplace_back(col.getString());
        }
        out.rows.push_back(std::move(row));
    }
    return out;
}

Rows feed_health(SQLite::Database& db) {
    return select(db, "SELECT feed, type, geo, enabled, last_poll_at, last_outcome, last_error, "
                      "last_items, last_success_at, failures_in_row, polls_24h, failures_24h, "
                      "health FROM v_feed_health ORDER BY feed");
}

Rows newest_observations(SQLite::Database& db, int n) {
    return select(db,
                  "SELECT o.observed_at, f.name AS feed, o.geo, t.display AS term, "
                  "o.traffic_label, o.traffic, o.rank FROM observations o "
                  "JOIN terms t ON t.id = o.term_id JOIN feeds f ON f.id = o.feed_id "
                  "ORDER BY o.observed_at DESC, o.rank LIMIT ?",
                  {std::int64_t{n}});
}

Rows spikes(SQLite::Database& db, const std::string& since, const std::string& term) {
    return select(db,
                  "SELECT s.spike_id AS id, s.detected_at, s.rule, s.term, s.geo, s.feed, "
                  "s.traffic_label, s.traffic, s.previous_traffic, s.baseline, s.status, "
                  "s.resolved_at, s.duration_minutes, s.action, s.draft_id, s.draft_status, "
                  "s.draft_slug, s.story_id, s.story_match, s.sources, s.source_count, "
                  "s.strength, s.held, s.reason FROM v_spikes s JOIN spikes x ON x.id = s.spike_id "
                  "JOIN terms t ON t.id = x.term_id "
                  "WHERE s.detected_at >= ? AND (? = '' OR t.norm = ?) "
                  "ORDER BY s.detected_at DESC, s.spike_id DESC",
                  {since, term, term});
}

Rows drafts(SQLite::Database& db, const std::string& status) {
    return select(db,
                  "SELECT d.id, d.status, d.created_at, d.finished_at, d.slug, d.title, "
                  "t.display AS term, s.geo, s.rule, d.spike_id, d.drafter, d.model, "
                  "d.word_count, json_array_length(coalesce(d.unverified, '[]')) AS unverified, "
                  "d.attempts, d.last_error, d.path, d.cost_usd "
                  "FROM drafts d JOIN spikes s ON s.id = d.spike_id "
                  "JOIN terms t ON t.id = s.term_id WHERE (? = '' OR d.status = ?) "
                  "ORDER BY d.id DESC",
                  {status, status});
}

Rows history(SQLite::Database& db, const std::string& term, const std::string& geo) {
    return select(db,
                  "SELECT o.observed_at, f.name AS feed, o.geo, o.traffic_label, o.traffic, "
                  "o.rank, o.started_at FROM observations o JOIN terms t ON t.id = o.term_id "
                  "JOIN feeds f ON f.id = o.feed_id WHERE t.norm = ? "
                  "AND (? = '' OR o.geo = ? COLLATE NOCASE) ORDER BY o.observed_at, o.id",
                  {term, geo, geo});
}

Totals totals(SQLite::Database& db) {
    SQLite::Statement q(
        db, "SELECT (SELECT count(*) FROM feeds WHERE enabled), "
            "(SELECT count(*) FROM polls), "
            "(SELECT count(*) FROM observations), "
            "(SELECT count(*) FROM terms), "
            "(SELECT count(*) FROM articles), "
            "(SELECT count(*) FROM spikes), "
            "(SELECT count(*) FROM spikes WHERE status = 'open'), "
            "(SELECT count(*) FROM spikes WHERE detected_at >= "
            "  strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')), "
            "(SELECT count(*) FROM drafts WHERE status IN ('draft', 'needs_review')), "
            "(SELECT count(*) FROM drafts WHERE status IN ('queued', 'drafting')), "
            "(SELECT count(*) FROM drafts WHERE status = 'failed'), "
            "(SELECT count(*) FROM drafts WHERE status = 'failed' AND finished_at >= "
            "  strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')), "
            "(SELECT count(*) FROM drafts WHERE status = 'queued' AND last_error IS NOT NULL), "
            "(SELECT count(*) FROM notifications WHERE status = 'pending'), "
            "(SELECT count(*) FROM notifications WHERE status = 'failed'), "
            "(SELECT max(detected_at) FROM spikes), "
            "(SELECT t.display FROM spikes s JOIN terms t ON t.id = s.term_id "
            "  ORDER BY s.detected_at DESC, s.id DESC LIMIT 1), "
            "(SELECT max(observed_at) FROM observations)");
    q.executeStep();
    Totals t;
    int c = 0;
    for (std::int64_t* field :
         {&t.feeds, &t.polls, &t.observations, &t.terms, &t.articles, &t.spikes, &t.open_spikes,
          &t.spikes_24h, &t.drafts_written, &t.drafts_pending, &t.drafts_failed,
          &t.drafts_failed_24h, &t.drafts_retrying, &t.notifications_pending,
          &t.notifications_failed})
        *field = q.getColumn(c++).getInt64();
    t.last_spike_at = optional_time(q.getColumn(c++));
    t.last_spike_term = q.getColumn(c++).getString();
    t.last_observation_at = optional_time(q.getColumn(c++));
    return t;
}

std::vector<std::pair<std::string, std::int64_t>> drafts_by_status(SQLite::Database& db) {
    SQLite::Statement q(db, "WITH s(status) AS (VALUES ('queued'), ('drafting'), ('draft'), "
                            "('needs_review'), ('failed')) SELECT s.status, "
                            "(SELECT count(*) FROM drafts d WHERE d.status = s.status) FROM s");
    std::vector<std::pair<std::string, std::int64_t>> out;
    while (q.executeStep())
        out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt64());
    return out;
}

FeedPollState feed_poll_state(SQLite::Database& db, const std::string& feed_name) {
    SQLite::Statement q(
        db, "SELECT p.started_at, p.outcome, coalesce(p.error, ''), coalesce(p.items, 0), "
            "p.retry_after_s, (SELECT count(*) FROM polls q WHERE q.feed_id = f.id "
            "  AND q.outcome NOT IN ('ok', 'not_modified') AND q.id > coalesce("
            "    (SELECT max(r.id) FROM polls r WHERE r.feed_id = f.id "
            "     AND r.outcome IN ('ok', 'not_modified')), 0)), "
            "(SELECT max(started_at) FROM polls r WHERE r.feed_id = f.id "
            "  AND r.outcome IN ('ok', 'not_modified')) "
            "FROM feeds f JOIN polls p ON p.id = (SELECT max(id) FROM polls WHERE feed_id = f.id) "
            "WHERE f.name = ?");
    q.bind(1, feed_name);
    FeedPollState st;
    if (!q.executeStep())
        return st;
    st.last_poll_at = optional_time(q.getColumn(0));
    st.last_outcome = fetch::outcome_from_string(q.getColumn(1).getString());
    st.last_error = q.getColumn(2).getString();
    st.last_items = q.getColumn(3).getInt();
    if (!q.getColumn(4).isNull())
        st.last_retry_after = Seconds{q.getColumn(4).getInt64()};
    st.failures_in_row = q.getColumn(5).getInt();
    st.last_success_at = optional_time(q.getColumn(6));
    return st;
}

DraftSummary draft_summary(SQLite::Database& db, Id draft_id) {
    SQLite::Statement q(
        db, "SELECT d.id, d.spike_id, t.display, coalesce(d.title, ''), coalesce(d.slug, ''), "
            "d.status, coalesce(d.path, ''), json_array_length(coalesce(d.unverified, '[]')) "
            "FROM drafts d JOIN spikes s ON s.id = d.spike_id JOIN terms t ON t.id = s.term_id "
            "WHERE d.id = ?");
    q.bind(1, draft_id);
    if (!q.executeStep())
        throw std::runtime_error("no draft " + std::to_string(draft_id));
    return {q.getColumn(0).getInt64(),  q.getColumn(1).getInt64(),  q.getColumn(2).getString(),
            q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(),
            q.getColumn(6).getString(), q.getColumn(7).getInt()};
}

Rows spikes_with_drafts(SQLite::Database& db) {
    return select(db, "SELECT s.detected_at, s.rule, t.display AS term, s.geo, s.traffic_label, "
                      "s.previous_traffic, s.status, s.reason, d.slug AS draft_slug, d.status "
                      "AS draft_status FROM spikes s JOIN terms t ON t.id = s.term_id "
                      "LEFT JOIN drafts d ON d.spike_id = s.id ORDER BY s.detected_at, s.id");
}

Rows draft_document(SQLite::Database& db, const std::string& id_or_slug) {
    // An id wins over a slug that looks like one (the term "2024" has the slug "2024").
    return select(db,
                  "SELECT id, status, slug, path, markdown FROM drafts "
                  "WHERE slug = ? OR CAST(id AS TEXT) = ? "
                  "ORDER BY CAST(id AS TEXT) = ? DESC LIMIT 1",
                  {id_or_slug, id_or_slug, id_or_slug});
}

Rows draft_evidence(SQLite::Database& db, std::int64_t draft_id) {
    return select(db,
                  "SELECT position, kind, claim, status, origin, source_index, page_text_id, url, "
                  "sentence, offset FROM draft_evidence WHERE draft_id = ?1 AND revision = "
                  "(SELECT max(revision) FROM draft_evidence WHERE draft_id = ?1) "
                  "ORDER BY position",
                  {draft_id});
}

Rows export_observations(SQLite::Database& db) {
    // The recorded series holds search trends: other sources' numbers mean something else.
    return select(db, "SELECT o.observed_at, o.geo, o.title AS term, o.traffic_label, o.rank, "
                      "o.started_at FROM observations o "
                      "WHERE coalesce(o.traffic_kind, 'searches') = 'searches' "
                      "ORDER BY o.observed_at, o.feed_id, o.rank");
}

std::vector<FeedHealthState> feed_health_states(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT f.name, h.no_items_since IS NOT NULL, "
                            "h.frozen_since IS NOT NULL, h.drift_since IS NOT NULL, "
                            "coalesce(h.problems, '') FROM feeds f "
                            "LEFT JOIN feed_health h ON h.feed_id = f.id "
                            "WHERE f.enabled ORDER BY f.name");
    std::vector<FeedHealthState> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt() != 0,
                       q.getColumn(2).getInt() != 0, q.getColumn(3).getInt() != 0,
                       q.getColumn(4).getString()});
    return out;
}

} // namespace trend::store
