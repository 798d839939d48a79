// SPDX-License-Identifier: MIT
#include "trend/store/store.hpp"

#include "trend/store/statement.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trend::store {

namespace {

using detail::bind_text_or_null;
using detail::exec_reset;
using detail::json_array;
using detail::Reuse;

/** True for a draft (a row of `drafts`) that waits for pages under an enabled policy (:pages):
 *  one of its pages has had no attempt yet or is being fetched. A page whose attempt failed
 *  does not hold a draft up. */
constexpr const char* k_draft_waits_for_pages =
    "(:pages AND drafts.pages_until IS NOT NULL AND EXISTS (SELECT 1 FROM draft_pages dp "
    "JOIN pages p ON p.id = dp.page_id WHERE dp.draft_id = drafts.id AND (p.status = "
    "'fetching' OR (p.status = 'queued' AND p.attempts = 0))))";

} // namespace

Store::Store(const std::filesystem::path& path, Durability durability)
    : m_db(open_database(path,
                         durability == Durability::scratch ? Access::scratch : Access::read_write)),
      m_insert_poll(m_db, "INSERT INTO polls (feed_id, started_at, duration_ms, http_status, "
                          "bytes, items, outcome, error, retry_after_s, url, as_of) VALUES "
                          "(:feed_id, :started_at, :duration_ms, :http_status, :bytes, :items, "
                          ":outcome, :error, :retry_after, :url, :as_of)"),
      m_find_term(m_db, "SELECT id FROM terms WHERE norm = :norm"),
      m_insert_term(m_db, "INSERT INTO terms (norm, display, first_seen_at) "
                          "VALUES (:norm, :display, :at)"),
      m_insert_observation(m_db,
                           "INSERT INTO observations (poll_id, feed_id, term_id, observed_at, "
                           "started_at, geo, rank, traffic, traffic_label, title, picture_url, "
                           "picture_source, traffic_kind, url, discussion_url, author, "
                           "published_at, comments, summary, related) VALUES (:poll_id, "
                           ":feed_id, :term_id, :observed_at, :started_at, :geo, :rank, "
                           ":traffic, :label, :title, :picture, :picture_source, :kind, :url, "
                           ":discussion, :author, :published, :comments, :summary, :related)"),
      m_upsert_article(m_db, "INSERT INTO articles (url, title, source, picture_url, snippet, "
                             "first_seen_at, last_seen_at, author, published_at, platform) "
                             "VALUES (:url, :title, :source, :picture, :snippet, :at, :at, "
                             ":author, :published, :platform) ON CONFLICT(url) DO UPDATE SET "
                             "last_seen_at = excluded.last_seen_at, "
                             "snippet = coalesce(articles.snippet, excluded.snippet), "
                             "picture_url = coalesce(articles.picture_url, excluded.picture_url), "
                             "author = coalesce(articles.author, excluded.author), "
                             "published_at = coalesce(articles.published_at, "
                             "excluded.published_at) RETURNING id"),
      m_link_article(m_db, "INSERT OR IGNORE INTO observation_articles (observation_id, "
                           "article_id, position) VALUES (:obs, :article, :pos)"),
      m_previous_point(m_db, "SELECT observed_at, traffic, traffic_label, rank FROM observations "
                             "WHERE term_id = :term AND feed_id = :feed AND poll_id < :poll "
                             "ORDER BY observed_at DESC, id DESC LIMIT 1"),
      m_window(m_db, "SELECT traffic FROM observations WHERE term_id = :term AND feed_id = :feed "
                     "AND observed_at >= :since AND poll_id < :poll AND traffic IS NOT NULL"),
      m_last_spike(m_db,
                   "SELECT id, detected_at, last_seen_at, status = 'open' FROM spikes "
                   "WHERE rule = :rule AND term_id = :term ORDER BY detected_at DESC, id DESC "
                   "LIMIT 1"),
      m_insert_spike(m_db, "INSERT INTO spikes (rule, action, term_id, feed_id, observation_id, "
                           "geo, detected_at, traffic, traffic_label, previous_traffic, baseline, "
                           "reason, status, last_seen_at) VALUES (:rule, :action, :term, :feed, "
                           ":obs, :geo, :at, :traffic, :label, :previous, :baseline, :reason, "
                           "'open', :at)"),
      m_touch_spike(m_db, "UPDATE spikes SET last_seen_at = max(last_seen_at, :at) "
                          "WHERE id = :id AND status = 'open'"),
      m_touch_story(m_db, "UPDATE stories SET last_seen_at = max(last_seen_at, :at) "
                          "WHERE id = (SELECT story_id FROM spikes WHERE id = :id)"),
      m_insert_draft(m_db, "INSERT INTO drafts (spike_id, status, created_at) "
                           "VALUES (:spike, 'queued', :at)"),
      m_resolve_spikes(m_db, "UPDATE spikes SET status = 'resolved', resolved_at = :now "
                             "WHERE status = 'open' AND rule = :rule AND last_seen_at <= :cutoff"),
      m_validators(m_db, "SELECT coalesce(etag, ''), coalesce(last_modified, '') "
                         "FROM feeds WHERE id = :id"),
      m_set_validators(m_db, "UPDATE feeds SET etag = :etag, last_modified = :lm WHERE id = :id"),
      m_upsert_term_geo(
          m_db, "INSERT INTO term_geos (term_id, geo, observations, peak_traffic, first_seen_at, "
                "last_seen_at) VALUES (:term, :geo, :n, :peak, :first, :last) "
                "ON CONFLICT (term_id, geo) DO UPDATE SET "
                "observations = observations + excluded.observations, "
                "peak_traffic = CASE WHEN peak_traffic IS NULL OR excluded.peak_traffic > "
                "peak_traffic THEN excluded.peak_traffic ELSE peak_traffic END, "
                "first_seen_at = min(first_seen_at, excluded.first_seen_at), "
                "last_seen_at = max(last_seen_at, excluded.last_seen_at)") {}

