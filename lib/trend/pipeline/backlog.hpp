// SPDX-License-Identifier: MIT
#pragma once

#include "trend/pipeline/draft_worker.hpp"
#include "trend/pipeline/notifier.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <optional>

namespace trend::pipeline {

/**
 * Drives the two queues of the database, draft jobs and webhook deliveries, on the loop: each
 * runs one job at a time (so a slow webhook never delays drafting), and when nothing is due a
 * timer wakes it for the next retry. Lives on the io_context thread.
 */
class Backlog final {
    boost::asio::io_context& m_io;
    boost::asio::steady_timer m_timer;
    store::Store& m_store;
    DraftWorker& m_drafts;
    Notifier* m_notifier;
    const Clock& m_clock;
    std::function<void()> m_on_progress;
    std::optional<Seconds> m_horizon; ///< drain mode: settle when nothing is due this soon
    std::function<void()> m_on_settled;
    std::optional<store::Id> m_only; ///< drain mode: just this draft job
    bool m_stopped = false;

public:
    Backlog(boost::asio::io_context& io, store::Store& store, DraftWorker& drafts,
            Notifier* notifier, const Clock& clock, std::function<void()> on_progress = {})
        : m_io(io), m_timer(io), m_store(store), m_drafts(drafts), m_notifier(notifier),
          m_clock(clock), m_on_progress(std::move(on_progress)) {}

    void set_notifier(Notifier* notifier) noexcept { m_notifier = notifier; }

    /** Runs whatever is due now (call after a poll queued drafts). */
    void kick();

    /** For `trendd --once` and `trendctl draft`: keep going while a job is due within
     *  `horizon`, then call `on_settled` (once nothing runs and nothing is due that soon).
     *  With `only`, just that draft job (and no webhooks: the daemon delivers them). */
    void drain(Seconds horizon, std::function<void()> on_settled,
               std::optional<store::Id> only = std::nullopt);

    /** Shutdown: nothing new starts; a job in flight ends with its transfer's cancellation. */
    void stop();

private:
    void pump_drafts();
    void pump_notifications();
    void arm();
};

} // namespace trend::pipeline
