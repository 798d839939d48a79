// SPDX-License-Identifier: MIT
//
// bench_extract: how well and how fast trendd extracts articles, next to readability-lxml.
//
// For each page of tests/data/articles (Mozilla Readability's test pages: source.html, the
// expected content expected.html and expected-metadata.json), it measures
//   - word-level F1 of trendd's text against expected.html's text, and the same for
//     readability-lxml (Debian's python3-readability, run by bench/readability_lxml.py under
//     /usr/bin/python3 in the same run); both texts go through the same tokeniser
//     (extract::words) and expected.html's text and readability-lxml's HTML through the same
//     extract::html_text;
//   - whether title, byline, published time and lang match expected-metadata.json
//     (tests/support/article_pages.hpp: the rules, also stated in bench/README.md);
//   - trendd's CPU time per page on one core: the median of --runs runs.
#include "trend/extract/extract.hpp"

#include "article_pages.hpp"
#include "machine.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace trend;

namespace {

constexpr double k_mb = 1e6; // MB = 10^6 bytes

/** Pages whose expected text is not one article (tests/data/articles/PROVENANCE.md: a section
 *  front); a second mean leaves them out. */
constexpr std::string_view k_not_articles[] = {"nytimes-5"};

bool is_article_page(std::string_view name) {
    return std::find(std::begin(k_not_articles), std::end(k_not_articles), name) ==
           std::end(k_not_articles);
}

struct Options {
    fs::path pages = fs::path(TRENDD_SOURCE_DIR) / "tests" / "data" / "articles";
    int runs = 20;
    bool peer = true;
    std::string python = "/usr/bin/python3";
    std::string only;       ///< one page
    bool show_text = false; ///< print trendd's text of --page
    bool check = false;     ///< exit 1 when a target is missed
};

[[noreturn]] void usage(int code) {
    fmt::print(code == 0 ? stdout : stderr,
               "usage: bench_extract [--pages DIR] [--runs N] [--no-peer] [--python PATH]\n"
               "                     [--page NAME [--text]] [--check]\n"
               "  --pages DIR    article pages (NAME/source.html, expected.html,\n"
               "                 expected-metadata.json), default tests/data/articles\n"
               "  --runs N       timed runs per page (the median counts), default 20\n"
               "  --no-peer      do not run readability-lxml\n"
               "  --python PATH  the Python with python3-readability, default /usr/bin/python3\n"
               "  --page NAME    only this page; --text prints trendd's text of it\n"
               "  --check        exit 1 when a target is missed\n");
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
            if (a == "--pages")
                o.pages = value();
            else if (a == "--runs")
                o.runs = std::stoi(value());
            else if (a == "--no-peer")
                o.peer = false;
            else if (a == "--python")
                o.python = value();
            else if (a == "--page")
                o.only = value();
            else if (a == "--text")
                o.show_text = true;
            else if (a == "--check")
                o.check = true;
            else if (a == "-h" || a == "--help")
                usage(0);
            else
                usage(2);
        } catch (const std::logic_error&) {
            usage(2);
        }
    }
    if (o.runs < 1)
        usage(2);
    return o;
}

double thread_cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double median(std::vector<double> v) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (const char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

struct PeerResult {
    std::optional<std::string> text; ///< html_text of its content
    std::string error;
};

/** Runs readability-lxml on every page in one Python process. */
std::map<std::string, PeerResult> run_peer(const Options& o, const std::vector<std::string>& names,
                                           std::string& error) {
    std::map<std::string, PeerResult> out;
    std::string cmd =
        shell_quote(o.python) + " " +
        shell_quote((fs::path(TRENDD_SOURCE_DIR) / "bench" / "readability_lxml.py").string()) +
        " " + shell_quote(o.pages.string());
    for (const std::string& n : names)
        cmd += " " + shell_quote(n);
    cmd += " 2>&1";
    std::unique_ptr<FILE, decltype(&::pclose)> pipe(::popen(cmd.c_str(), "r"), &::pclose);
    if (!pipe) {
        error = "cannot start " + o.python;
        return out;
    }
    std::string all;
    char buf[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe.get())) > 0)
        all.append(buf, n);
    std::size_t start = 0;
    while (start < all.size()) {
        std::size_t end = all.find('\n', start);
        if (end == std::string::npos)
            end = all.size();
        const std::string line = all.substr(start, end - start);
        start = end + 1;
        rapidjson::Document doc;
        doc.Parse(line.data(), line.size());
        if (doc.HasParseError() || !doc.IsObject())
            continue;
        const std::string page =
            doc.HasMember("page") && doc["page"].IsString() ? doc["page"].GetString() : "";
        if (doc.HasMember("error") && doc["error"].IsString()) {
            if (page.empty())
                error = doc["error"].GetString();
            else
                out[page].error = doc["error"].GetString();
            continue;
        }
        if (!page.empty() && doc.HasMember("html") && doc["html"].IsString())
            out[page].text = extract::html_text(
                std::string_view(doc["html"].GetString(), doc["html"].GetStringLength()));
    }
    if (out.empty() && error.empty())
        error = "readability-lxml printed nothing: " + all.substr(0, 200);
    return out;
}

