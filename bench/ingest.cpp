// SPDX-License-Identifier: MIT
//
// bench_ingest: how fast trendd turns feed documents into rows.
//
// Builds a corpus of about --mb MB from the real samples in examples/feeds (every copy gets its
// own terms, news URLs and traffic, so the database grows as it would over days of polling),
// then measures
//   1. parsing alone (feed::parse_google_trends_rss),
//   2. parse + store through pipeline::Ingestor::record, one transaction per snapshot exactly as
//      the daemon does it, with no rules,
//   3. the same with one rule (min_traffic = 1000), so detection and spike/draft rows count.
// Each store run gets a fresh SQLite file with the daemon's settings (WAL, synchronous=NORMAL).
#include "trend/pipeline/ingest.hpp"

#include "machine.hpp"
#include "trend/config/config.hpp"
#include "trend/detect/rule.hpp"
#include "trend/feed/parser.hpp"
#include "trend/log/log.hpp"
#include "trend/store/store.hpp"
#include "trend/util/fs.hpp"
#include "trend/util/time.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace trend;

namespace {

constexpr double k_mb = 1e6; // MB = 10^6 bytes throughout

struct Options {
    double mb = 50;
    int repeat = 4; ///< consecutive polls in which each term variant appears
    fs::path samples = fs::path(TRENDD_SOURCE_DIR) / "examples" / "feeds";
    fs::path dir = fs::temp_directory_path();
    bool keep = false;
};

/** One bundled sample: a feed of the benchmark. */
struct Sample {
    std::string name; ///< feed name: the file's stem
    std::string body;
    std::string geo;
    store::Id feed_id = 0;
};

/** One document of the corpus: a poll of a sample's feed at `at`. */
struct Doc {
    std::size_t sample = 0;
    Timestamp at{};
    std::string body;
};

struct Corpus {
    std::vector<Sample> samples;
    std::vector<Doc> docs;
    std::size_t bytes = 0;
    int copies = 0;
};

[[noreturn]] void usage(int code) {
    fmt::print(code == 0 ? stdout : stderr,
               "usage: bench_ingest [--mb N] [--repeat N] [--samples DIR] [--dir DIR] [--keep]\n"
               "  --mb N        corpus size in MB (10^6 bytes), default 50\n"
               "  --repeat N    polls in a row in which each term variant appears, default 4\n"
               "  --samples DIR feed samples (*.xml), default examples/feeds\n"
               "  --dir DIR     where the scratch SQLite files go, default $TMPDIR or /tmp\n"
               "  --keep        keep the SQLite files\n");
    std::exit(code);
}

Options parse_args(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                usage(2);
            return argv[++i];
        };
        try {
            if (a == "--mb")
                o.mb = std::stod(value());
            else if (a == "--repeat")
                o.repeat = std::stoi(value());
            else if (a == "--samples")
                o.samples = value();
            else if (a == "--dir")
                o.dir = value();
            else if (a == "--keep")
                o.keep = true;
            else if (a == "-h" || a == "--help")
                usage(0);
            else
                usage(2);
        } catch (const std::logic_error&) {
            usage(2);
        }
    }
    if (!(o.mb > 0) || o.repeat < 1)
        usage(2);
    return o;
}

