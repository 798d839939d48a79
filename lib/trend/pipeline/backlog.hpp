// SPDX-License-Identifier: MIT
#pragma once

#include "trend/pipeline/draft_worker.hpp"
#include "trend/pipeline/notifier.hpp"
#include "trend/pipeline/page_reader.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <optional>

namespace trend::pipeline {

/**
 * Drives the queues of the database on the loop: page fetches (PageReader, several hosts at
 * once, its own timer), draft jobs and webhook deliveries (one job at a time each, so a slow
 * webhook never delays drafting); when nothing is due a timer wakes it for the next retry.
 * A page that is stored kicks the drafts (a draft may have been waiting for it). Lives on the
 * io_context thread.
 */
class Backlog final {
    boost::asio::io_context& m_io;
    boost::asio::steady_timer m_timer;
    store::Store& m_store;
    DraftWorker& m_drafts;
    Notifier* m_notifier;
    PageReader* m_pages = nullptr;
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
    /** The reading stage, when there is a network. */
    void set_pages(PageReader* pages) noexcept { m_pages = pages; }

    /** Runs whatever is due now (call after a poll queued drafts). */
    void kick();

    /** For `trendd --once` and `trendctl draft`: keep going while a job is due within
     *  `horizon`, then call `on_settled` (once nothing runs and nothing is due that soon).
     *  With `only`, just that draft job and its pages (no webhooks: the daemon delivers
     *  them). Pages being fetched, or due within `horizon`, keep it going. */
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
