// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/extract/extract.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/fetch/robots_policy.hpp"
#include "trend/pipeline/host_pacer.hpp"
#include "trend/pipeline/retry.hpp"
#include "trend/pipeline/write_queue.hpp"
#include "trend/store/store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace trend::pipeline {

/** Page fetches that failed for a reason worth retrying (429, 5xx, a timeout, a network error,
 *  an unreadable robots.txt): 5 min, then 10 min (+-10%), then given up ('failed'); a
 *  Retry-After is honoured up to 6 h. No draft waits for a retry: a page whose attempt failed
 *  no longer holds its draft up. */
inline constexpr RetryPolicy k_page_retry{.first = Seconds{300},
                                          .max = Seconds{3600},
                                          .retry_after_max = Seconds{6 * 3600},
                                          .jitter = 0.1,
                                          .max_attempts = 3};

/** Page fetches in flight at once, each to a different host. */
inline constexpr int k_max_page_fetches = 4;

/** The product token robots.txt rules are matched against. */
inline constexpr const char* k_robots_agent = "trendd";

/** What the reading stage did since the process started (metrics). */
struct PageStats {
    std::array<std::int64_t, store::k_page_outcomes.size()> by_outcome{}; ///< attempts
    std::int64_t bytes = 0;          ///< page bodies received, decompressed
    std::int64_t robots_fetches = 0; ///< robots.txt requests
    std::int64_t extractions = 0;
    double extraction_seconds = 0; ///< time spent in extract::extract, on the worker thread
};

/** One page read outside the queue (trendctl extract URL): what the daemon would make of it. */
struct PageReading {
    store::PageOutcome outcome = store::PageOutcome::network_error;
    std::string error;                       ///< why it is not an article
    fetch::Response response;                ///< the page's response
    std::optional<extract::Article> article; ///< when the page was fetched and extracted
};

/** The request for a page under the configuration: the user agent, [enrich] caps and
 *  timeouts, http(s) only, private addresses refused unless allowed. */
[[nodiscard]] fetch::Request page_request(const std::string& url, const config::Config& config);

/**
 * Reads one page now with the daemon's rules (robots.txt for trendd first, page_request,
 * extraction on the loop); stores nothing. `done` runs on the loop. For `trendctl extract URL`.
 */
void read_page_now(fetch::HttpClient& http, const config::Config& config, const std::string& url,
                   std::function<void(PageReading)> done);

/**
 * The reading stage: the page jobs of the database (queued with their draft job, Store::
 * queue_draft) fetched politely and extracted.
 *
 * - At most k_max_page_fetches fetches at once, each host one at a time and
 *   [enrich] per_host_spacing apart (HostPacer), on the loop's HttpClient.
 * - robots.txt is read once per origin and kept (in memory and in the robots table) as
 *   fetch::robots_answer says; a disallowed page is recorded as such and never fetched.
 * - Private addresses are refused unless [enrich] allow_private_addresses.
 * - The extraction (extract::extract, pure), the body's SHA-256 and the HTML's compression run
 *   on one worker thread, so a large page never holds the loop; the result is posted back.
 * - Each attempt's result is one transaction through the WriteQueue; failures are retried under
 *   k_page_retry. A crash leaves the page 'fetching': the owner queues it again at start.
 *
 * Lives on the io_context thread (except the worker); not thread-safe.
 */
class PageReader final {
    struct Job;
    struct CachedRobots {
        fetch::RobotsState state = fetch::RobotsState::unreachable;
        fetch::Robots robots;
        Timestamp expires_at{};
    };

    boost::asio::io_context& m_io;
    fetch::HttpClient& m_http;
    store::Store& m_store;
    WriteQueue& m_writes;
    const config::Config& m_config;
    const Clock& m_clock;
    std::function<void()> m_on_page_done;
    HostPacer m_pacer;
    boost::asio::steady_timer m_timer;
    boost::asio::thread_pool m_worker{1};
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::map<std::string, CachedRobots> m_robots; ///< by origin
    std::set<std::string> m_busy_hosts;           ///< a job (fetch, extraction, write) in flight
    int m_active = 0;                             ///< jobs and robots.txt fetches in flight
    std::optional<store::Id> m_only;              ///< only the pages of this draft job
    std::optional<Instant> m_next_wake;
    PageStats m_stats;
    bool m_stopped = false;

public:
    /** `on_page_done` runs after each page's result is stored (a draft may be ready). */
    PageReader(boost::asio::io_context& io, fetch::HttpClient& http, store::Store& store,
               WriteQueue& writes, const config::Config& config, const Clock& clock,
               std::function<void()> on_page_done);
    ~PageReader();
    PageReader(const PageReader&) = delete;
    PageReader& operator=(const PageReader&) = delete;

    /** [enrich] enabled. */
    [[nodiscard]] bool enabled() const noexcept { return m_config.enrich.enabled; }
    /** Something is in flight: a fetch, an extraction or a write; it calls back when done. */
    [[nodiscard]] bool busy() const noexcept { return m_active > 0; }
    /** When a page could start next (a retry, a host's spacing), if anything waits. */
    [[nodiscard]] std::optional<Instant> next_wake() const noexcept { return m_next_wake; }
    [[nodiscard]] const PageStats& stats() const noexcept { return m_stats; }
    /** When the next queued page (of restrict_to's job) is due, if any; nullopt when off. */
    [[nodiscard]] std::optional<Timestamp> next_due();

    /** Only the pages of this draft job from now on (trendctl draft). */
    void restrict_to(store::Id draft_id) { m_only = draft_id; }

    /** Starts whatever is due and the limits allow; arms a timer for what is not yet. */
    void pump();

    /** Shutdown: nothing new starts; fetches in flight end with their cancellation (their
     *  pages stay 'fetching' and are queued again at the next start). */
    void stop();

private:
    /** The robots.txt answer for an origin if one is known and fresh (memory, then the
     *  database). */
    const CachedRobots* known_robots(const std::string& origin, Timestamp now);
    void fetch_robots(const std::string& origin, const std::string& host);
    /** Claims and starts a page whose origin's robots.txt is known. */
    void start_page(const store::PageCandidate& c, const CachedRobots* robots);
    void on_fetched(std::shared_ptr<Job> job, fetch::Response r);
    void on_extracted(std::shared_ptr<Job> job);
    /** Stores an attempt's result (one transaction), then frees the job's slot. */
    void record(std::shared_ptr<Job> job);
    void arm();
};

} // namespace trend::pipeline
