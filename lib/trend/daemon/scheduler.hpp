// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/pipeline/fetch_limiter.hpp"
#include "trend/pipeline/poller.hpp"
#include "trend/pipeline/retry.hpp"
#include "trend/store/queries.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trend::daemon {

/** One feed as the scheduler sees it; also what `status` shows of it. */
struct FeedSchedule {
    enum class State {
        scheduled, ///< waiting for `due`
        waiting,   ///< due, held by the concurrency limits
        polling,   ///< its transfer or its recording is in progress
    };

    config::FeedConfig feed;
    std::string host; ///< what the per-host limit counts ("" for file://)
    State state = State::scheduled;
    Instant due{};    ///< when it polls next, while scheduled
    std::optional<Timestamp> last_poll_at;
    std::optional<Timestamp> last_success_at;
    std::string last_outcome; ///< PollSummary::outcome_name(), "" before the first poll
    std::string last_error;
    int last_items = 0;
    int failures_in_row = 0;
    std::optional<Seconds> last_retry_after; ///< what the server last asked for
    Seconds backoff{0};                      ///< the current wait while failing, 0 when healthy
    std::map<std::string, long long> polls_by_outcome; ///< since this process started
};

/** The backoff of a feed: after the n-th failure in a row it waits
 *  min(max(interval, 1m) * 2^(n-1), backoff_max), never less than its interval, +-10%, and
 *  never less than the server's Retry-After (itself honoured up to backoff_max). */
[[nodiscard]] pipeline::RetryPolicy feed_retry_policy(Seconds interval, Seconds backoff_max);

/**
 * When each feed polls next: the first polls spread over up to 30 s, then every interval
 * +-10%, failing feeds backing off (feed_retry_policy), and at most max_concurrent_fetches
 * polls at once, max_fetches_per_host per host (FIFO).
 *
 * Backoff survives restarts and reloads: a feed the scheduler does not know yet (at start, or
 * added back by a reload) takes its failures in a row and its server's last Retry-After from
 * the database (`History`), so a restart loop never polls sooner than a server asked. A
 * changed interval reschedules from the last poll, and never sooner than a Retry-After.
 *
 * Pure bookkeeping on an injected clock and random source: no I/O and no timers. The service
 * arms one timer for next_due() and starts what take_due() returns. Not thread-safe.
 */
class Scheduler final {
public:
    /** A feed's recent polls, by feed name (store::feed_poll_state). */
    using History = std::function<store::FeedPollState(const std::string& feed)>;

    Scheduler(const Clock& clock, std::function<double()> random_unit);

    /** Adopts the enabled feeds of `config` and its limits. New feeds read their `history`.
     *  At `start` first polls are spread over up to 30 s (or the interval, if shorter); a feed
     *  a reload adds polls at once; either way not before its backoff allows. Removed feeds
     *  are forgotten (a poll in flight still ends through finished()). */
    void configure(const config::Config& config, const History& history, bool start);

    /** The feeds to poll now, in order: those the limits held, then those whose time has
     *  come. They are marked polling; each must end with finished(). */
    [[nodiscard]] std::vector<std::string> take_due();

    /** Asks for a poll of `name` as soon as the limits allow (trendctl poll: the operator's
     *  request does not wait for a backoff). False when no enabled feed has that name. */
    bool poll_soon(const std::string& name);

    /** A poll ended (or could not start: pass a not_stored summary with the error). Frees
     *  its slot and schedules the next poll. Returns the wait until then; nullopt for a feed
     *  removed meanwhile. */
    std::optional<Seconds> finished(const std::string& name, const pipeline::PollSummary& s);

    /** The earliest time a scheduled feed is due, if any. */
    [[nodiscard]] std::optional<Instant> next_due() const;

    [[nodiscard]] const std::map<std::string, FeedSchedule>& feeds() const noexcept {
        return m_feeds;
    }
    [[nodiscard]] const FeedSchedule* find(const std::string& name) const;
    [[nodiscard]] int active() const noexcept { return m_limiter.active(); }
    [[nodiscard]] std::size_t waiting() const noexcept { return m_limiter.waiting(); }

private:
    void adopt(const config::FeedConfig& f, const History& history, bool spread);
    /** The wait after a poll of `st`: its interval +-10% after a success, else its backoff. */
    [[nodiscard]] Seconds delay_after(const FeedSchedule& st, bool success);

    const Clock& m_clock;
    std::function<double()> m_random;
    Seconds m_backoff_max{6 * 3600};
    pipeline::FetchLimiter m_limiter{16, 4};
    std::map<std::string, FeedSchedule> m_feeds;
    std::map<std::string, std::string> m_in_flight; ///< feed -> host its slot was taken for
};

} // namespace trend::daemon
