// SPDX-License-Identifier: MIT
#include "trend/cli/context.hpp"
#include "trend/cli/render.hpp"
#include "trend/pipeline/pipeline.hpp"
#include "trend/util/json.hpp"
#include "trend/util/text.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <cstdio>

namespace trend::cli {

namespace {

/** At most about `max` bytes of `s` on one line, cut at a character with "…". */
std::string shorten(const std::string& s, std::size_t max) {
    const std::string line = text::collapse_whitespace(s);
    return line.size() <= max ? line : std::string(text::utf8_prefix(line, max)) + "\u2026";
}

/** The ledger as people read it: the claim, its kind and status, the source [n] and the
 *  sentence, shortened. */
store::Rows evidence_table(const store::Rows& ledger) {
    constexpr std::size_t k_sentence = 72;
    constexpr std::size_t k_claim = 40;
    store::Rows t{{"claim", "kind", "status", "source", "sentence"}, {}};
    for (std::size_t i = 0; i < ledger.rows.size(); ++i) {
        const store::Value& n = column(ledger, i, "source_index");
        const std::string origin = as_text(column(ledger, i, "origin"));
        std::string source = std::holds_alternative<std::int64_t>(n)
                                 ? fmt::format("[{}]", std::get<std::int64_t>(n))
                                 : (origin == "data" ? "data" : "-");
        const store::Value& sentence = column(ledger, i, "sentence");
        t.rows.push_back({shorten(as_text(column(ledger, i, "claim")), k_claim),
                          column(ledger, i, "kind"), column(ledger, i, "status"), std::move(source),
                          std::holds_alternative<std::string>(sentence)
                              ? store::Value(shorten(std::get<std::string>(sentence), k_sentence))
                              : store::Value(nullptr)});
    }
    return t;
}

/** The members `show --json` adds to the draft's row: `revision`, `revisions` (the earlier ones
 *  kept) and `dropped` (the off-topic news items of its story). */
std::string draft_notes_members(const store::DraftNotes& n) {
    std::string members = json::object([&](json::Writer& w) {
        w.Key("revision");
        w.Int(n.revision);
        w.Key("revisions");
        write_rows(w, n.revisions);
        w.Key("dropped");
        w.StartArray();
        for (const draft::DroppedArticle& d : n.dropped) {
            w.StartObject();
            for (const auto& [key, value] : {std::pair{"title", &d.title},
                                             {"url", &d.url},
                                             {"source", &d.source},
                                             {"reason", &d.reason}}) {
                w.Key(key);
                json::put(w, *value);
            }
            w.EndObject();
        }
        w.EndArray();
    });
    return members.substr(1, members.size() - 2);
}

/** After a draft's text, on stderr (stdout stays exactly the file): its revision, the earlier
 *  revisions kept, and the news items its story left out as off-topic. */
void print_draft_notes(const store::DraftNotes& n) {
    if (n.revision > 1) {
        std::fprintf(stderr, "\nRevision %d; earlier revisions kept:\n", n.revision);
        for (std::size_t i = 0; i < n.revisions.rows.size(); ++i)
            std::fprintf(stderr, "  revision %s: %s, %s words, written %s, replaced %s\n",
                         as_text(column(n.revisions, i, "revision")).c_str(),
                         as_text(column(n.revisions, i, "status")).c_str(),
                         as_text(column(n.revisions, i, "word_count")).c_str(),
                         as_text(column(n.revisions, i, "finished_at")).c_str(),
                         as_text(column(n.revisions, i, "replaced_at")).c_str());
    }
    if (!n.dropped.empty())
        std::fputs("\n", stderr);
    for (const draft::DroppedArticle& d : n.dropped)
        std::fprintf(stderr, "Dropped (off-topic): %s \u2014 %s\n", d.title.c_str(), d.url.c_str());
}

int cmd_show(Globals& g, const std::string& what, bool evidence) {
    SQLite::Database db = g.open_ro();
    const store::Rows rows = store::draft_document(db, what);
    if (rows.rows.empty())
        throw CommandError(fmt::format("no draft with id or slug \"{}\"", what));
    const store::Id id = std::get<std::int64_t>(column(rows, 0, "id"));
    const store::Rows ledger = store::draft_evidence(db, id);
    const store::DraftNotes notes = store::draft_notes(db, id);
    if (g.json) {
        std::string doc = row_json(rows);
        doc.pop_back(); // the row's closing brace: the ledger and the notes are its members
        std::printf("%s,\"evidence\":%s,%s}\n", doc.c_str(), rows_json(ledger).c_str(),
                    draft_notes_members(notes).c_str());
    } else if (evidence) {
        if (ledger.rows.empty())
            std::printf("draft %s has no evidence ledger (no claims, or not drafted yet)\n",
                        what.c_str());
        else
            print_table(stdout, evidence_table(ledger));
    } else if (std::holds_alternative<std::nullptr_t>(column(rows, 0, "markdown"))) {
        throw CommandError(fmt::format("draft {} is {} and has no text yet", what,
                                       as_text(column(rows, 0, "status"))));
    } else {
        std::fputs(std::get<std::string>(column(rows, 0, "markdown")).c_str(), stdout);
        std::fflush(stdout);
        print_draft_notes(notes);
    }
    return k_exit_ok;
}

int cmd_history(Globals& g, const std::string& term, const std::string& geo) {
    SQLite::Database db = g.open_ro();
    const std::string norm = text::normalize_term(text::repair_utf8(term));
    const store::Rows rows = store::history(db, norm, geo);
    if (g.json || g.csv)
        return print_rows(g, rows, {});
    if (rows.rows.empty())
        throw CommandError(
            fmt::format("no observations of \"{}\"{}", term, geo.empty() ? "" : " in " + geo));
    std::vector<std::optional<std::int64_t>> values;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        const auto& v = column(rows, i, "traffic");
        values.push_back(std::holds_alternative<std::int64_t>(v)
                             ? std::optional<std::int64_t>(std::get<std::int64_t>(v))
                             : std::nullopt);
    }
    std::printf("%s: %s  %s -> %s over %zu observations\n\n", term.c_str(),
                sparkline(values).c_str(), as_text(column(rows, 0, "traffic_label")).c_str(),
                as_text(column(rows, rows.rows.size() - 1, "traffic_label")).c_str(),
                rows.rows.size());
    print_table(stdout, rows, {"observed_at", "feed", "geo", "traffic_label", "rank"});
    return k_exit_ok;
}

/** How long `trendctl draft` waits for a retry (an LLM's Retry-After); a later one is left to
 *  the daemon. */
constexpr Seconds k_draft_retry_horizon{120};

int cmd_draft(Globals& g, const std::string& term) {
    config::Config cfg = g.config;
    cfg.daemon.database = g.database();
    SystemClock clock;
    boost::asio::io_context io;
    // A guest of the daemon's queues: it runs only the job it asks for.
    pipeline::Pipeline p(io, std::move(cfg), clock, {.owner = false});
    const std::string norm = text::normalize_term(text::repair_utf8(term));
    const auto id = p.store().request_draft(norm, clock.now());
    if (!id)
        throw CommandError(
            fmt::format("no observation of \"{}\" in {}", term, g.database().string()));
    p.drain(
        k_draft_retry_horizon, [&io] { io.stop(); }, *id);
    io.run();
    SQLite::Database db = g.open_ro();
    const store::Rows rows = store::draft_document(db, std::to_string(*id));
    const std::string status = as_text(column(rows, 0, "status"));
    if (g.json)
        std::printf("%s\n", row_json(rows).c_str());
    else
        std::printf("draft %lld: %s %s\n", static_cast<long long>(*id), status.c_str(),
                    as_text(column(rows, 0, "path")).c_str());
    return status == "draft" || status == "needs_review" ? k_exit_ok : k_exit_failed;
}

/** The arguments of the database commands; CLI11 writes into them while parsing. */
struct DatabaseArgs {
    std::string since = "24h";
    std::string term;
    std::string status;
    std::string geo;
    std::string draft;
    bool evidence = false;
};

} // namespace