Id Store::sync_feed(const config::FeedConfig& feed, Timestamp now) {
    SQLite::Statement s(m_db, "INSERT INTO feeds (name, type, url, geo, enabled, created_at) "
                              "VALUES (:name, :type, :url, :geo, :enabled, :at) "
                              "ON CONFLICT(name) DO UPDATE SET type = excluded.type, "
                              "url = excluded.url, geo = excluded.geo, enabled = excluded.enabled, "
                              // A new URL is a new resource: its validators do not carry over.
                              "etag = CASE WHEN feeds.url = excluded.url THEN feeds.etag END, "
                              "last_modified = CASE WHEN feeds.url = excluded.url "
                              "THEN feeds.last_modified END RETURNING id");
    s.bind(":name", feed.name);
    s.bind(":type", feed.type);
    s.bind(":url", feed.url);
    s.bind(":geo", feed.geo);
    s.bind(":enabled", feed.enabled ? 1 : 0);
    s.bind(":at", format_iso(now));
    s.executeStep();
    return s.getColumn(0).getInt64();
}

void Store::disable_feeds_except(const std::vector<std::string>& names) {
    SQLite::Statement all(m_db, "SELECT name FROM feeds WHERE enabled = 1");
    std::vector<std::string> gone;
    while (all.executeStep()) {
        std::string n = all.getColumn(0).getString();
        if (std::find(names.begin(), names.end(), n) == names.end())
            gone.push_back(std::move(n));
    }
    SQLite::Statement off(m_db, "UPDATE feeds SET enabled = 0 WHERE name = :name");
    for (const std::string& n : gone) {
        off.bind(":name", n);
        exec_reset(off);
    }
}

SQLite::Statement& Store::cached(std::string_view sql) {
    auto it = m_cached.find(sql);
    if (it == m_cached.end())
        it = m_cached
                 .emplace(std::string(sql),
                          std::make_unique<SQLite::Statement>(m_db, std::string(sql)))
                 .first;
    return *it->second;
}

Validators Store::validators(Id feed_id) {
    SQLite::Statement& s = m_validators;
    Reuse reuse(s);
    s.bind(":id", feed_id);
    if (!s.executeStep())
        return {};
    return {s.getColumn(0).getString(), s.getColumn(1).getString()};
}

void Store::set_validators(Id feed_id, const Validators& v) {
    SQLite::Statement& s = m_set_validators;
    bind_text_or_null(s, ":etag", v.etag);
    bind_text_or_null(s, ":lm", v.last_modified);
    s.bind(":id", feed_id);
    exec_reset(s);
}

