// SPDX-License-Identifier: MIT
#include "trend/daemon/scheduler.hpp"

#include "trend/util/url.hpp"

#include <algorithm>
#include <cmath>

namespace trend::daemon {

namespace {

/** First polls are spread over this much (or the feed's interval, if shorter). */
constexpr double k_first_spread_s = 30;

/** A healthy feed waits its interval +- this fraction. */
constexpr double k_jitter = 0.1;

Seconds jittered(Seconds interval, double unit) {
    const double s = static_cast<double>(interval.count()) * (1 - k_jitter + 2 * k_jitter * unit);
    return Seconds{std::max<long long>(1, std::llround(s))};
}

} // namespace

pipeline::RetryPolicy feed_retry_policy(Seconds interval, Seconds backoff_max) {
    return {.first = std::max(interval, Seconds{60}),
            .max = backoff_max,
            .retry_after_max = backoff_max,
            .floor = interval,
            .jitter = k_jitter};
}

Scheduler::Scheduler(const Clock& clock, std::function<double()> random_unit)
    : m_clock(clock), m_random(std::move(random_unit)) {}

void Scheduler::configure(const config::Config& config, const History& history, bool start) {
    m_backoff_max = config.daemon.backoff_max;
    m_limiter.set_limits(config.daemon.max_concurrent_fetches,
                         config.daemon.max_fetches_per_host);
    for (auto it = m_feeds.begin(); it != m_feeds.end();) {
        const bool kept = std::any_of(config.feeds.begin(), config.feeds.end(), [&](const auto& f) {
            return f.enabled && f.name == it->first;
        });
        if (kept) {
            ++it;
            continue;
        }
        m_limiter.forget(it->first); // a poll in flight still ends through finished()
        it = m_feeds.erase(it);
    }
    for (const config::FeedConfig& f : config.feeds) {
        if (!f.enabled)
            continue;
        const auto it = m_feeds.find(f.name);
        if (it == m_feeds.end()) {
            adopt(f, history, start);
            continue;
        }
        FeedSchedule& st = it->second;
        const config::FeedConfig old = std::exchange(st.feed, f);
        st.host = util::url_host(f.url);
        if (st.state != FeedSchedule::State::scheduled)
            continue; // the next schedule is made when its poll ends
        if (old.url != f.url) {
            // Another resource: what the old one's server said does not apply to it.
            st.failures_in_row = 0;
            st.last_retry_after.reset();
            st.backoff = Seconds{0};
            st.due = m_clock.precise_now();
        } else if (old.interval != f.interval && st.last_poll_at) {
            // From the last poll on the new interval; a backoff keeps its Retry-After floor.
            st.due = std::max(m_clock.precise_now(),
                              Instant{*st.last_poll_at + delay_after(st, st.failures_in_row == 0)});
        }
    }
}

void Scheduler::adopt(const config::FeedConfig& f, const History& history, bool spread) {
    FeedSchedule st;
    st.feed = f;
    st.host = util::url_host(f.url);
    const double window = std::min(k_first_spread_s, static_cast<double>(f.interval.count()));
    st.due = m_clock.precise_now() +
             std::chrono::milliseconds{spread ? std::llround(window * 1000 * m_random()) : 0};
    if (history) {
        const store::FeedPollState h = history(f.name);
        st.last_poll_at = h.last_poll_at;
        st.last_success_at = h.last_success_at;
        st.failures_in_row = h.failures_in_row;
        st.last_retry_after = h.last_retry_after;
        st.last_items = h.last_items;
        st.last_error = h.last_error;
        if (h.last_outcome)
            st.last_outcome = fetch::to_string(*h.last_outcome);
        if (st.failures_in_row > 0 && st.last_poll_at) {
            // The wait the last failure earned, at the low end of its jitter: never sooner
            // than the server's Retry-After.
            const pipeline::RetryPolicy p = feed_retry_policy(f.interval, m_backoff_max);
            st.backoff = p.delay(st.failures_in_row, st.last_retry_after, 0.0);
            st.due = std::max(st.due, Instant{*st.last_poll_at + st.backoff});
        }
    }
    m_feeds.insert_or_assign(f.name, std::move(st));
}

Seconds Scheduler::delay_after(const FeedSchedule& st, bool success) {
    if (success)
        return jittered(st.feed.interval, m_random());
    return feed_retry_policy(st.feed.interval, m_backoff_max)
        .delay(st.failures_in_row, st.last_retry_after, m_random());
}

std::vector<std::string> Scheduler::take_due() {
    std::vector<std::string> out;
    auto start = [&](const std::string& name, const std::string& host) {
        FeedSchedule& st = m_feeds.at(name);
        st.state = FeedSchedule::State::polling;
        m_in_flight[name] = host;
        out.push_back(name);
    };
    // First the polls the limits held (FIFO), then those whose time has come, earliest first.
    while (const auto next = m_limiter.next()) {
        if (m_feeds.count(next->first) == 0 || m_in_flight.count(next->first) != 0) {
            m_limiter.release(next->second);
            continue;
        }
        start(next->first, next->second);
    }
    const Instant now = m_clock.precise_now();
    std::vector<FeedSchedule*> due;
    for (auto& [name, st] : m_feeds)
        if (st.state == FeedSchedule::State::scheduled && st.due <= now &&
            m_in_flight.count(name) == 0)
            due.push_back(&st);
    std::sort(due.begin(), due.end(), [](const FeedSchedule* a, const FeedSchedule* b) {
        return std::tie(a->due, a->feed.name) < std::tie(b->due, b->feed.name);
    });
    for (FeedSchedule* st : due) {
        if (m_limiter.acquire(st->feed.name, st->host))
            start(st->feed.name, st->host);
        else
            st->state = FeedSchedule::State::waiting;
    }
    return out;
}

bool Scheduler::poll_soon(const std::string& name) {
    const auto it = m_feeds.find(name);
    if (it == m_feeds.end())
        return false;
    if (it->second.state == FeedSchedule::State::scheduled)
        it->second.due = m_clock.precise_now();
    return true;
}

std::optional<Seconds> Scheduler::finished(const std::string& name,
                                           const pipeline::PollSummary& s) {
    if (const auto slot = m_in_flight.find(name); slot != m_in_flight.end()) {
        m_limiter.release(slot->second);
        m_in_flight.erase(slot);
    }
    const auto it = m_feeds.find(name);
    if (it == m_feeds.end())
        return std::nullopt; // removed by a reload while it polled
    FeedSchedule& st = it->second;
    st.state = FeedSchedule::State::scheduled;
    ++st.polls_by_outcome[std::string(s.outcome_name())];
    if (s.end != pipeline::PollEnd::cancelled) {
        st.last_poll_at = m_clock.now();
        st.last_outcome = s.outcome_name();
        st.last_error = s.error;
        st.last_items = s.items;
        st.last_retry_after = s.retry_after;
        st.failures_in_row = s.succeeded() ? 0 : st.failures_in_row + 1;
        if (s.succeeded())
            st.last_success_at = st.last_poll_at;
    }
    const bool healthy = st.failures_in_row == 0;
    const Seconds delay = delay_after(st, healthy);
    st.backoff = healthy ? Seconds{0} : delay;
    st.due = m_clock.precise_now() + delay;
    return delay;
}

std::optional<Instant> Scheduler::next_due() const {
    std::optional<Instant> next;
    for (const auto& [name, st] : m_feeds)
        if (st.state == FeedSchedule::State::scheduled && (!next || st.due < *next))
            next = st.due;
    return next;
}

const FeedSchedule* Scheduler::find(const std::string& name) const {
    const auto it = m_feeds.find(name);
    return it == m_feeds.end() ? nullptr : &it->second;
}

} // namespace trend::daemon
