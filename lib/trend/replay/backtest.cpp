// SPDX-License-Identifier: MIT
#include "trend/replay/backtest.hpp"

#include "trend/feed/parser.hpp"
#include "trend/pipeline/pipeline.hpp"
#include "trend/util/fs.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <chrono>
#include <map>
#include <utility>
#include <variant>
#include <vector>

namespace trend::replay {

namespace fs = std::filesystem;

namespace {

/** Snapshots per transaction: a commit per snapshot would cost more than the snapshot. */
constexpr std::size_t k_batch = 4096;

/** The replay's feeds, created on first use, and the ingestion of their snapshots, recorded
 *  k_batch at a time in one transaction each. */
class Replay {
    store::Store& m_store;
    pipeline::Ingestor& m_ingestor;
    std::map<std::string, pipeline::FeedRef> m_feeds;
    BacktestResult& m_result;
    std::vector<std::pair<const pipeline::FeedRef*, feed::Snapshot>> m_pending;

public:
    Replay(pipeline::Pipeline& p, BacktestResult& result)
        : m_store(p.store()), m_ingestor(p.ingestor()), m_result(result) {
        m_pending.reserve(k_batch);
    }

    /** Records `snap` as a poll of feed `name` at its capture time (by flush() at the
     *  latest). */
    void ingest(const std::string& name, const std::string& origin, feed::Snapshot snap) {
        const pipeline::FeedRef& ref = feed(name, snap.geo, origin, snap.fetched_at);
        m_pending.emplace_back(&ref, std::move(snap));
        if (m_pending.size() >= k_batch)
            flush();
    }

    /** Records the snapshots ingested so far. */
    void flush() {
        if (m_pending.empty())
            return;
        std::vector<pipeline::PollInput> polls;
        polls.reserve(m_pending.size());
        for (const auto& [ref, snap] : m_pending) {
            pipeline::PollInput& in = polls.emplace_back();
            in.feed = *ref;
            in.poll.feed_id = ref->id;
            in.poll.started_at = snap.fetched_at;
            in.poll.items = static_cast<int>(snap.items.size());
            in.snapshot = &snap;
            in.now = snap.fetched_at;
        }
        m_ingestor.record_batch(polls);
        for (const auto& [ref, snap] : m_pending) {
            ++m_result.snapshots;
            m_result.observations += static_cast<long long>(snap.items.size());
        }
        m_pending.clear();
    }

private:
    const pipeline::FeedRef& feed(const std::string& name, const std::string& geo,
                                  const std::string& origin, Timestamp now) {
        auto it = m_feeds.find(name);
        if (it != m_feeds.end())
            return it->second;
        config::FeedConfig f;
        f.name = name;
        f.type = "replay";
        f.url = "file://" + origin;
        f.geo = geo;
        const store::Id id = m_store.sync_feed(f, now);
        // Recorded history is Google Trends: rules with `sources` see it as such.
        return m_feeds.emplace(name, pipeline::FeedRef{id, name, geo, "google-trends-rss"})
            .first->second;
    }
};

void replay_snapshots(const fs::path& dir, Replay& replay) {
    for (const SnapshotFile& f : snapshot_files(dir)) {
        feed::ParseContext ctx;
        ctx.fetched_at = f.at;
        auto parsed = feed::parse_google_trends_rss(util::read_file(f.path), ctx);
        if (auto* err = std::get_if<feed::ParseError>(&parsed)) {
            replay.flush(); // what came before stays recorded
            throw BacktestError(fmt::format("{}: {}", f.path.string(), err->message));
        }
        replay.ingest(f.feed, dir.string(), std::move(std::get<feed::Snapshot>(parsed)));
    }
}

void replay_observations(const fs::path& path, Replay& replay) {
    SeriesReader series(path);
    try {
        while (auto snap = series.next())
            replay.ingest("series-" + snap->geo, path.string(), std::move(*snap));
    } catch (const BacktestError&) {
        replay.flush(); // what came before stays recorded
        throw;
    }
}

} // namespace

BacktestResult run_backtest(const config::Config& config, const BacktestOptions& options) {
    if (options.snapshots.empty() == options.observations.empty())
        throw BacktestError("give either --snapshots DIR or --observations FILE");
    const auto started = std::chrono::steady_clock::now();
    BacktestResult result;
    config::Config c = config;
    c.daemon.database = options.database;
    c.daemon.drafts_dir = options.drafts_dir;
    c.feeds.clear(); // the replay's feeds come from the recorded history
    boost::asio::io_context io;
    SystemClock clock;
    // A replay database is scratch: durability is not worth an fsync per snapshot.
    pipeline::Pipeline p(
        io, std::move(c), clock,
        {.owner = true, .network = false, .durability = store::Durability::scratch});
    Replay replay(p, result);
    if (!options.snapshots.empty())
        replay_snapshots(options.snapshots, replay);
    else
        replay_observations(options.observations, replay);
    replay.flush();
    if (!options.drafts_dir.empty()) {
        const pipeline::DraftRun run = p.drafts().run_pending();
        result.drafts_written = run.written;
        result.drafts_failed = run.failed;
    }
    result.spikes = p.store().spikes_with_drafts();
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace trend::replay