Id Store::insert_poll(const PollRecord& p) {
    SQLite::Statement& s = m_insert_poll;
    s.bind(":feed_id", p.feed_id);
    s.bind(":started_at", format_iso(p.started_at));
    s.bind(":duration_ms", p.duration_ms);
    if (p.http_status)
        s.bind(":http_status", static_cast<std::int64_t>(*p.http_status));
    s.bind(":bytes", p.bytes);
    if (p.items)
        s.bind(":items", *p.items);
    s.bind(":outcome", std::string(fetch::to_string(p.outcome)));
    bind_text_or_null(s, ":error", p.error);
    if (p.retry_after)
        s.bind(":retry_after", static_cast<std::int64_t>(p.retry_after->count()));
    bind_text_or_null(s, ":url", p.url);
    if (p.as_of)
        s.bind(":as_of", format_iso(*p.as_of));
    exec_reset(s);
    return m_db.getLastInsertRowid();
}

Id Store::term_id(const std::string& norm, const std::string& display, Timestamp now) {
    if (const auto it = m_term_ids.find(norm); it != m_term_ids.end())
        return it->second;
    if (const auto it = m_new_term_ids.find(norm); it != m_new_term_ids.end())
        return it->second;
    {
        Reuse reuse(m_find_term);
        m_find_term.bind(":norm", norm);
        if (m_find_term.executeStep()) {
            // Not inserted by this transaction (m_new_term_ids), so committed: it stays.
            if (m_term_ids.size() >= k_max_cached_terms)
                m_term_ids.clear();
            const Id id = m_find_term.getColumn(0).getInt64();
            m_term_ids.emplace(norm, id);
            return id;
        }
    }
    m_insert_term.bind(":norm", norm);
    m_insert_term.bind(":display", display);
    m_insert_term.bind(":at", format_iso(now));
    exec_reset(m_insert_term);
    const Id id = m_db.getLastInsertRowid();
    m_new_term_ids.emplace(norm, id);
    return id;
}

Id Store::insert_observation(Id poll_id, Id feed_id, Id term_id, const std::string& geo,
                             Timestamp observed_at, const feed::Item& item,
                             feed::TrafficKind kind) {
    SQLite::Statement& s = m_insert_observation;
    s.bind(":poll_id", poll_id);
    s.bind(":feed_id", feed_id);
    s.bind(":term_id", term_id);
    s.bind(":observed_at", format_iso(observed_at));
    if (item.started_at)
        s.bind(":started_at", format_iso(*item.started_at));
    s.bind(":geo", geo);
    s.bind(":rank", item.rank);
    if (item.traffic.value)
        s.bind(":traffic", *item.traffic.value);
    s.bind(":label", item.traffic.label);
    s.bind(":title", item.term);
    bind_text_or_null(s, ":picture", item.picture);
    bind_text_or_null(s, ":picture_source", item.picture_source);
    s.bind(":kind", std::string(feed::traffic_kind_name(kind)));
    bind_text_or_null(s, ":url", item.url);
    bind_text_or_null(s, ":discussion", item.discussion_url);
    bind_text_or_null(s, ":author", item.author);
    if (item.published_at)
        s.bind(":published", format_iso(*item.published_at));
    if (item.comments)
        s.bind(":comments", *item.comments);
    bind_text_or_null(s, ":summary", item.summary);
    if (!item.related.empty())
        s.bind(":related", json_array(item.related));
    exec_reset(s);
    const Id id = m_db.getLastInsertRowid();
    auto [it, fresh] = m_geo_tallies.try_emplace({term_id, geo});
    GeoTally& t = it->second;
    if (fresh) {
        t.first_seen_at = observed_at;
        t.last_seen_at = observed_at;
    }
    ++t.observations;
    if (item.traffic.value && (!t.peak_traffic || *item.traffic.value > *t.peak_traffic))
        t.peak_traffic = item.traffic.value;
    t.first_seen_at = std::min(t.first_seen_at, observed_at);
    t.last_seen_at = std::max(t.last_seen_at, observed_at);
    return id;
}

void Store::write_term_geos() {
    SQLite::Statement& s = m_upsert_term_geo;
    for (const auto& [key, t] : m_geo_tallies) {
        s.bind(":term", key.first);
        s.bind(":geo", key.second);
        s.bind(":n", t.observations);
        if (t.peak_traffic)
            s.bind(":peak", *t.peak_traffic);
        s.bind(":first", format_iso(t.first_seen_at));
        s.bind(":last", format_iso(t.last_seen_at));
        exec_reset(s);
    }
    m_geo_tallies.clear();
}