std::string flags(const test::ExpectedMetadata& e, const test::MetadataMatch& m) {
    const auto one = [](bool compared, bool ok, char c) {
        return !compared ? '-' : ok ? c : static_cast<char>(c - 'A' + 'a');
    };
    std::string s;
    s += one(e.title.has_value(), m.title, 'T');
    s += one(e.byline.has_value(), m.byline, 'B');
    s += one(e.published.has_value(), m.published, 'P');
    s += one(e.lang.has_value(), m.lang, 'L');
    return s;
}

std::string verdict(bool ok) {
    return ok ? "met" : "MISSED";
}

} // namespace

int main(int argc, char** argv) try {
    const Options o = parse_args(argc, argv);
#ifdef __OPTIMIZE__
    const char* optimised = "";
#else
    const char* optimised = "  (UNOPTIMISED BUILD: speed not representative)";
#endif
    fmt::print("bench_extract  trendd {}  {} build{}\n", TRENDD_VERSION, TRENDD_BUILD_TYPE,
               optimised);
    fmt::print("machine        {} cores ({}), load average {}\n",
               std::thread::hardware_concurrency(), bench::cpu_model(), bench::load_average());

    std::vector<std::string> names = test::article_page_names(o.pages);
    if (!o.only.empty()) {
        if (std::find(names.begin(), names.end(), o.only) == names.end())
            throw std::runtime_error("no page " + o.only + " in " + o.pages.string());
        names = {o.only};
    }
    if (names.empty())
        throw std::runtime_error("no pages in " + o.pages.string());

    std::string peer_error;
    std::map<std::string, PeerResult> peer;
    if (o.peer)
        peer = run_peer(o, names, peer_error);
    if (!peer_error.empty())
        fmt::print("readability-lxml: {}\n", peer_error);

    fmt::print("\n{:<26} {:>6} {:>8} {:>9} {:>9}  {:<12} {:<11} {}\n", "page", "KB", "ms/page",
               "F1 trendd", "F1 r-lxml", "outcome", "method", "metadata");
    double f1_sum = 0;
    double peer_sum = 0;
    std::size_t peer_pages = 0;
    double article_f1_sum = 0;
    double article_peer_sum = 0;
    std::size_t article_pages = 0;
    std::size_t meta_pages = 0;
    std::size_t field_ok[4] = {0, 0, 0, 0};
    std::size_t field_n[4] = {0, 0, 0, 0};
    std::vector<double> times;
    std::size_t total_bytes = 0;
    for (const std::string& name : names) {
        const test::ArticlePage page = test::load_article_page(o.pages, name);
        const extract::Input input{page.source, test::k_article_page_url, "text/html"};
        const extract::Article a = extract::extract(input);
        std::vector<double> runs;
        for (int r = 0; r < o.runs; ++r) {
            const double t0 = thread_cpu_seconds();
            const extract::Article again = extract::extract(input);
            runs.push_back(thread_cpu_seconds() - t0);
            if (again.text.size() != a.text.size())
                throw std::runtime_error(name + ": extraction is not deterministic");
        }
        const double t = median(runs);
        times.push_back(t);
        total_bytes += page.source.size();

        const double f1 = extract::word_f1(a.text, page.expected_text);
        f1_sum += f1;
        const bool article_page = is_article_page(name);
        article_f1_sum += article_page ? f1 : 0;
        article_pages += article_page ? 1 : 0;
        std::string peer_f1 = "-";
        if (const auto it = peer.find(name); it != peer.end()) {
            const double pf =
                it->second.text ? extract::word_f1(*it->second.text, page.expected_text) : 0.0;
            peer_f1 = it->second.text ? fmt::format("{:.3f}", pf) : "error";
            peer_sum += pf;
            article_peer_sum += article_page ? pf : 0;
            ++peer_pages;
        }
        const test::MetadataMatch m = test::compare_metadata(a, page.expected);
        meta_pages += m.all() ? 1 : 0;
        const bool compared[4] = {page.expected.title.has_value(), page.expected.byline.has_value(),
                                  page.expected.published.has_value(),
                                  page.expected.lang.has_value()};
        const bool ok[4] = {m.title, m.byline, m.published, m.lang};
        for (int i = 0; i < 4; ++i) {
            field_n[i] += compared[i] ? 1 : 0;
            field_ok[i] += compared[i] && ok[i] ? 1 : 0;
        }
        fmt::print("{:<26} {:>6.0f} {:>8.2f} {:>9.3f} {:>9}  {:<12} {:<11} {}{}\n", name,
                   static_cast<double>(page.source.size()) / 1024, t * 1000, f1, peer_f1,
                   extract::to_string(a.outcome), extract::to_string(a.method),
                   flags(page.expected, m), a.reason.empty() ? "" : "  (" + a.reason + ")");
        if (!o.only.empty()) {
            fmt::print(
                "  title     {}\n  byline    {}\n  published {}\n  lang      {}\n  site      {}\n"
                "  canonical {}\n  image     {}\n  words     {}\n",
                a.title, a.byline, a.published_at ? format_iso(*a.published_at) : std::string("-"),
                a.lang, a.site_name, a.canonical_url, a.image, a.word_count);
            if (o.show_text)
                fmt::print("\n{}\n", a.text);
        }
    }

    const double n = static_cast<double>(names.size());
    const double mean_f1 = f1_sum / n;
    const double peer_mean = peer_pages > 0 ? peer_sum / static_cast<double>(peer_pages) : 0;
    const double total_time = std::accumulate(times.begin(), times.end(), 0.0);
    const double median_time = median(times);
    const bool peer_ran = peer_pages == names.size();
    fmt::print("\nmean F1 over {} pages: trendd {:.3f}, readability-lxml {}\n", names.size(),
               mean_f1, peer_ran ? fmt::format("{:.3f}", peer_mean) : "not run");
    if (article_pages > 0 && article_pages < names.size()) {
        const auto d = static_cast<double>(article_pages);
        fmt::print("mean F1 over the {} article pages (without the section front): trendd {:.3f}, "
                   "readability-lxml {}\n",
                   article_pages, article_f1_sum / d,
                   peer_ran ? fmt::format("{:.3f}", article_peer_sum / d) : "not run");
    }
    fmt::print(
        "metadata: {}/{} pages match (title {}/{}, byline {}/{}, published {}/{}, lang {}/{}; "
        "T B P L: match, t b p l: differ, -: expected value is null)\n",
        meta_pages, names.size(), field_ok[0], field_n[0], field_ok[1], field_n[1], field_ok[2],
        field_n[2], field_ok[3], field_n[3]);
    fmt::print(
        "speed (one core, thread CPU time, median of {} runs per page): median page {:.2f} ms "
        "= {:.0f} pages/s; all {} pages {:.1f} ms = {:.0f} pages/s, {:.1f} MB/s\n",
        o.runs, median_time * 1000, 1 / median_time, names.size(), total_time * 1000,
        n / total_time, static_cast<double>(total_bytes) / k_mb / total_time);

    bool met = true;
    if (o.only.empty()) {
        const bool f1_ok = mean_f1 >= 0.90;
        const bool peer_ok = !peer_ran || mean_f1 >= peer_mean;
        const bool speed_ok = 1 / median_time >= 100;
        const bool meta_ok = meta_pages >= 20;
        fmt::print("targets: mean F1 >= 0.90 {}; not below readability-lxml {}; median page >= 100 "
                   "pages/s {}; metadata on >= 20 of 24 pages {}\n",
                   verdict(f1_ok), peer_ran ? verdict(peer_ok) : "not run", verdict(speed_ok),
                   verdict(meta_ok));
        met = f1_ok && peer_ok && speed_ok && meta_ok;
    }
    return o.check && !met ? 1 : 0;
} catch (const std::exception& e) {
    fmt::print(stderr, "bench_extract: {}\n", e.what());
    return 1;
}
