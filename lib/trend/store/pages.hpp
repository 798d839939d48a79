// SPDX-License-Identifier: MIT
#pragma once

#include "trend/draft/story.hpp"
#include "trend/fetch/robots_policy.hpp"
#include "trend/store/queries.hpp"
#include "trend/util/time.hpp"

#include <SQLiteCpp/Database.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/** The pages behind a story (schema/007_pages.sql, docs/enrichment.md): the types the Store's
 *  page methods take and return, and the read queries of trendctl and the daemon's status. */
namespace trend::store {

/** How one attempt at a page ended: pages.outcome. The first nine are what the extractor made
 *  of a page that was fetched; the others say why there was nothing to extract. */
enum class PageOutcome {
    article,
    not_html,
    consent_wall,
    paywall,
    js_shell,
    video_only,
    index_page,
    too_short,
    malformed,
    http_error,         ///< a non-2xx status
    timeout,            ///< the page stalled past [enrich] timeout
    too_large,          ///< over [enrich] max_page_bytes (decompressed)
    truncated,          ///< the body ended early
    redirect_loop,      ///< more than [enrich] max_redirects
    network_error,      ///< DNS, connect, TLS, ...
    blocked_address,    ///< the host is not a public address (SSRF guard)
    robots_disallowed,  ///< the site's robots.txt disallows it for trendd
    robots_unreachable, ///< the site's robots.txt could not be read: not fetched, for now
};

/** Every outcome, in declaration order (metrics show each from the start). */
inline constexpr std::array k_page_outcomes{
    PageOutcome::article,         PageOutcome::not_html,          PageOutcome::consent_wall,
    PageOutcome::paywall,         PageOutcome::js_shell,          PageOutcome::video_only,
    PageOutcome::index_page,      PageOutcome::too_short,         PageOutcome::malformed,
    PageOutcome::http_error,      PageOutcome::timeout,           PageOutcome::too_large,
    PageOutcome::truncated,       PageOutcome::redirect_loop,     PageOutcome::network_error,
    PageOutcome::blocked_address, PageOutcome::robots_disallowed, PageOutcome::robots_unreachable};

[[nodiscard]] std::string_view to_string(PageOutcome o) noexcept;
[[nodiscard]] std::optional<PageOutcome> page_outcome_from_string(std::string_view s) noexcept;

/** The outcomes that say a server or the network is failing us (the daemon's health), as
 *  opposed to what a page is (a paywall) or what we refuse (a private address). */
[[nodiscard]] constexpr bool is_fetch_failure(PageOutcome o) noexcept {
    switch (o) {
    case PageOutcome::http_error:
    case PageOutcome::timeout:
    case PageOutcome::truncated:
    case PageOutcome::network_error:
    case PageOutcome::robots_unreachable:
        return true;
    default:
        return false;
    }
}

/** Whether and how queue_draft() queues the pages of a story. */
struct PagePolicy {
    bool enabled = false; ///< off: drafts do not wait and no page is queued
    Seconds wait{0};      ///< how long a draft waits for its pages
    int max_pages = 10;   ///< pages per story, the first of load_story's articles
};

/** A queued page the reader may claim (one per host, oldest due first). */
struct PageCandidate {
    Id id = 0;
    std::string url;
    std::string host;
};

/** What the extractor found on a page that is an article (page_texts). */
struct PageTextRecord {
    std::string canonical_url;
    std::string title;
    std::string byline;
    std::optional<Timestamp> published_at;
    std::string site_name;
    std::string lang;
    std::string image;
    std::string description;
    std::string text; ///< paragraphs joined by "\n\n"
    std::int64_t word_count = 0;
    std::string method; ///< json_ld | readability | description
};

/** How an attempt at a page ended, as recorded. */
struct PageResult {
    Id page_id = 0;
    PageOutcome outcome = PageOutcome::network_error;
    /** Queued again for then (a retryable failure), else final: 'done', or 'failed' with
     *  `gave_up` (the retries ran out). */
    std::optional<Timestamp> retry_at;
    bool gave_up = false;
    Timestamp fetched_at{};
    std::string final_url;
    std::optional<long> http_status;
    std::int64_t bytes = 0;
    std::string content_type;
    std::string sha256; ///< hex, "" when no body
    std::int64_t duration_ms = 0;
    std::string error;     ///< the reason it is not an article ("" for one)
    std::string html_zlib; ///< the compressed body with [enrich] keep_html, else ""
    std::optional<PageTextRecord> text;
};

/** A robots.txt answer kept for an origin (the robots table). */
struct RobotsRecord {
    std::string origin; ///< "https://example.org", ":port" when one is written
    fetch::RobotsState state = fetch::RobotsState::unreachable;
    Timestamp fetched_at{};
    Timestamp expires_at{};
    std::optional<long> http_status;
    std::string body;
    std::string error;
};

/** How the reading stage is doing, for the daemon's health. */
struct PageHealth {
    int recent = 0;          ///< the last k_page_health_window attempts (fewer at first)
    int recent_failures = 0; ///< of those, is_fetch_failure()
    std::int64_t queued = 0;
    std::int64_t fetching = 0;
    std::optional<Timestamp> oldest_due; ///< the queued page due the longest
};

/** How many of the latest attempts PageHealth looks at. */
inline constexpr int k_page_health_window = 20;

/** Fills StoryArticle::page for the articles whose page was extracted as an article (for
 *  load_story). Works on a read-only connection. */
void fill_page_texts(SQLite::Database& db, std::vector<draft::StoryArticle>& articles);

/** Pages whose last attempt ended at or after `since` (ISO; queued ones by when they were
 *  queued), optionally with one outcome, newest first (trendctl pages). */
[[nodiscard]] Rows pages(SQLite::Database& db, const std::string& since,
                         const std::string& outcome);

/** The reading stage's health (the daemon's status). */
[[nodiscard]] PageHealth page_health(SQLite::Database& db);

} // namespace trend::store