Id Store::upsert_article(const feed::NewsItem& n, Timestamp seen_at) {
    SQLite::Statement& s = m_upsert_article;
    Reuse reuse(s);
    s.bind(":url", n.url);
    s.bind(":title", n.title);
    bind_text_or_null(s, ":source", n.source);
    bind_text_or_null(s, ":picture", n.picture);
    bind_text_or_null(s, ":snippet", n.snippet);
    s.bind(":at", format_iso(seen_at));
    s.bind(":platform", "news");
    s.executeStep();
    return s.getColumn(0).getInt64();
}

Id Store::upsert_item_article(const feed::Item& item, const std::string& source,
                              std::string_view platform, Timestamp seen_at) {
    SQLite::Statement& s = m_upsert_article;
    Reuse reuse(s);
    s.bind(":url", item.url);
    s.bind(":title", item.term);
    bind_text_or_null(s, ":source", item.publisher.empty() ? source : item.publisher);
    bind_text_or_null(s, ":picture", item.picture);
    bind_text_or_null(s, ":snippet", item.summary);
    s.bind(":at", format_iso(seen_at));
    bind_text_or_null(s, ":author", item.author);
    if (item.published_at)
        s.bind(":published", format_iso(*item.published_at));
    s.bind(":platform", std::string(platform));
    s.executeStep();
    return s.getColumn(0).getInt64();
}

void Store::link_article(Id observation_id, Id article_id, int position) {
    m_link_article.bind(":obs", observation_id);
    m_link_article.bind(":article", article_id);
    m_link_article.bind(":pos", position);
    exec_reset(m_link_article);
}

std::optional<TrafficPoint> Store::previous_point(Id term_id, Id feed_id, Id poll_id) {
    SQLite::Statement& s = m_previous_point;
    Reuse reuse(s);
    s.bind(":term", term_id);
    s.bind(":feed", feed_id);
    s.bind(":poll", poll_id);
    std::optional<TrafficPoint> out;
    if (s.executeStep()) {
        TrafficPoint p;
        p.at = parse_iso(s.getColumn(0).getString()).value_or(Timestamp{});
        if (!s.getColumn(1).isNull())
            p.traffic = s.getColumn(1).getInt64();
        p.label = s.getColumn(2).getString();
        p.rank = s.getColumn(3).getInt();
        out = std::move(p);
    }
    return out;
}

std::vector<std::int64_t> Store::traffic_since(Id term_id, Id feed_id, Timestamp since,
                                               Id before_poll) {
    SQLite::Statement& s = m_window;
    Reuse reuse(s);
    s.bind(":term", term_id);
    s.bind(":feed", feed_id);
    s.bind(":since", format_iso(since));
    s.bind(":poll", before_poll);
    std::vector<std::int64_t> out;
    while (s.executeStep())
        out.push_back(s.getColumn(0).getInt64());
    return out;
}

std::optional<SpikeState> Store::last_spike(const std::string& rule, Id term_id) {
    SQLite::Statement& s = m_last_spike;
    Reuse reuse(s);
    s.bind(":rule", rule);
    s.bind(":term", term_id);
    std::optional<SpikeState> out;
    if (s.executeStep())
        out = SpikeState{s.getColumn(0).getInt64(),
                         parse_iso(s.getColumn(1).getString()).value_or(Timestamp{}),
                         parse_iso(s.getColumn(2).getString()).value_or(Timestamp{}),
                         s.getColumn(3).getInt() != 0};
    return out;
}

Id Store::insert_spike(const NewSpike& n) {
    SQLite::Statement& s = m_insert_spike;
    s.bind(":rule", n.rule);
    s.bind(":action", n.action == config::Action::draft ? "draft" : "record");
    s.bind(":term", n.term_id);
    s.bind(":feed", n.feed_id);
    s.bind(":obs", n.observation_id);
    s.bind(":geo", n.geo);
    s.bind(":at", format_iso(n.detected_at));
    s.bind(":traffic", n.traffic);
    s.bind(":label", n.traffic_label);
    if (n.previous_traffic)
        s.bind(":previous", *n.previous_traffic);
    if (n.baseline)
        s.bind(":baseline", *n.baseline);
    s.bind(":reason", n.reason);
    exec_reset(s);
    return m_db.getLastInsertRowid();
}