/** 12,345,678 */
std::string grouped(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

std::uint64_t mix(std::uint64_t x) { // splitmix64: deterministic, well spread
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/** Replaces the text of every <tag>...</tag> inside [from, to) of `s` by `f(old text)`;
 *  returns the change in length. */
template <typename F>
std::ptrdiff_t rewrite_elements(std::string& s, std::size_t from, std::size_t to,
                                std::string_view tag, F f) {
    const std::string open = fmt::format("<{}>", tag);
    const std::string close = fmt::format("</{}>", tag);
    std::ptrdiff_t delta = 0;
    std::size_t pos = from;
    while (true) {
        const std::size_t b = s.find(open, pos);
        if (b == std::string::npos || b >= to + delta)
            break;
        const std::size_t t = b + open.size();
        const std::size_t e = s.find(close, t);
        if (e == std::string::npos)
            break;
        const std::string replacement = f(std::string_view(s).substr(t, e - t));
        s.replace(t, e - t, replacement);
        delta +=
            static_cast<std::ptrdiff_t>(replacement.size()) - static_cast<std::ptrdiff_t>(e - t);
        pos = t + replacement.size() + close.size();
    }
    return delta;
}

/**
 * A copy of a sample whose items are new terms: every <title> of an <item> gets " #G", every
 * news URL "b=G" (G = copy / repeat, so a term lives `repeat` polls), and every traffic bucket
 * is drawn again, rising while the term lives, so some terms cross 1,000 and some never do.
 */
std::string vary(const std::string& body, int copy, int repeat, std::size_t sample) {
    static constexpr std::string_view k_buckets[] = {
        "100+",    "200+",    "500+",     "1,000+",   "2,000+",   "5,000+",    "10,000+",
        "20,000+", "50,000+", "100,000+", "200,000+", "500,000+", "1,000,000+"};
    constexpr int k_bucket_count = static_cast<int>(std::size(k_buckets));
    const int group = copy / repeat;
    const int age = copy % repeat;
    std::string out = body;
    std::size_t pos = 0;
    int item = 0;
    while (true) {
        const std::size_t b = out.find("<item>", pos);
        if (b == std::string::npos)
            break;
        std::size_t e = out.find("</item>", b);
        if (e == std::string::npos)
            break;
        const std::uint64_t h =
            mix((std::uint64_t(sample) << 40) ^ (std::uint64_t(group) << 8) ^ std::uint64_t(item));
        const int start = static_cast<int>(h % 7); // 100+ .. 10,000+ at first sight
        const bool rising = ((h >> 8) & 1) != 0;   // half the terms grow, half stay put
        const int bucket = std::min(start + (rising ? age : 0), k_bucket_count - 1);
        std::ptrdiff_t d = 0;
        // Only the item's own <title>: news titles are <ht:news_item_title>.
        d += rewrite_elements(out, b, e, "title", [&](std::string_view old) {
            return fmt::format("{} #{}", old, group);
        });
        d += rewrite_elements(out, b, e + d, "ht:approx_traffic",
                              [&](std::string_view) { return std::string(k_buckets[bucket]); });
        d += rewrite_elements(out, b, e + d, "ht:news_item_url", [&](std::string_view old) {
            return fmt::format("{}{}b={}", old,
                               old.find('?') == std::string_view::npos ? "?" : "&amp;", group);
        });
        e += d;
        pos = e + 7;
        ++item;
    }
    return out;
}

Corpus build_corpus(const Options& o) {
    Corpus c;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(o.samples))
        if (e.is_regular_file() && e.path().extension() == ".xml")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty())
        throw std::runtime_error(fmt::format("{}: no *.xml feed samples", o.samples.string()));
    for (const fs::path& f : files) {
        Sample s;
        s.name = f.stem().string();
        s.body = util::read_file(f);
        const auto parsed = feed::parse_google_trends_rss(s.body, {});
        if (const auto* err = std::get_if<feed::ParseError>(&parsed))
            throw std::runtime_error(fmt::format("{}: {}", f.string(), err->message));
        s.geo = std::get<feed::Snapshot>(parsed).geo;
        c.samples.push_back(std::move(s));
    }
    // One poll of every feed every 10 minutes, from a fixed start.
    const Timestamp start = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
    const auto target = static_cast<std::size_t>(o.mb * k_mb);
    while (c.bytes < target) {
        for (std::size_t i = 0; i < c.samples.size() && c.bytes < target; ++i) {
            Doc d{i, start + std::chrono::minutes{10} * c.copies,
                  vary(c.samples[i].body, c.copies, o.repeat, i)};
            c.bytes += d.body.size();
            c.docs.push_back(std::move(d));
        }
        ++c.copies;
    }
    return c;
}

/** Wall time and the process's CPU time: on a shared machine the CPU time is the figure that
 *  other processes do not distort (SQLite runs on our thread; WAL commits do not fsync). */
struct Timing {
    double wall = 0;
    double cpu = 0;
};

class Stopwatch {
    using Steady = std::chrono::steady_clock;
    Steady::time_point m_wall = Steady::now();
    double m_cpu = cpu_now();

