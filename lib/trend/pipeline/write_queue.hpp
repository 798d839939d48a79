// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <functional>
#include <optional>
#include <string>

namespace trend::pipeline {

/**
 * Writes that must not be lost but may have to wait.
 *
 * The daemon's connection gives up on another connection's lock after a few milliseconds, so
 * the loop never sits in SQLite's busy wait (an analyst holding a write transaction must not
 * stall polling, drafting or `trendctl status`). A write that meets a locked database is kept
 * and tried again on the loop (0.1 s, doubling to 2 s), until it commits: a busy database
 * delays the write, not the daemon, and nothing is lost.
 *
 * Writes run in submission order: a write waits behind the ones submitted before it, so a
 * poll is never recorded before the feeds row it belongs to, nor a draft before its slug.
 * Each write is one transaction that rolls back when it throws; what must happen after it
 * commits goes in `then`, which runs once. A write that fails for another reason (a full disk,
 * a constraint) is not retried: `failed` gets the exception (or it is logged). An exception
 * from `then` or `failed` is logged; the writes behind it still run.
 *
 * Lives on the io_context thread; not thread-safe.
 */
class WriteQueue final {
public:
    using Failed = std::function<void(const std::exception&)>;

    explicit WriteQueue(boost::asio::io_context& io);

    /** Runs `write` now when no write waits, else after those that wait. `what` names it in
     *  log lines ("record the poll of feed us"). */
    void submit(std::string what, std::function<void()> write, std::function<void()> then = {},
                Failed failed = {});

    /** Writes waiting for the database. */
    [[nodiscard]] std::size_t pending() const noexcept { return m_queue.size(); }
    /** Since when the oldest waiting write has been waiting, if one is. */
    [[nodiscard]] std::optional<Timestamp> waiting_since() const;

    /** Shutdown: the writes still waiting are dropped (and counted in the log). */
    void stop();

private:
    struct Entry {
        std::string what;
        std::function<void()> write;
        std::function<void()> then;
        Failed failed;
        std::optional<Timestamp> busy_since;
        bool warned = false;
    };

    void drain();
    void retry_later();

    boost::asio::steady_timer m_timer;
    std::deque<Entry> m_queue;
    std::chrono::milliseconds m_backoff{0};
    bool m_draining = false;
    bool m_stopped = false;
};

} // namespace trend::pipeline