void Store::touch_spike(Id spike_id, Timestamp seen_at) {
    m_touch_spike.bind(":id", spike_id);
    m_touch_spike.bind(":at", format_iso(seen_at));
    exec_reset(m_touch_spike);
    m_touch_story.bind(":id", spike_id);
    m_touch_story.bind(":at", format_iso(seen_at));
    exec_reset(m_touch_story);
}

int Store::resolve_spikes(const std::string& rule, Seconds resolve_after, Timestamp now) {
    SQLite::Statement& s = m_resolve_spikes;
    s.bind(":now", format_iso(now));
    s.bind(":rule", rule);
    s.bind(":cutoff", format_iso(now - resolve_after));
    return exec_reset(s);
}

Id Store::queue_draft(Id spike_id, Timestamp now) {
    m_insert_draft.bind(":spike", spike_id);
    m_insert_draft.bind(":at", format_iso(now));
    exec_reset(m_insert_draft);
    const Id id = m_db.getLastInsertRowid();
    if (m_page_policy.enabled)
        queue_story_pages(id, spike_id, now);
    return id;
}

std::optional<DraftJob> Store::claim_draft(Timestamp now, std::optional<Id> only) {
    auto tx = begin();
    SQLite::Statement& q =
        cached(std::string("SELECT id, spike_id, attempts, coalesce(slug, ''), "
                           "coalesce(raw_reply, ''), coalesce(path, '') FROM drafts "
                           "WHERE status = 'queued' AND "
                           "(next_attempt_at IS NULL OR next_attempt_at <= :now) "
                           "AND (:only IS NULL OR id = :only) AND NOT (") +
               k_draft_waits_for_pages +
               " AND pages_until > :now) "
               "ORDER BY id LIMIT 1");
    const Reuse reuse_q(q);
    q.bind(":now", format_iso(now));
    q.bind(":pages", m_page_policy.enabled ? 1 : 0);
    if (only)
        q.bind(":only", *only);
    if (!q.executeStep())
        return std::nullopt;
    DraftJob job{q.getColumn(0).getInt64(),   q.getColumn(1).getInt64(),
                 q.getColumn(2).getInt() + 1, q.getColumn(3).getString(),
                 q.getColumn(4).getString(),  q.getColumn(5).getString()};
    SQLite::Statement& u = cached("UPDATE drafts SET status = 'drafting', attempts = attempts + 1, "
                                  "started_at = coalesce(started_at, :now), next_attempt_at = NULL "
                                  "WHERE id = :id");
    const Reuse reuse_u(u);
    u.bind(":now", format_iso(now));
    u.bind(":id", job.id);
    u.exec();
    tx.commit();
    return job;
}

int Store::requeue_interrupted_drafts() {
    return m_db.exec("UPDATE drafts SET status = 'queued' WHERE status = 'drafting'");
}

void Store::release_draft(Id draft_id, Timestamp now) {
    SQLite::Statement u(m_db,
                        "UPDATE drafts SET status = 'queued', attempts = max(attempts - 1, 0), "
                        "next_attempt_at = :soon WHERE id = :id AND status = 'drafting'");
    u.bind(":soon", format_iso(now + Seconds{1}));
    u.bind(":id", draft_id);
    u.exec();
}

bool Store::slug_taken(const std::string& slug, Id draft_id) {
    SQLite::Statement q(m_db, "SELECT 1 FROM drafts WHERE slug = :slug AND id <> :id");
    q.bind(":slug", slug);
    q.bind(":id", draft_id);
    return q.executeStep();
}

void Store::set_draft_slug(Id draft_id, const std::string& slug) {
    SQLite::Statement u(m_db, "UPDATE drafts SET slug = :slug WHERE id = :id");
    u.bind(":slug", slug);
    u.bind(":id", draft_id);
    u.exec();
}

