// SPDX-License-Identifier: MIT
#include "trend/replay/backtest.hpp"

#include "trend/pipeline/draft_worker.hpp"
#include "trend/pipeline/ingest.hpp"
#include "trend/feed/parser.hpp"
#include "trend/feed/traffic.hpp"
#include "trend/util/fs.hpp"
#include "trend/util/json.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <variant>

#include <zlib.h>

namespace trend::replay {

namespace fs = std::filesystem;

namespace {

/** Feeds of the replay, created on first use. */
class ReplayFeeds {
    store::Store& m_store;
    std::map<std::string, pipeline::FeedRef> m_refs;

public:
    explicit ReplayFeeds(store::Store& s) : m_store(s) {}

    const pipeline::FeedRef& get(const std::string& name, const std::string& geo, const std::string& origin,
                       Timestamp now) {
        auto it = m_refs.find(name);
        if (it != m_refs.end())
            return it->second;
        config::FeedConfig f;
        f.name = name;
        f.type = "replay";
        f.url = "file://" + origin;
        f.geo = geo;
        const store::Id id = m_store.sync_feed(f, now);
        return m_refs.emplace(name, pipeline::FeedRef{id, name, geo}).first->second;
    }
};

void ingest_snapshot(pipeline::Ingestor& ingestor, const pipeline::FeedRef& feed, const feed::Snapshot& snap,
                     BacktestResult& result) {
    store::PollRecord poll;
    poll.feed_id = feed.id;
    poll.started_at = snap.fetched_at;
    poll.items = static_cast<int>(snap.items.size());
    poll.outcome = "ok";
    ingestor.record(feed, poll, &snap, nullptr, snap.fetched_at);
    ++result.snapshots;
    result.observations += static_cast<long long>(snap.items.size());
}

struct SnapshotFile {
    Timestamp at;
    fs::path path;
    std::string feed;
};

void replay_snapshots(const fs::path& dir, store::Store& store, pipeline::Ingestor& ingestor,
                      BacktestResult& result) {
    if (!fs::is_directory(dir))
        throw BacktestError(fmt::format("{}: not a directory", dir.string()));
    std::vector<SnapshotFile> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file())
            continue;
        const auto at = capture_time_of(e.path());
        if (!at)
            continue;
        const fs::path rel = fs::relative(e.path().parent_path(), dir);
        files.push_back({*at, e.path(), rel.empty() || rel == "." ? "snapshots" : rel.string()});
    }
    if (files.empty())
        throw BacktestError(fmt::format("{}: no snapshot files named like "
                                        "2025-11-03T14-00-00Z.xml",
                                        dir.string()));
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
        return std::tie(a.at, a.feed, a.path) < std::tie(b.at, b.feed, b.path);
    });
    ReplayFeeds feeds(store);
    for (const SnapshotFile& f : files) {
        feed::ParseContext ctx;
        ctx.fetched_at = f.at;
        auto parsed = feed::parse_google_trends_rss(util::read_file(f.path), ctx);
        if (auto* err = std::get_if<feed::ParseError>(&parsed))
            throw BacktestError(fmt::format("{}: {}", f.path.string(), err->message));
        const auto& snap = std::get<feed::Snapshot>(parsed);
        ingest_snapshot(ingestor, feeds.get(f.feed, snap.geo, dir.string(), f.at), snap, result);
    }
}

/** Reads lines of a plain or gzip file (zlib reads both). */
class LineReader {
    gzFile m_file;
    std::string m_line;

public:
    explicit LineReader(const fs::path& path) : m_file(gzopen(path.c_str(), "rb")) {
        if (m_file == nullptr)
            throw BacktestError(fmt::format("{}: cannot open", path.string()));
        gzbuffer(m_file, 1 << 17);
    }
    ~LineReader() { gzclose(m_file); }
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    const std::string* next() {
        m_line.clear();
        char buf[8192];
        while (gzgets(m_file, buf, sizeof buf) != nullptr) {
            m_line += buf;
            if (!m_line.empty() && m_line.back() == '\n') {
                m_line.pop_back();
                return &m_line;
            }
        }
        return m_line.empty() ? nullptr : &m_line;
    }
};

