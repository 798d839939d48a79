// SPDX-License-Identifier: MIT
// trendctl parse: a feed document as its parser reads it, for operators debugging a feed.
#include "trend/cli/context.hpp"
#include "trend/cli/render.hpp"
#include "trend/feed/parser.hpp"
#include "trend/fetch/http_client.hpp"
#include "trend/pipeline/poller.hpp"
#include "trend/util/json.hpp"
#include "trend/util/text.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace trend::cli {

namespace {

struct ParseArgs {
    std::string source;
    std::string type;
};

bool is_url(const std::string& s) {
    return s.starts_with("http://") || s.starts_with("https://");
}

/** The document and the URL it came from (its base for relative links). */
std::pair<std::string, fetch::Response> read_source(const Globals& g, const std::string& source) {
    fetch::Response r;
    if (!is_url(source)) {
        std::ifstream in(source, std::ios::binary);
        if (!in)
            throw CommandError(fmt::format("cannot read {}", source), k_exit_usage);
        std::ostringstream ss;
        ss << in.rdbuf();
        r.body = ss.str();
        r.transport = fetch::Transport::complete;
        return {source, std::move(r)};
    }
    fetch::Request req = pipeline::feed_request(g.config.daemon, source);
    boost::asio::io_context io;
    fetch::HttpClient http(io);
    http.start(std::move(req), [&r](fetch::Response got) { r = std::move(got); });
    io.run();
    if (r.transport != fetch::Transport::complete)
        throw CommandError(fmt::format("cannot fetch {}: {}", source, r.error));
    if (r.http_status >= 400)
        throw CommandError(fmt::format("cannot fetch {}: HTTP {}", source, r.http_status));
    const std::string url = r.effective_url.empty() ? source : r.effective_url;
    return {url, std::move(r)};
}

/** Why ingestion leaves an entry out ("" = it is kept). */
std::string skip_reason(const feed::Item& item) {
    if (!item.skip_reason.empty())
        return item.skip_reason;
    if (text::normalize_term(item.term).empty())
        return "no term";
    return {};
}

std::string iso_or_empty(const std::optional<Timestamp>& t) {
    return t ? format_iso(*t) : std::string();
}

void put_string_or_null(json::Writer& w, const std::string& s) {
    if (s.empty())
        w.Null();
    else
        json::put(w, s);
}

std::string snapshot_json(const feed::Snapshot& s, const std::string& type,
                          const std::string& url) {
    return json::object([&](json::Writer& w) {
        w.Key("feed");
        w.StartObject();
        w.Key("type");
        json::put(w, type);
        w.Key("url");
        json::put(w, url);
        w.Key("format");
        json::put(w, s.format);
        w.Key("title");
        put_string_or_null(w, s.title);
        w.Key("geo");
        put_string_or_null(w, s.geo);
        w.Key("traffic_kind");
        json::put(w, feed::traffic_kind_name(s.traffic_kind));
        w.Key("as_of");
        put_string_or_null(w, iso_or_empty(s.as_of));
        w.Key("warnings");
        w.StartArray();
        for (const std::string& warning : s.warnings)
            json::put(w, warning);
        w.EndArray();
        w.EndObject();
        w.Key("items");
        w.StartArray();
        for (const feed::Item& i : s.items) {
            w.StartObject();
            w.Key("title");
            json::put(w, i.term);
            w.Key("url");
            put_string_or_null(w, i.url.empty() ? i.discussion_url : i.url);
            w.Key("summary");
            put_string_or_null(w, i.summary);
            w.Key("author");
            put_string_or_null(w, i.author);
            w.Key("published_at");
            put_string_or_null(w, iso_or_empty(i.published_at ? i.published_at : i.started_at));
            w.Key("updated_at");
            put_string_or_null(w, iso_or_empty(i.updated_at));
            w.Key("traffic");
            if (i.traffic.value)
                w.Int64(*i.traffic.value);
            else
                w.Null();
            w.Key("traffic_label");
            put_string_or_null(w, i.traffic.label);
            w.Key("rank");
            if (i.rank > 0)
                w.Int(i.rank);
            else
                w.Null();
            w.Key("image");
            put_string_or_null(w, i.picture);
            w.Key("skip_reason");
            put_string_or_null(w, skip_reason(i));
            w.EndObject();
        }
        w.EndArray();
    });
}

store::Rows snapshot_rows(const feed::Snapshot& s) {
    store::Rows rows;
    rows.columns = {"rank",       "title", "traffic_label", "traffic", "author",     "published_at",
                    "updated_at", "url",   "summary",       "image",   "skip_reason"};
    const auto text = [](const std::string& v) -> store::Value {
        if (v.empty())
            return nullptr;
        return v;
    };
    for (const feed::Item& i : s.items) {
        std::vector<store::Value> row;
        row.emplace_back(i.rank > 0 ? store::Value(std::int64_t{i.rank}) : store::Value(nullptr));
        row.push_back(text(i.term));
        row.push_back(text(i.traffic.label));
        row.emplace_back(i.traffic.value ? store::Value(*i.traffic.value) : store::Value(nullptr));
        row.push_back(text(i.author));
        row.push_back(text(iso_or_empty(i.published_at ? i.published_at : i.started_at)));
        row.push_back(text(iso_or_empty(i.updated_at)));
        row.push_back(text(i.url.empty() ? i.discussion_url : i.url));
        row.push_back(text(i.summary));
        row.push_back(text(i.picture));
        row.push_back(text(skip_reason(i)));
        rows.rows.push_back(std::move(row));
    }
    return rows;
}

int cmd_parse(Globals& g, const ParseArgs& a) {
    const feed::ParseFn parse = feed::parser_for(a.type);
    if (parse == nullptr)
        throw CommandError(fmt::format("unknown feed type \"{}\" (known: {})", a.type,
                                       fmt::join(feed::known_feed_types(), ", ")),
                           k_exit_usage);
    auto [url, response] = read_source(g, a.source);
    feed::ParseContext ctx;
    ctx.url = is_url(url) ? url : std::string();
    ctx.content_type = response.content_type;
    ctx.max_bytes = static_cast<std::size_t>(g.config.daemon.max_feed_bytes);
    ctx.fetched_at = std::chrono::floor<Seconds>(std::chrono::system_clock::now());
    feed::ParseResult parsed = parse(response.body, ctx);
    if (const auto* err = std::get_if<feed::ParseError>(&parsed))
        throw CommandError(
            fmt::format("{} is not a {} document: {}", a.source, a.type, err->message),
            k_exit_failed, "parse-error");
    const feed::Snapshot& s = std::get<feed::Snapshot>(parsed);
    if (g.json) {
        std::printf("%s\n", snapshot_json(s, a.type, url).c_str());
        return k_exit_ok;
    }
    const store::Rows rows = snapshot_rows(s);
    if (g.csv)
        return print_rows(g, rows, {});
    std::size_t skipped = 0;
    for (const feed::Item& i : s.items)
        skipped += skip_reason(i).empty() ? 0 : 1;
    std::printf("%s%s%s: %zu entries (%zu skipped by ingestion), traffic counts %s\n",
                text::terminal_safe(s.format).c_str(), s.title.empty() ? "" : " ",
                text::terminal_safe(s.title).c_str(), s.items.size(), skipped,
                std::string(feed::traffic_kind_name(s.traffic_kind)).c_str());
    for (const std::string& warning : s.warnings)
        std::printf("warning: %s\n", text::terminal_safe(warning).c_str());
    if (!rows.rows.empty())
        print_table(stdout, rows,
                    {"rank", "title", "traffic_label", "published_at", "url", "skip_reason"});
    return k_exit_ok;
}

} // namespace

void add_parse_command(CLI::App& app, Globals& g, Command& run) {
    auto a = std::make_shared<ParseArgs>();
    auto* parse = app.add_subcommand(
        "parse", "a feed document (file or URL) as its parser reads it, skipped entries too");
    parse->add_option("source", a->source, "a file, or an http(s) URL to fetch once")->required();
    parse->add_option("--type", a->type, "the feed type (google-trends-rss, rss, ...)")->required();
    parse->callback([&g, &run, a] { run = [&g, a] { return cmd_parse(g, *a); }; });
}

} // namespace trend::cli