void Store::complete_draft(Id draft_id, const DraftRecord& r, Timestamp now) {
    SQLite::Statement u(m_db, "UPDATE drafts SET status = :status, finished_at = :now, "
                              "drafter = :drafter, model = :model, slug = :slug, path = :path, "
                              "title = :title, summary = :summary, markdown = :markdown, "
                              "word_count = :words, unverified = :unverified, "
                              // An LLM call that ended in the built-in fallback still cost
                              // what it cost: keep the counters when the record has none.
                              "prompt_tokens = coalesce(:pt, prompt_tokens), "
                              "completion_tokens = coalesce(:ct, completion_tokens), "
                              "cached_tokens = coalesce(:cached, cached_tokens), "
                              "cost_usd = coalesce(:usd, cost_usd), "
                              "last_error = :error, source_urls = :urls, page_urls = :pages "
                              "WHERE id = :id AND status = 'drafting'");
    u.bind(":status", r.status);
    u.bind(":now", format_iso(now));
    u.bind(":drafter", r.drafter);
    bind_text_or_null(u, ":model", r.model);
    bind_text_or_null(u, ":error", r.last_error);
    u.bind(":slug", r.slug);
    u.bind(":path", r.path);
    u.bind(":title", r.title);
    u.bind(":summary", r.summary);
    u.bind(":markdown", r.markdown);
    u.bind(":words", r.word_count);
    u.bind(":unverified", r.unverified_json);
    u.bind(":urls", r.source_urls_json.empty() ? std::string("[]") : r.source_urls_json);
    u.bind(":pages", r.page_urls_json.empty() ? std::string("[]") : r.page_urls_json);
    if (r.prompt_tokens)
        u.bind(":pt", *r.prompt_tokens);
    if (r.completion_tokens)
        u.bind(":ct", *r.completion_tokens);
    if (r.cached_tokens)
        u.bind(":cached", *r.cached_tokens);
    if (r.cost_usd)
        u.bind(":usd", *r.cost_usd);
    u.bind(":id", draft_id);
    u.exec();
    replace_evidence(draft_id, r.revision, r.evidence);
}

void Store::replace_evidence(Id draft_id, int revision, const std::vector<EvidenceEntry>& rows) {
    SQLite::Statement del(m_db,
                          "DELETE FROM draft_evidence WHERE draft_id = :id AND revision = :rev");
    del.bind(":id", draft_id);
    del.bind(":rev", revision);
    del.exec();
    SQLite::Statement ins(
        m_db, "INSERT INTO draft_evidence (draft_id, revision, position, kind, claim, status, "
              "origin, source_index, page_text_id, url, sentence, offset) VALUES (:id, :rev, "
              ":pos, :kind, :claim, :status, :origin, :source, :page, :url, :sentence, :offset)");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const EvidenceEntry& e = rows[i];
        ins.reset();
        ins.clearBindings();
        ins.bind(":id", draft_id);
        ins.bind(":rev", revision);
        ins.bind(":pos", static_cast<std::int64_t>(i));
        ins.bind(":kind", e.kind);
        ins.bind(":claim", e.claim);
        ins.bind(":status", e.traced() ? "traced" : "unverified");
        bind_text_or_null(ins, ":origin", e.origin);
        if (e.source_index > 0)
            ins.bind(":source", e.source_index);
        if (e.page_text_id > 0)
            ins.bind(":page", e.page_text_id);
        bind_text_or_null(ins, ":url", e.url);
        if (e.traced()) {
            ins.bind(":sentence", e.sentence);
            ins.bind(":offset", e.offset);
        }
        ins.exec();
    }
}

void Store::fail_draft(Id draft_id, const std::string& error, std::optional<Timestamp> retry_at,
                       Timestamp now) {
    SQLite::Statement u(m_db, "UPDATE drafts SET status = :status, last_error = :error, "
                              "next_attempt_at = :retry, finished_at = :finished WHERE id = :id");
    u.bind(":status", retry_at ? "queued" : "failed");
    u.bind(":error", error);
    if (retry_at)
        u.bind(":retry", format_iso(*retry_at));
    else
        u.bind(":finished", format_iso(now));
    u.bind(":id", draft_id);
    u.exec();
}

