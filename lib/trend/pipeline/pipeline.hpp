// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/pipeline/backlog.hpp"
#include "trend/pipeline/draft_worker.hpp"
#include "trend/pipeline/ingest.hpp"
#include "trend/pipeline/notifier.hpp"
#include "trend/pipeline/page_reader.hpp"
#include "trend/pipeline/poller.hpp"
#include "trend/pipeline/write_queue.hpp"
#include "trend/store/store.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <optional>

namespace trend::pipeline {

/** What kind of program runs the pipeline. */
struct PipelineOptions {
    /** The owner of the queues (trendd, trendd --once, a backtest) puts jobs a crash left
     *  'drafting' back in the queue and removes the temp files of interrupted draft writes at
     *  start. A guest (trendctl draft) must not: the owner may be working on them. */
    bool owner = true;
    /** Without the network there is no HTTP client: built-in drafting only, no webhook, no
     *  polling (a backtest). */
    bool network = true;
    store::Durability durability = store::Durability::normal;
    /** How long a statement waits for another connection's lock. The daemon's loop waits a
     *  few milliseconds and retries later (WriteQueue); a command can afford to wait. */
    std::chrono::milliseconds busy_timeout{5000};
};

/** The daemon's busy timeout: no step of the loop sits in SQLite's busy wait for long. */
inline constexpr std::chrono::milliseconds k_loop_busy_timeout{20};

/**
 * The object graph every program runs, wired in one place: the database, the HTTP client on
 * the caller's loop, and the stages poll -> ingest (detect) -> draft -> notify, with the
 * Backlog driving the queues. trendd's Service, `trendd --once`, `trendctl draft` and the
 * backtest all build one of these.
 *
 * The pipeline owns its configuration (the stages refer to it); reconfigure() swaps in a new
 * one in place. Lives on the io_context thread; not thread-safe.
 */
class Pipeline final {
    config::Config m_config;
    const Clock& m_clock;
    store::Store m_store;
    WriteQueue m_writes;
    Ingestor m_ingestor;
    std::unique_ptr<fetch::HttpClient> m_http; ///< null without the network
    std::optional<Poller> m_poller;
    DraftWorker m_drafts;
    std::optional<Notifier> m_notifier;
    std::optional<PageReader> m_pages;
    Backlog m_backlog;

public:
    /** Opens (creating and migrating) the configured database. `on_progress` is called after
     *  each draft job (the daemon updates its status line). Throws store::DatabaseError. */
    Pipeline(boost::asio::io_context& io, config::Config config, const Clock& clock,
             PipelineOptions options = {}, std::function<void()> on_progress = {});
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    [[nodiscard]] const config::Config& config() const noexcept { return m_config; }
    [[nodiscard]] store::Store& store() noexcept { return m_store; }
    [[nodiscard]] Ingestor& ingestor() noexcept { return m_ingestor; }
    [[nodiscard]] DraftWorker& drafts() noexcept { return m_drafts; }
    /** The reading stage, when there is a network (metrics). */
    [[nodiscard]] const PageReader* pages() const noexcept { return m_pages ? &*m_pages : nullptr; }
    /** Writes waiting for a locked database (status and metrics). */
    [[nodiscard]] const WriteQueue& writes() const noexcept { return m_writes; }

    /** Takes a new configuration: rules, feeds (rows created, removed ones disabled), drafter
     *  and webhook settings. The database stays the one opened at construction. */
    void reconfigure(config::Config next);

    /** Polls a configured feed; `done` runs on the loop once the poll is recorded. Needs the
     *  network. */
    void poll(const config::FeedConfig& feed, std::function<void(PollSummary)> done);

    /** Runs whatever draft and webhook jobs are due (after a poll queued some). */
    void kick() { m_backlog.kick(); }

    /** Runs the queues until nothing is due within `horizon` (`only`: just that draft job),
     *  then calls `settled` (trendd --once, trendctl draft). */
    void drain(Seconds horizon, std::function<void()> settled,
               std::optional<store::Id> only = std::nullopt) {
        m_backlog.drain(horizon, std::move(settled), only);
    }

    /** Shutdown: no new job starts, every transfer in flight is cancelled (a cancelled
     *  transfer is never recorded as a failure) and writes still waiting for a locked
     *  database are dropped (logged; their jobs are redone after the restart). */
    void stop();
};

} // namespace trend::pipeline