    static double cpu_now() {
        timespec ts{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
    }

public:
    [[nodiscard]] Timing elapsed() const {
        return {std::chrono::duration<double>(Steady::now() - m_wall).count(), cpu_now() - m_cpu};
    }
};

feed::Snapshot parse_doc(const Corpus& c, const Doc& d) {
    feed::ParseContext ctx;
    ctx.fetched_at = d.at;
    auto parsed = feed::parse_google_trends_rss(d.body, ctx);
    if (auto* err = std::get_if<feed::ParseError>(&parsed))
        throw std::runtime_error(
            fmt::format("{} copy: {}", c.samples[d.sample].name, err->message));
    return std::move(std::get<feed::Snapshot>(parsed));
}

struct ParseRun {
    Timing time;
    std::uint64_t items = 0;
    std::uint64_t news = 0;
};

ParseRun run_parse(const Corpus& c) {
    // Warm up (page in the corpus, the allocator, pugixml's code) on one round of samples.
    for (std::size_t i = 0; i < std::min(c.docs.size(), c.samples.size()); ++i)
        (void)parse_doc(c, c.docs[i]);
    ParseRun r;
    const Stopwatch watch;
    for (const Doc& d : c.docs) {
        const feed::Snapshot s = parse_doc(c, d);
        r.items += s.items.size();
        for (const feed::Item& i : s.items)
            r.news += i.news.size();
    }
    r.time = watch.elapsed();
    return r;
}

struct StoreRun {
    Timing time;
    std::uint64_t snapshots = 0;
    std::uint64_t observations = 0;
    std::uint64_t spikes = 0;
    std::uint64_t drafts = 0;
    std::uintmax_t file_bytes = 0; ///< database file after close (WAL checkpointed)
    std::uintmax_t wal_peak = 0;   ///< -wal file just before close
};

std::uintmax_t size_or_zero(const fs::path& p) {
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : n;
}

StoreRun run_store(Corpus& c, const fs::path& db, std::vector<config::RuleConfig> rules) {
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(db.string() + suffix);
    StoreRun r;
    {
        store::Store st(db);
        for (Sample& s : c.samples) {
            config::FeedConfig f;
            f.name = s.name;
            f.type = "google-trends-rss";
            f.url = "file://" + s.name + ".xml";
            f.geo = s.geo;
            s.feed_id = st.sync_feed(f, c.docs.front().at);
        }
        pipeline::Ingestor ingestor(st, detect::compile_rules(rules));
        const Stopwatch watch;
        for (const Doc& d : c.docs) {
            const Sample& s = c.samples[d.sample];
            const feed::Snapshot snap = parse_doc(c, d);
            store::PollRecord poll;
            poll.feed_id = s.feed_id;
            poll.started_at = d.at;
            poll.http_status = 200;
            poll.bytes = static_cast<std::int64_t>(d.body.size());
            poll.items = static_cast<int>(snap.items.size());
            poll.outcome = fetch::Outcome::ok;
            const pipeline::IngestStats stats =
                ingestor.record({s.feed_id, s.name, s.geo, "google-trends-rss"}, poll, &snap, nullptr,
                                d.at);
            ++r.snapshots;
            r.observations += static_cast<std::uint64_t>(stats.observations);
            r.spikes += stats.spikes.size();
            r.drafts += stats.drafts.size();
        }
        r.time = watch.elapsed();
        r.wal_peak = size_or_zero(db.string() + "-wal");
    }
    r.file_bytes = size_or_zero(db);
    return r;
}

} // namespace

