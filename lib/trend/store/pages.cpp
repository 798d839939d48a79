// SPDX-License-Identifier: MIT
// The Store's page methods (the reading stage) and the read queries of pages.hpp.
#include "trend/store/pages.hpp"

#include "trend/store/store.hpp"
#include "trend/util/url.hpp"

#include <SQLiteCpp/Statement.h>

namespace trend::store {

namespace {

constexpr std::array<std::string_view, k_page_outcomes.size()> k_names{
    "article",         "not_html",          "consent_wall",      "paywall",       "js_shell",
    "video_only",      "index_page",        "too_short",         "malformed",     "http_error",
    "timeout",         "too_large",         "truncated",         "redirect_loop", "network_error",
    "blocked_address", "robots_disallowed", "robots_unreachable"};

void bind_or_null(SQLite::Statement& s, const char* name, const std::string& v) {
    if (v.empty())
        s.bind(name);
    else
        s.bind(name, v);
}

std::optional<Timestamp> optional_time(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : parse_iso(c.getString());
}

/** "en-US" -> "en": PageText::lang is the primary language subtag. */
std::string primary_language(std::string tag) {
    tag = tag.substr(0, tag.find_first_of("-_"));
    for (char& c : tag)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return tag;
}

std::vector<std::string> paragraphs_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find("\n\n", start);
        std::string p = text.substr(start, end == std::string::npos ? end : end - start);
        if (!p.empty())
            out.push_back(std::move(p));
        if (end == std::string::npos)
            break;
        start = end + 2;
    }
    return out;
}

} // namespace

std::string_view to_string(PageOutcome o) noexcept {
    return k_names[static_cast<std::size_t>(o)];
}

std::optional<PageOutcome> page_outcome_from_string(std::string_view s) noexcept {
    for (std::size_t i = 0; i < k_names.size(); ++i)
        if (k_names[i] == s)
            return k_page_outcomes[i];
    return std::nullopt;
}

// ---- the write side ---------------------------------------------------------------------------

void Store::queue_story_pages(Id draft_id, Id spike_id, Timestamp now) {
    // load_story's articles, in its order: the pages a drafter will see first.
    SQLite::Statement spike(m_db, "SELECT s.term_id, s.story_id, s.detected_at, d.revised_at "
                                  "FROM spikes s LEFT JOIN drafts d ON d.id = :draft "
                                  "WHERE s.id = :spike");
    spike.bind(":draft", draft_id);
    spike.bind(":spike", spike_id);
    if (!spike.executeStep())
        return;
    const auto optional_text = [](const SQLite::Column& c) {
        return c.isNull() ? std::nullopt : std::optional<std::string>(c.getString());
    };
    SQLite::Statement q(m_db, std::string("WITH ") + k_story_observations +
                                  "SELECT a.id, a.url, a.page_id FROM story_obs o "
                                  "JOIN observation_articles oa ON oa.observation_id = o.id "
                                  "JOIN articles a ON a.id = oa.article_id "
                                  "GROUP BY a.id ORDER BY max(o.observed_at) DESC, "
                                  "min(oa.position), a.id LIMIT :n");
    bind_story_window(q, spike.getColumn(0).getInt64(),
                      spike.getColumn(1).isNull()
                          ? std::nullopt
                          : std::optional<Id>(spike.getColumn(1).getInt64()),
                      spike.getColumn(2).getString(), optional_text(spike.getColumn(3)));
    q.bind(":n", m_page_policy.max_pages);
    struct Link {
        Id article_id;
        std::string url;
        std::optional<Id> page_id;
    };
    std::vector<Link> links;
    while (q.executeStep())
        links.push_back(
            {q.getColumn(0).getInt64(), q.getColumn(1).getString(),
             q.getColumn(2).isNull() ? std::nullopt : std::optional(q.getColumn(2).getInt64())});

    // A page already known by its URL, where it redirected to, or its canonical URL.
    SQLite::Statement find(m_db, "SELECT id FROM pages WHERE url = :u OR final_url = :u "
                                 "UNION ALL SELECT page_id FROM page_texts "
                                 "WHERE canonical_url = :u LIMIT 1");
    SQLite::Statement insert(m_db, "INSERT INTO pages (url, host, created_at) "
                                   "VALUES (:url, :host, :now)");
    SQLite::Statement point(m_db, "UPDATE articles SET page_id = :page WHERE id = :article");
    SQLite::Statement wait(m_db, "INSERT OR IGNORE INTO draft_pages (draft_id, page_id) "
                                 "VALUES (:draft, :page)");
    for (const Link& l : links) {
        Id page = 0;
        if (l.page_id) {
            page = *l.page_id;
        } else {
            const auto web = util::web_url(l.url);
            if (!web)
                continue; // not a page we could fetch
            find.bind(":u", l.url);
            if (find.executeStep()) {
                page = find.getColumn(0).getInt64();
            } else {
                insert.bind(":url", l.url);
                insert.bind(":host", web->host);
                insert.bind(":now", format_iso(now));
                insert.exec();
                insert.reset();
                page = m_db.getLastInsertRowid();
            }
            find.reset();
            point.bind(":page", page);
            point.bind(":article", l.article_id);
            point.exec();
            point.reset();
        }
        wait.bind(":draft", draft_id);
        wait.bind(":page", page);
        wait.exec();
        wait.reset();
    }
    SQLite::Statement until(m_db, "UPDATE drafts SET pages_until = :until WHERE id = :id");
    until.bind(":until", format_iso(now + m_page_policy.wait));
    until.bind(":id", draft_id);
    until.exec();
}