void replay_observations(const fs::path& path, store::Store& store, pipeline::Ingestor& ingestor,
                         BacktestResult& result) {
    LineReader in(path);
    ReplayFeeds feeds(store);
    feed::Snapshot snap;
    std::string group_key;
    auto flush = [&] {
        if (!snap.items.empty())
            ingest_snapshot(
                ingestor, feeds.get("series-" + snap.geo, snap.geo, path.string(), snap.fetched_at),
                snap, result);
        snap.items.clear();
    };
    long long line_no = 0;
    while (const std::string* line = in.next()) {
        ++line_no;
        if (line->empty())
            continue;
        rapidjson::Document d;
        d.Parse(line->data(), line->size());
        if (d.HasParseError() || !d.IsObject())
            throw BacktestError(fmt::format("{}:{}: not a JSON object", path.string(), line_no));
        const std::string observed = json::string_member(d, "observed_at");
        const auto at = parse_iso(observed);
        const std::string term =
            text::collapse_whitespace(text::repair_utf8(json::string_member(d, "term")));
        if (!at || term.empty())
            throw BacktestError(fmt::format("{}:{}: needs \"observed_at\" (ISO time) and \"term\"",
                                            path.string(), line_no));
        const std::string geo = json::string_member(d, "geo");
        if (observed + "|" + geo != group_key) {
            flush();
            group_key = observed + "|" + geo;
            snap.geo = geo;
            snap.fetched_at = *at;
        }
        feed::Item item;
        item.term = term;
        item.traffic.label = json::string_member(d, "traffic_label");
        item.traffic.value = feed::parse_traffic(item.traffic.label);
        item.started_at = parse_iso(json::string_member(d, "started_at"));
        const auto rank = d.FindMember("rank");
        item.rank = rank != d.MemberEnd() && rank->value.IsInt()
                        ? rank->value.GetInt()
                        : static_cast<int>(snap.items.size() + 1);
        snap.items.push_back(std::move(item));
    }
    flush();
}

} // namespace

std::optional<Timestamp> capture_time_of(const fs::path& file) {
    std::string stem = file.filename().string();
    stem = stem.substr(0, stem.find('.'));
    if (stem.size() != 20 || stem[10] != 'T')
        return std::nullopt;
    if (stem[13] == '-')
        stem[13] = ':';
    if (stem[16] == '-')
        stem[16] = ':';
    return parse_iso(stem);
}

BacktestResult run_backtest(const config::Config& config, const BacktestOptions& options) {
    if (options.snapshots.empty() == options.observations.empty())
        throw BacktestError("give either --snapshots DIR or --observations FILE");
    const auto started = std::chrono::steady_clock::now();
    BacktestResult result;
    store::Store store(options.database);
    // A replay database is scratch: durability is not worth an fsync per snapshot.
    store.db().exec("PRAGMA synchronous = OFF");
    pipeline::Ingestor ingestor(store, detect::compile_rules(config.rules));
    if (!options.snapshots.empty())
        replay_snapshots(options.snapshots, store, ingestor, result);
    else
        replay_observations(options.observations, store, ingestor, result);

    if (!options.drafts_dir.empty()) {
        config::Config c = config;
        c.daemon.drafts_dir = options.drafts_dir;
        SystemClock clock;
        pipeline::DraftWorker worker(store, c, clock);
        const pipeline::DraftRun run = worker.run_pending();
        result.drafts_written = run.written;
        result.drafts_failed = run.failed;
    }
    result.spikes = store::select(
        store.db(), "SELECT s.detected_at, s.rule, t.display AS term, s.geo, s.traffic_label, "
                    "s.previous_traffic, s.status, s.reason, d.slug AS draft_slug, d.status "
                    "AS draft_status FROM spikes s JOIN terms t ON t.id = s.term_id "
                    "LEFT JOIN drafts d ON d.spike_id = s.id ORDER BY s.detected_at, s.id");
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace trend::replay