std::optional<Id> Store::request_draft(const std::string& norm, Timestamp now) {
    auto tx = begin();
    SQLite::Statement q(m_db,
                        "SELECT o.id, o.term_id, o.feed_id, o.geo, coalesce(o.traffic, 0), "
                        "o.traffic_label FROM observations o JOIN terms t ON t.id = o.term_id "
                        "WHERE t.norm = :norm ORDER BY o.observed_at DESC, o.id DESC LIMIT 1");
    q.bind(":norm", norm);
    if (!q.executeStep())
        return std::nullopt;
    NewSpike s;
    s.rule = "manual";
    s.action = config::Action::draft;
    s.observation_id = q.getColumn(0).getInt64();
    s.term_id = q.getColumn(1).getInt64();
    s.feed_id = q.getColumn(2).getInt64();
    s.geo = q.getColumn(3).getString();
    s.traffic = q.getColumn(4).getInt64();
    s.traffic_label = q.getColumn(5).getString();
    s.detected_at = now;
    s.reason = "requested with trendctl draft";
    // Rule "manual" is no configured rule, so nothing resolves the spike: it stays open, as
    // docs/analytics.md says.
    const Id spike = insert_spike(s);
    const Id draft = queue_draft(spike, now);
    tx.commit();
    return draft;
}

void Store::record_llm_reply(Id draft_id, const std::string& raw, const std::string& model,
                             std::int64_t prompt_tokens, std::int64_t completion_tokens,
                             std::optional<std::int64_t> cached_tokens, double cost_usd,
                             Timestamp now) {
    auto tx = begin();
    SQLite::Statement call(m_db, "INSERT INTO llm_calls (draft_id, at, model, prompt_tokens, "
                                 "completion_tokens, cached_tokens, cost_usd) VALUES (:draft, :at, "
                                 ":model, :pt, :ct, :cached, :usd)");
    call.bind(":draft", draft_id);
    call.bind(":at", format_iso(now));
    call.bind(":model", model);
    call.bind(":pt", prompt_tokens);
    call.bind(":ct", completion_tokens);
    if (cached_tokens)
        call.bind(":cached", *cached_tokens);
    call.bind(":usd", cost_usd);
    call.exec();
    SQLite::Statement u(m_db, "UPDATE drafts SET raw_reply = :raw, model = :model, "
                              "prompt_tokens = coalesce(prompt_tokens, 0) + :pt, "
                              "completion_tokens = coalesce(completion_tokens, 0) + :ct, "
                              "cached_tokens = CASE WHEN :cached IS NULL THEN cached_tokens "
                              "  ELSE coalesce(cached_tokens, 0) + :cached END, "
                              "cost_usd = coalesce(cost_usd, 0) + :usd WHERE id = :id");
    u.bind(":raw", raw);
    u.bind(":model", model);
    u.bind(":pt", prompt_tokens);
    u.bind(":ct", completion_tokens);
    if (cached_tokens)
        u.bind(":cached", *cached_tokens);
    u.bind(":usd", cost_usd);
    u.bind(":id", draft_id);
    u.exec();
    tx.commit();
}

DraftRecord Store::draft_usage(Id draft_id) {
    SQLite::Statement q(m_db, "SELECT prompt_tokens, completion_tokens, cached_tokens, cost_usd "
                              "FROM drafts WHERE id = :id");
    q.bind(":id", draft_id);
    DraftRecord r;
    if (q.executeStep()) {
        if (!q.getColumn(0).isNull())
            r.prompt_tokens = q.getColumn(0).getInt64();
        if (!q.getColumn(1).isNull())
            r.completion_tokens = q.getColumn(1).getInt64();
        if (!q.getColumn(2).isNull())
            r.cached_tokens = q.getColumn(2).getInt64();
        if (!q.getColumn(3).isNull())
            r.cost_usd = q.getColumn(3).getDouble();
    }
    return r;
}

void Store::clear_raw_reply(Id draft_id) {
    SQLite::Statement u(m_db, "UPDATE drafts SET raw_reply = NULL WHERE id = :id");
    u.bind(":id", draft_id);
    u.exec();
}

double Store::spent_on_day(Timestamp now) {
    const auto day = std::chrono::floor<std::chrono::days>(now);
    SQLite::Statement q(m_db, "SELECT coalesce(sum(cost_usd), 0) FROM llm_calls "
                              "WHERE at >= :from AND at < :to");
    q.bind(":from", format_iso(day));
    q.bind(":to", format_iso(day + std::chrono::days{1}));
    q.executeStep();
    return q.getColumn(0).getDouble();
}