int Store::requeue_interrupted_pages() {
    return m_db.exec("UPDATE pages SET status = 'queued', attempts = max(attempts - 1, 0) "
                     "WHERE status = 'fetching'");
}

std::vector<PageCandidate> Store::page_candidates(Timestamp now, int limit,
                                                  std::optional<Id> only) {
    SQLite::Statement q(
        m_db, "SELECT id, url, host FROM (SELECT id, url, host, "
              "coalesce(next_attempt_at, created_at) AS due, row_number() OVER ("
              "PARTITION BY host ORDER BY coalesce(next_attempt_at, created_at), id) AS n "
              "FROM pages WHERE status = 'queued' AND coalesce(next_attempt_at, created_at) <= "
              ":now AND (:only IS NULL OR id IN (SELECT page_id FROM draft_pages "
              "WHERE draft_id = :only))) WHERE n = 1 ORDER BY due, id LIMIT :limit");
    q.bind(":now", format_iso(now));
    if (only)
        q.bind(":only", *only);
    q.bind(":limit", limit);
    std::vector<PageCandidate> out;
    while (q.executeStep())
        out.push_back(
            {q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    return out;
}

std::optional<int> Store::claim_page(Id page_id, Timestamp now) {
    SQLite::Statement u(m_db, "UPDATE pages SET status = 'fetching', attempts = attempts + 1 "
                              "WHERE id = :id AND status = 'queued' AND "
                              "coalesce(next_attempt_at, created_at) <= :now RETURNING attempts");
    u.bind(":id", page_id);
    u.bind(":now", format_iso(now));
    if (!u.executeStep())
        return std::nullopt;
    const int attempts = u.getColumn(0).getInt();
    while (u.executeStep()) {
    }
    return attempts;
}

void Store::release_page(Id page_id) {
    SQLite::Statement u(m_db, "UPDATE pages SET status = 'queued', "
                              "attempts = max(attempts - 1, 0) WHERE id = :id "
                              "AND status = 'fetching'");
    u.bind(":id", page_id);
    u.exec();
}

void Store::record_page(const PageResult& r) {
    SQLite::Statement u(
        m_db, "UPDATE pages SET status = :status, next_attempt_at = :retry, fetched_at = :at, "
              "final_url = :final, http_status = :code, outcome = :outcome, bytes = :bytes, "
              "content_type = :type, sha256 = :sha, duration_ms = :ms, error = :error, "
              "html = :html WHERE id = :id");
    u.bind(":status", r.retry_at ? "queued" : r.gave_up ? "failed" : "done");
    if (r.retry_at)
        u.bind(":retry", format_iso(*r.retry_at));
    u.bind(":at", format_iso(r.fetched_at));
    bind_or_null(u, ":final", r.final_url);
    if (r.http_status)
        u.bind(":code", static_cast<std::int64_t>(*r.http_status));
    u.bind(":outcome", std::string(to_string(r.outcome)));
    u.bind(":bytes", r.bytes);
    bind_or_null(u, ":type", r.content_type);
    bind_or_null(u, ":sha", r.sha256);
    u.bind(":ms", r.duration_ms);
    bind_or_null(u, ":error", r.error);
    if (!r.html_zlib.empty())
        u.bind(":html", r.html_zlib.data(), static_cast<int>(r.html_zlib.size()));
    u.bind(":id", r.page_id);
    u.exec();
    if (!r.text)
        return;
    const PageTextRecord& t = *r.text;
    SQLite::Statement i(
        m_db, "INSERT INTO page_texts (page_id, canonical_url, title, byline, published_at, "
              "site_name, lang, image, description, text, word_count, method, extracted_at) "
              "VALUES (:page, :canonical, :title, :byline, :published, :site, :lang, :image, "
              ":description, :text, :words, :method, :at) ON CONFLICT(page_id) DO UPDATE SET "
              "canonical_url = excluded.canonical_url, title = excluded.title, "
              "byline = excluded.byline, published_at = excluded.published_at, "
              "site_name = excluded.site_name, lang = excluded.lang, image = excluded.image, "
              "description = excluded.description, text = excluded.text, "
              "word_count = excluded.word_count, method = excluded.method, "
              "extracted_at = excluded.extracted_at");
    i.bind(":page", r.page_id);
    bind_or_null(i, ":canonical", t.canonical_url);
    i.bind(":title", t.title);
    bind_or_null(i, ":byline", t.byline);
    if (t.published_at)
        i.bind(":published", format_iso(*t.published_at));
    bind_or_null(i, ":site", t.site_name);
    bind_or_null(i, ":lang", t.lang);
    bind_or_null(i, ":image", t.image);
    bind_or_null(i, ":description", t.description);
    i.bind(":text", t.text);
    i.bind(":words", t.word_count);
    i.bind(":method", t.method);
    i.bind(":at", format_iso(r.fetched_at));
    i.exec();
}

std::optional<Timestamp> Store::next_page_due(std::optional<Id> only) {
    SQLite::Statement q(m_db, "SELECT min(coalesce(next_attempt_at, created_at)) FROM pages "
                              "WHERE status = 'queued' AND (:only IS NULL OR id IN "
                              "(SELECT page_id FROM draft_pages WHERE draft_id = :only))");
    if (only)
        q.bind(":only", *only);
    if (!q.executeStep() || q.getColumn(0).isNull())
        return std::nullopt;
    return parse_iso(q.getColumn(0).getString());
}

std::optional<RobotsRecord> Store::robots(const std::string& origin) {
    SQLite::Statement q(m_db, "SELECT state, fetched_at, expires_at, http_status, "
                              "coalesce(body, ''), coalesce(error, '') FROM robots "
                              "WHERE origin = :origin");
    q.bind(":origin", origin);
    if (!q.executeStep())
        return std::nullopt;
    RobotsRecord r;
    r.origin = origin;
    r.state = fetch::robots_state_from_string(q.getColumn(0).getString());
    r.fetched_at = parse_iso(q.getColumn(1).getString()).value_or(Timestamp{});
    r.expires_at = parse_iso(q.getColumn(2).getString()).value_or(Timestamp{});
    if (!q.getColumn(3).isNull())
        r.http_status = q.getColumn(3).getInt64();
    r.body = q.getColumn(4).getString();
    r.error = q.getColumn(5).getString();
    return r;
}

void Store::store_robots(const RobotsRecord& r) {
    SQLite::Statement u(m_db, "INSERT OR REPLACE INTO robots (origin, state, fetched_at, "
                              "expires_at, http_status, body, error) VALUES (:origin, :state, "
                              ":fetched, :expires, :code, :body, :error)");
    u.bind(":origin", r.origin);
    u.bind(":state", std::string(fetch::to_string(r.state)));
    u.bind(":fetched", format_iso(r.fetched_at));
    u.bind(":expires", format_iso(r.expires_at));
    if (r.http_status)
        u.bind(":code", static_cast<std::int64_t>(*r.http_status));
    bind_or_null(u, ":body", r.body);
    bind_or_null(u, ":error", r.error);
    u.exec();
}

PageHealth Store::page_health() {
    return store::page_health(m_db);
}

// ---- reading ----------------------------------------------------------------------------------

void fill_page_texts(SQLite::Database& db, std::vector<draft::StoryArticle>& articles) {
    SQLite::Statement q(db, "SELECT pt.id, coalesce(pt.canonical_url, p.final_url, p.url), "
                            "pt.title, coalesce(pt.byline, ''), coalesce(pt.site_name, ''), "
                            "coalesce(pt.lang, ''), pt.published_at, pt.text, pt.method "
                            "FROM articles a JOIN pages p ON p.id = a.page_id "
                            "JOIN page_texts pt ON pt.page_id = p.id "
                            "WHERE a.url = :url AND p.outcome = 'article'");
    for (draft::StoryArticle& a : articles) {
        q.bind(":url", a.url);
        if (q.executeStep()) {
            draft::PageText t;
            t.id = q.getColumn(0).getInt64();
            t.canonical_url = q.getColumn(1).getString();
            t.title = q.getColumn(2).getString();
            t.byline = q.getColumn(3).getString();
            t.site_name = q.getColumn(4).getString();
            t.lang = primary_language(q.getColumn(5).getString());
            t.published_at = optional_time(q.getColumn(6));
            t.paragraphs = paragraphs_of(q.getColumn(7).getString());
            t.method = q.getColumn(8).getString();
            a.page = std::move(t);
        }
        q.reset();
    }
}

Rows pages(SQLite::Database& db, const std::string& since, const std::string& outcome) {
    return select(db,
                  "SELECT p.id, coalesce(p.fetched_at, p.created_at) AS at, p.status, "
                  "p.outcome, p.http_status, p.bytes, p.attempts, p.host, p.url, p.final_url, "
                  "t.title, t.site_name, t.lang, t.word_count, t.method, p.error "
                  "FROM pages p LEFT JOIN page_texts t ON t.page_id = p.id "
                  "WHERE coalesce(p.fetched_at, p.created_at) >= ? AND (? = '' OR p.outcome = ?) "
                  "ORDER BY at DESC, p.id DESC",
                  {since, outcome, outcome});
}

PageHealth page_health(SQLite::Database& db) {
    PageHealth h;
    SQLite::Statement recent(db, "SELECT outcome FROM pages WHERE fetched_at IS NOT NULL "
                                 "AND outcome IS NOT NULL ORDER BY fetched_at DESC, id DESC "
                                 "LIMIT :n");
    recent.bind(":n", k_page_health_window);
    while (recent.executeStep()) {
        ++h.recent;
        if (const auto o = page_outcome_from_string(recent.getColumn(0).getString());
            o && is_fetch_failure(*o))
            ++h.recent_failures;
    }
    SQLite::Statement q(db, "SELECT (SELECT count(*) FROM pages WHERE status = 'queued'), "
                            "(SELECT count(*) FROM pages WHERE status = 'fetching'), "
                            "(SELECT min(coalesce(next_attempt_at, created_at)) FROM pages "
                            "WHERE status = 'queued')");
    q.executeStep();
    h.queued = q.getColumn(0).getInt64();
    h.fetching = q.getColumn(1).getInt64();
    h.oldest_due = optional_time(q.getColumn(2));
    return h;
}

} // namespace trend::store
