// SPDX-License-Identifier: MIT
// Revised drafts: a story that gains new coverage while its spike is open is drafted again.
#include "trend/store/queries.hpp"
#include "trend/store/statement.hpp"
#include "trend/store/store.hpp"

#include <set>

namespace trend::store {

namespace {

using detail::Reuse;

std::optional<Seconds> cooldown_of(const Cooldowns& cooldowns, const std::string& rule) {
    for (const auto& [name, cooldown] : cooldowns)
        if (name == rule)
            return cooldown;
    return std::nullopt;
}

bool within_cooldown(const Cooldowns& cooldowns, const std::string& rule, Timestamp detected_at,
                     Timestamp now) {
    const auto cooldown = cooldown_of(cooldowns, rule);
    return cooldown && now - detected_at < *cooldown;
}

} // namespace

Cooldowns draft_cooldowns(const std::vector<config::RuleConfig>& rules) {
    Cooldowns out;
    for (const config::RuleConfig& r : rules)
        if (r.action == config::Action::draft)
            out.emplace_back(r.name, r.cooldown);
    return out;
}

int Store::queue_revision_pages(const Cooldowns& cooldowns, Id feed_id,
                                const std::vector<Id>& term_ids, Timestamp now) {
    if (!m_page_policy.enabled || cooldowns.empty() || term_ids.empty())
        return 0;
    Seconds longest{0};
    for (const auto& [rule, cooldown] : cooldowns)
        longest = std::max(longest, cooldown);
    std::string terms = "[";
    for (const Id id : term_ids)
        terms += (terms.size() > 1 ? "," : "") + std::to_string(id);
    terms += ']';
    // The drafts of the stories this poll's items are coverage of (k_story_observations).
    SQLite::Statement& q =
        cached("WITH polled(term_id) AS (SELECT value FROM json_each(:terms)) "
               "SELECT d.id, d.spike_id, s.rule, s.detected_at FROM drafts d "
               "JOIN spikes s ON s.id = d.spike_id "
               // A queued draft gets the pages of terms that joined it.
               "WHERE (d.status = 'queued' OR (d.status IN ('draft', 'needs_review') "
               "  AND d.page_urls IS NOT NULL)) AND s.detected_at >= :oldest "
               "AND (s.term_id IN polled OR EXISTS (SELECT 1 FROM story_terms st "
               "  JOIN terms t ON t.norm = st.norm WHERE st.story_id = s.story_id "
               "  AND t.id IN polled) OR EXISTS (SELECT 1 FROM story_signals g "
               "  WHERE g.story_id = s.story_id AND g.feed_id = :feed AND g.term_id IN polled))");
    const Reuse reuse_q(q);
    q.bind(":terms", terms);
    q.bind(":oldest", format_iso(now - longest));
    q.bind(":feed", feed_id);
    std::vector<std::pair<Id, Id>> drafts;
    while (q.executeStep())
        if (within_cooldown(cooldowns, q.getColumn(2).getString(),
                            parse_iso(q.getColumn(3).getString()).value_or(Timestamp{}), now))
            drafts.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
    for (const auto& [draft_id, spike_id] : drafts)
        queue_story_pages(draft_id, spike_id, now);
    return static_cast<int>(drafts.size());
}

std::vector<QueuedRevision> Store::revise_drafts_of_page(Id page_id, const Cooldowns& cooldowns,
                                                         Timestamp now) {
    struct Candidate {
        Id draft_id;
        Id spike_id;
    };
    std::vector<Candidate> candidates;
    {
        SQLite::Statement q(m_db, "SELECT d.id, d.spike_id, s.rule, s.detected_at "
                                  "FROM draft_pages dp JOIN drafts d ON d.id = dp.draft_id "
                                  "JOIN spikes s ON s.id = d.spike_id "
                                  "JOIN pages p ON p.id = dp.page_id "
                                  "WHERE dp.page_id = :page AND p.outcome = 'article' "
                                  "AND d.status IN ('draft', 'needs_review') "
                                  "AND d.page_urls IS NOT NULL AND d.finished_at IS NOT NULL");
        q.bind(":page", page_id);
        while (q.executeStep())
            if (within_cooldown(cooldowns, q.getColumn(2).getString(),
                                parse_iso(q.getColumn(3).getString()).value_or(Timestamp{}), now))
                candidates.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64()});
    }
    std::vector<QueuedRevision> out;
    SQLite::Statement had_q(m_db, "SELECT j.value FROM drafts d, json_each(d.page_urls) j "
                                  "WHERE d.id = :draft");
    for (const Candidate& c : candidates) {
        std::set<std::string> had;
        had_q.bind(":draft", c.draft_id);
        while (had_q.executeStep())
            had.insert(had_q.getColumn(0).getString());
        had_q.reset();
        std::vector<std::string> new_urls;
        for (const draft::StoryArticle& a : load_story(c.spike_id).articles)
            if (a.page && had.count(a.url) == 0)
                new_urls.push_back(a.url);
        if (new_urls.size() < k_revision_min_pages)
            continue;
        if (!queue_revision(c.draft_id, new_urls, now))
            continue;
        SQLite::Statement r(m_db, "SELECT revision FROM drafts WHERE id = :id");
        r.bind(":id", c.draft_id);
        r.executeStep();
        out.push_back({c.draft_id, c.spike_id, r.getColumn(0).getInt(), std::move(new_urls)});
    }
    return out;
}

bool Store::queue_revision(Id draft_id, const std::vector<std::string>& new_urls, Timestamp now) {
    SQLite::Statement keep(
        m_db, "INSERT OR REPLACE INTO draft_revisions (draft_id, revision, status, drafter, "
              "model, title, summary, markdown, word_count, unverified, source_urls, cost_usd, "
              "queued_at, finished_at, replaced_at, new_urls) "
              "SELECT id, revision, status, drafter, model, title, summary, markdown, word_count, "
              "unverified, source_urls, cost_usd, coalesce(revised_at, created_at), finished_at, "
              ":now, :urls FROM drafts WHERE id = :id AND status IN ('draft', 'needs_review')");
    keep.bind(":now", format_iso(now));
    keep.bind(":urls", detail::json_array(new_urls));
    keep.bind(":id", draft_id);
    if (keep.exec() == 0)
        return false;
    // The text stays until the new revision replaces it: `trendctl show` has something to show.
    SQLite::Statement next(m_db, "UPDATE drafts SET revision = revision + 1, revised_at = :now, "
                                 "status = 'queued', attempts = 0, next_attempt_at = NULL, "
                                 "started_at = NULL, finished_at = NULL, last_error = NULL, "
                                 "raw_reply = NULL WHERE id = :id");
    next.bind(":now", format_iso(now));
    next.bind(":id", draft_id);
    next.exec();
    return true;
}

} // namespace trend::store