/** Commands that read the database (they work whether the daemon runs or not). */
void add_database_commands(CLI::App& app, Globals& g, Command& run) {
    auto a = std::make_shared<DatabaseArgs>();
    app.add_subcommand("status", "daemon, feeds, spikes and drafts at a glance (exit 0 ok, 1 "
                                 "degraded or busy, 3 not running)")
        ->callback([&g, &run] { run = [&g] { return cmd_status(g); }; });
    app.add_subcommand("feeds", "the feeds and their health")->callback([&g, &run] {
        run = [&g] {
            auto db = g.open_ro();
            return print_rows(g, store::feed_health(db),
                              {"feed", "type", "geo", "enabled", "last_poll_at", "last_outcome",
                               "last_items", "failures_in_row", "polls_24h", "failures_24h"});
        };
    });
    auto* spikes = app.add_subcommand("spikes", "spikes detected, newest first");
    spikes->add_option("--since", a->since, "how far back: 24h, 7d, all (default 24h)");
    spikes->add_option("--term", a->term, "only this term");
    spikes->callback([&g, &run, a] {
        run = [&g, a] {
            auto db = g.open_ro();
            const std::string term = a->term.empty() ? "" : text::normalize_term(a->term);
            return print_rows(g, store::spikes(db, since_iso(a->since), term),
                              {"id", "detected_at", "rule", "term", "geo", "traffic_label",
                               "sources", "status", "draft_status", "draft_slug"});
        };
    });
    auto* drafts = app.add_subcommand("drafts", "drafts and their status, newest first");
    drafts->add_option("--status", a->status, "queued, drafting, draft, needs_review or failed");
    drafts->callback([&g, &run, a] {
        run = [&g, a] {
            auto db = g.open_ro();
            return print_rows(g, store::drafts(db, a->status),
                              {"id", "status", "created_at", "term", "geo", "slug", "word_count",
                               "unverified", "last_error"});
        };
    });
    auto* show = app.add_subcommand("show", "print a draft's Markdown (or its evidence ledger)");
    show->add_option("draft", a->draft, "draft id or slug")->required();
    show->add_flag("--evidence", a->evidence,
                   "print the evidence ledger: each claim of the body and its source sentence");
    show->callback([&g, &run, a] { run = [&g, a] { return cmd_show(g, a->draft, a->evidence); }; });
    auto* history = app.add_subcommand("history", "a term's traffic over time");
    history->add_option("term", a->term, "the term")->required();
    history->add_option("--geo", a->geo, "only this geo");
    history->callback([&g, &run, a] { run = [&g, a] { return cmd_history(g, a->term, a->geo); }; });
    auto* draft = app.add_subcommand("draft", "draft an explainer now for a term we hold");
    draft->add_option("term", a->term, "the term")->required();
    draft->callback([&g, &run, a] { run = [&g, a] { return cmd_draft(g, a->term); }; });
}

} // namespace trend::cli