int main(int argc, char** argv) try {
    const Options o = parse_args(argc, argv);
    log::set_level(log::Level::warning); // one "spike ..." notice per spike would time the tty

#ifdef __OPTIMIZE__
    const char* optimised = "";
#else
    const char* optimised = "  (UNOPTIMISED BUILD: figures not representative)";
#endif
    fmt::print("bench_ingest  trendd {}  {} build{}\n", TRENDD_VERSION, TRENDD_BUILD_TYPE,
               optimised);
    fmt::print("machine       {} cores ({}), load average {}, SQLite {}\n",
               std::thread::hardware_concurrency(), bench::cpu_model(), bench::load_average(),
               SQLite::getLibVersion());

    const Stopwatch build_watch;
    Corpus c = build_corpus(o);
    std::uint64_t sample_bytes = 0;
    for (const Sample& s : c.samples)
        sample_bytes += s.body.size();
    fmt::print("corpus        {:.1f} MB: {} documents = {} copies of {} samples ({:.0f} KB), "
               "built in {:.1f} s\n",
               static_cast<double>(c.bytes) / k_mb, grouped(c.docs.size()), c.copies,
               c.samples.size(), static_cast<double>(sample_bytes) / 1e3,
               build_watch.elapsed().wall);

    char tmpl_buf[4096];
    const std::string tmpl = (o.dir / "trendd-bench-XXXXXX").string();
    if (tmpl.size() >= sizeof tmpl_buf)
        throw std::runtime_error("--dir is too long");
    std::copy(tmpl.begin(), tmpl.end() + 1, tmpl_buf);
    if (::mkdtemp(tmpl_buf) == nullptr)
        throw std::runtime_error(fmt::format("cannot create a directory in {}", o.dir.string()));
    const fs::path work = tmpl_buf;

    const ParseRun p = run_parse(c);
    fmt::print("              {} items ({} news articles); every term lives {} polls of its "
               "feed, one poll per feed per 10 min\n\n",
               grouped(p.items), grouped(p.news), o.repeat);

    const StoreRun plain = run_store(c, work / "plain.db", {});
    config::RuleConfig rule;
    rule.name = "bench-1k";
    rule.min_traffic = 1000;
    const StoreRun ruled = run_store(c, work / "rule.db", {rule});

    const double mb = static_cast<double>(c.bytes) / k_mb;
    const auto docs = static_cast<double>(c.docs.size());
    const auto per_s = [](double n, double s) {
        return grouped(static_cast<std::uint64_t>(n / s));
    };
    fmt::print("{:<28}{:>8}{:>8}{:>9}{:>13}{:>11}\n", "per CPU-second:", "wall s", "CPU s", "MB/s",
               "snapshots/s", "items/s");
    const auto row = [&](std::string_view label, Timing t, double items) {
        fmt::print("{:<28}{:>8.2f}{:>8.2f}{:>9.1f}{:>13}{:>11}\n", label, t.wall, t.cpu, mb / t.cpu,
                   per_s(docs, t.cpu), per_s(items, t.cpu));
    };
    row("parse only", p.time, static_cast<double>(p.items));
    row("parse + store, no rule", plain.time, static_cast<double>(plain.observations));
    row("parse + store, 1 rule (1K)", ruled.time, static_cast<double>(ruled.observations));
    fmt::print("  (items/s of the store runs = observations stored/s; one transaction per "
               "snapshot)\n");
    const auto share = [&](const StoreRun& r) {
        const double s = r.time.cpu - p.time.cpu;
        return fmt::format("{:.2f} CPU s = {:.0f} us/snapshot", s, s / docs * 1e6);
    };
    fmt::print("store alone   no rule {}; with rule {}\n", share(plain), share(ruled));
    fmt::print("observations  {} stored per run; rule fired {} spikes, queued {} drafts\n",
               grouped(plain.observations), grouped(ruled.spikes), grouped(ruled.drafts));
    fmt::print(
        "SQLite file   {:.1f} MB (no rule), {:.1f} MB (1 rule); WAL before close {:.1f} / "
        "{:.1f} MB\n",
        static_cast<double>(plain.file_bytes) / k_mb, static_cast<double>(ruled.file_bytes) / k_mb,
        static_cast<double>(plain.wal_peak) / k_mb, static_cast<double>(ruled.wal_peak) / k_mb);
    fmt::print("load average  {} at the end\n", bench::load_average());
    if (o.keep) {
        fmt::print("kept          {}\n", work.string());
    } else {
        std::error_code ec;
        fs::remove_all(work, ec);
    }
    return 0;
} catch (const std::exception& e) {
    fmt::print(stderr, "bench_ingest: {}\n", e.what());
    return 1;
}
