// SPDX-License-Identifier: MIT
// trendctl extract and trendctl pages: the reading stage seen from the command line.
#include "trend/cli/context.hpp"
#include "trend/extract/extract.hpp"
#include "trend/pipeline/page_reader.hpp"
#include "trend/store/pages.hpp"
#include "trend/util/json.hpp"
#include "trend/util/text.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace trend::cli {

namespace {

struct PageArgs {
    std::string source; ///< FILE or URL
    std::string url;    ///< --url: the page's URL for a FILE
    bool allow_private = false;
    std::string since = "7d";
    std::string outcome;
};

bool is_web_url(const std::string& s) {
    return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw CommandError(fmt::format("cannot read {}", path));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void print_reading(const Globals& g, const std::string& url, store::PageOutcome outcome,
                   const std::string& reason, const extract::Article* a) {
    const auto opt_time = [](const std::optional<Timestamp>& t) {
        return t ? format_iso(*t) : std::string();
    };
    if (g.json) {
        std::printf("%s\n", json::object([&](json::Writer& w) {
                                const auto str = [&](const char* k, const std::string& v) {
                                    w.Key(k);
                                    if (v.empty())
                                        w.Null();
                                    else
                                        json::put(w, v);
                                };
                                str("url", url);
                                str("canonical_url", a ? a->canonical_url : "");
                                str("title", a ? a->title : "");
                                str("byline", a ? a->byline : "");
                                str("published_at", a ? opt_time(a->published_at) : "");
                                str("site_name", a ? a->site_name : "");
                                str("lang", a ? a->lang : "");
                                str("image", a ? a->image : "");
                                str("text", a ? a->text : "");
                                w.Key("word_count");
                                w.Uint64(a ? a->word_count : 0);
                                str("method", a ? std::string(extract::to_string(a->method)) : "");
                                str("outcome", std::string(store::to_string(outcome)));
                                str("reason", reason);
                            }).c_str());
        return;
    }
    const auto line = [](const char* k, const std::string& v) {
        if (!v.empty())
            std::printf("%-13s %s\n", k, text::terminal_safe(v).c_str());
    };
    line("outcome:", std::string(store::to_string(outcome)));
    line("reason:", reason);
    line("url:", url);
    if (a != nullptr) {
        line("canonical:", a->canonical_url);
        line("title:", a->title);
        line("byline:", a->byline);
        line("published:", opt_time(a->published_at));
        line("site:", a->site_name);
        line("lang:", a->lang);
        line("image:", a->image);
        line("method:", std::string(extract::to_string(a->method)));
        if (a->outcome == extract::Outcome::article) {
            std::printf("%-13s %zu\n\n", "words:", a->word_count);
            for (const std::string& p : a->paragraphs)
                std::printf("%s\n\n", text::terminal_safe(p).c_str());
        }
    }
}

int cmd_extract(Globals& g, const PageArgs& a) {
    if (!is_web_url(a.source)) {
        const std::string body = read_file(a.source);
        const extract::Article art = extract::extract({body, a.url, ""});
        print_reading(g, a.url, store::k_page_outcomes[static_cast<std::size_t>(art.outcome)],
                      art.reason, &art);
        return art.outcome == extract::Outcome::article ? k_exit_ok : k_exit_failed;
    }
    config::Config cfg = g.config;
    if (a.allow_private)
        cfg.enrich.allow_private_addresses = true;
    boost::asio::io_context io;
    fetch::HttpClient http(io);
    pipeline::PageReading reading;
    pipeline::read_page_now(http, cfg, a.source,
                            [&reading](pipeline::PageReading r) { reading = std::move(r); });
    io.run();
    const std::string url =
        reading.response.effective_url.empty() ? a.source : reading.response.effective_url;
    print_reading(g, url, reading.outcome, reading.error,
                  reading.article ? &*reading.article : nullptr);
    return reading.outcome == store::PageOutcome::article ? k_exit_ok : k_exit_failed;
}

} // namespace

void add_page_commands(CLI::App& app, Globals& g, Command& run) {
    auto a = std::make_shared<PageArgs>();
    auto* extract = app.add_subcommand(
        "extract", "what trendd extracts from one page: a saved FILE or a URL (fetched as the "
                   "daemon would: robots.txt, public addresses only)");
    extract->add_option("source", a->source, "an HTML file, or an http(s) URL")->required();
    extract->add_option("--url", a->url, "the page's URL, for a FILE (resolves its links)");
    extract->add_flag("--allow-private", a->allow_private,
                      "fetch from loopback and private addresses too");
    extract->callback([&g, &run, a] { run = [&g, a] { return cmd_extract(g, *a); }; });

    auto* pages = app.add_subcommand("pages", "pages read for stories, newest first");
    pages->add_option("--since", a->since, "how far back: 24h, 7d, all (default 7d)");
    pages->add_option("--outcome", a->outcome, "only this outcome (article, timeout, ...)");
    pages->callback([&g, &run, a] {
        run = [&g, a] {
            if (!a->outcome.empty() && !store::page_outcome_from_string(a->outcome))
                throw CommandError(fmt::format("unknown outcome '{}'", a->outcome), k_exit_usage);
            auto db = g.open_ro();
            return print_rows(g, store::pages(db, since_iso(a->since), a->outcome),
                              {"id", "at", "status", "outcome", "http_status", "bytes", "host",
                               "title", "word_count", "error"});
        };
    });
}

} // namespace trend::cli