std::optional<Timestamp> Store::next_due(bool notifications, std::optional<Id> only_draft) {
    SQLite::Statement& q = cached(std::string("SELECT min(t) FROM ("
                                              "SELECT CASE WHEN ") +
                                  k_draft_waits_for_pages +
                                  " THEN max(coalesce(next_attempt_at, created_at), pages_until) "
                                  "ELSE coalesce(next_attempt_at, created_at) END AS t FROM drafts "
                                  "WHERE status = 'queued' AND (:only IS NULL OR id = :only) "
                                  "UNION ALL "
                                  "SELECT coalesce(next_attempt_at, created_at) FROM notifications "
                                  "WHERE status = 'pending' AND :notifications)");
    const Reuse reuse_q(q);
    q.bind(":notifications", notifications ? 1 : 0);
    q.bind(":pages", m_page_policy.enabled ? 1 : 0);
    if (only_draft)
        q.bind(":only", *only_draft);
    if (!q.executeStep() || q.getColumn(0).isNull())
        return std::nullopt;
    return parse_iso(q.getColumn(0).getString());
}

void Store::queue_notification(Id draft_id, Timestamp now) {
    SQLite::Statement u(m_db, "INSERT OR IGNORE INTO notifications (draft_id, created_at) "
                              "VALUES (:draft, :now)");
    u.bind(":draft", draft_id);
    u.bind(":now", format_iso(now));
    u.exec();
}

std::optional<NotificationJob> Store::claim_notification(Timestamp now) {
    auto tx = begin();
    SQLite::Statement& q = cached("SELECT id, draft_id, attempts FROM notifications "
                                  "WHERE status = 'pending' AND (next_attempt_at IS NULL OR "
                                  "next_attempt_at <= :now) ORDER BY id LIMIT 1");
    const Reuse reuse_q(q);
    q.bind(":now", format_iso(now));
    if (!q.executeStep())
        return std::nullopt;
    NotificationJob job{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                        q.getColumn(2).getInt() + 1};
    // While in flight it is not due again; a crash leaves it due a minute later.
    SQLite::Statement& u = cached("UPDATE notifications SET attempts = attempts + 1, "
                                  "next_attempt_at = :later WHERE id = :id");
    const Reuse reuse_u(u);
    u.bind(":later", format_iso(now + Seconds{60}));
    u.bind(":id", job.id);
    u.exec();
    tx.commit();
    return job;
}

void Store::notification_delivered(Id id, long http_status, Timestamp now) {
    SQLite::Statement u(m_db, "UPDATE notifications SET status = 'delivered', http_status = :code, "
                              "delivered_at = :now, next_attempt_at = NULL, last_error = NULL "
                              "WHERE id = :id");
    u.bind(":code", static_cast<std::int64_t>(http_status));
    u.bind(":now", format_iso(now));
    u.bind(":id", id);
    u.exec();
}

void Store::notification_failed(Id id, long http_status, const std::string& error,
                                std::optional<Timestamp> retry_at) {
    SQLite::Statement u(m_db, "UPDATE notifications SET status = :status, http_status = :code, "
                              "last_error = :error, next_attempt_at = :retry WHERE id = :id");
    u.bind(":status", retry_at ? "pending" : "failed");
    if (http_status != 0)
        u.bind(":code", static_cast<std::int64_t>(http_status));
    u.bind(":error", error);
    if (retry_at)
        u.bind(":retry", format_iso(*retry_at));
    u.bind(":id", id);
    u.exec();
}

int Store::pending_drafts() {
    return m_db.execAndGet("SELECT count(*) FROM drafts WHERE status IN ('queued', 'drafting')")
        .getInt();
}

FeedPollState Store::feed_poll_state(const std::string& feed_name) {
    return store::feed_poll_state(m_db, feed_name);
}

draft::Story Store::load_story(Id spike_id) {
    return store::load_story(m_db, spike_id);
}

DraftSummary Store::draft_summary(Id draft_id) {
    return store::draft_summary(m_db, draft_id);
}

std::optional<std::pair<std::string, std::string>> Store::draft_status(Id draft_id) {
    SQLite::Statement q(m_db, "SELECT status, coalesce(path, '') FROM drafts WHERE id = :id");
    q.bind(":id", draft_id);
    if (!q.executeStep())
        return std::nullopt;
    return std::pair{q.getColumn(0).getString(), q.getColumn(1).getString()};
}

Totals Store::totals() {
    return store::totals(m_db);
}

std::vector<std::pair<std::string, std::int64_t>> Store::drafts_by_status() {
    return store::drafts_by_status(m_db);
}

Rows Store::spikes_with_drafts() {
    return store::spikes_with_drafts(m_db);
}

} // namespace trend::store
