// SPDX-License-Identifier: MIT
#include "trend/pipeline/poller.hpp"

#include "trend/feed/parser.hpp"
#include "trend/fetch/outcome.hpp"
#include "trend/log/log.hpp"

#include <fmt/format.h>

#include <memory>

#include <variant>

namespace trend::pipeline {

void Poller::sync_feeds(const config::Config& config) {
    m_writes.submit("update the feeds table", [this, feeds = config.feeds] {
        const Timestamp now = m_clock.now();
        auto tx = m_store.begin();
        std::map<std::string, FeedRef> refs;
        std::vector<std::string> names;
        for (const config::FeedConfig& f : feeds) {
            refs[f.name] = FeedRef{m_store.sync_feed(f, now), f.name, f.geo};
            names.push_back(f.name);
        }
        m_store.disable_feeds_except(names);
        tx.commit();
        m_feeds = std::move(refs);
    });
}

void Poller::poll(const config::FeedConfig& feed, const config::DaemonConfig& daemon,
                  std::function<void(PollSummary)> done) {
    const Timestamp started = m_clock.now();
    fetch::Request req;
    req.url = feed.url;
    req.allow_file = true;
    req.user_agent = daemon.user_agent;
    req.connect_timeout = daemon.connect_timeout;
    req.total_timeout = daemon.fetch_timeout;
    req.max_body_bytes = daemon.max_feed_bytes;
    req.headers = {"Accept: application/rss+xml, application/xml;q=0.9, */*;q=0.1"};
    const auto it = m_feeds.find(feed.name);
    if (it != m_feeds.end()) {
        const store::Validators v = m_store.validators(it->second.id);
        req.if_none_match = v.etag;
        req.if_modified_since = v.last_modified;
    }
    m_http.start(std::move(req),
                 [this, feed, daemon, started, done = std::move(done)](fetch::Response response) {
                     record(feed, daemon, started, std::move(response), done);
                 });
}

void Poller::record(const config::FeedConfig& feed, const config::DaemonConfig& daemon,
                    Timestamp started, fetch::Response response,
                    const std::function<void(PollSummary)>& done) {
    /** What the write needs and the continuation reports, shared by both. */
    struct Recording {
        PollSummary summary;
        store::PollRecord poll;
        std::optional<feed::Snapshot> snapshot;
        std::optional<store::Validators> validators;
    };
    auto r = std::make_shared<Recording>();
    PollSummary& summary = r->summary;
    summary.feed = feed.name;
    summary.retry_after = response.retry_after;
    if (response.transport == fetch::Transport::cancelled) {
        summary.end = PollEnd::cancelled;
        done(summary);
        return;
    }

    store::PollRecord& poll = r->poll;
    poll.started_at = started;
    poll.duration_ms = response.duration.count();
    if (response.http_status != 0)
        poll.http_status = response.http_status;
    poll.bytes = response.bytes;
    poll.retry_after = response.retry_after;

    if (auto failure = fetch::failure_of(response)) {
        poll.outcome = failure->outcome;
        poll.error = failure->error;
    } else {
        feed::ParseContext ctx;
        ctx.geo = feed.geo;
        ctx.fetched_at = started;
        ctx.max_bytes = static_cast<std::size_t>(daemon.max_feed_bytes);
        ctx.url = response.effective_url.empty() ? feed.url : response.effective_url;
        ctx.content_type = response.content_type;
        feed::ParseResult parsed = feed::parser_for(feed.type)(response.body, ctx);
        if (auto* err = std::get_if<feed::ParseError>(&parsed)) {
            poll.outcome = fetch::Outcome::parse_error;
            poll.error = err->message;
        } else {
            r->snapshot = std::move(std::get<feed::Snapshot>(parsed));
            poll.outcome = fetch::Outcome::ok;
            poll.items = static_cast<int>(r->snapshot->items.size());
            summary.items = *poll.items;
            for (const std::string& w : r->snapshot->warnings)
                log::warning("feed", "{}: {}", feed.name, w);
            if (!response.etag.empty() || !response.last_modified.empty())
                r->validators = store::Validators{response.etag, response.last_modified};
        }
    }
    summary.outcome = poll.outcome;
    summary.error = poll.error;

    // The feeds row is written before any of its polls (the queue keeps the order).
    m_writes.submit(
        fmt::format("record a poll of feed {}", feed.name),
        [this, r, name = feed.name] {
            const auto it = m_feeds.find(name);
            if (it == m_feeds.end())
                throw std::logic_error("feed polled before sync_feeds: " + name);
            r->poll.feed_id = it->second.id;
            r->summary.stats = m_ingestor.record(it->second, r->poll,
                                                 r->snapshot ? &*r->snapshot : nullptr,
                                                 r->validators ? &*r->validators : nullptr,
                                                 m_clock.now());
        },
        [r, done, name = feed.name] {
            const store::PollRecord& p = r->poll;
            if (fetch::is_success(p.outcome))
                log::info("poll", "{}: {} ({} items, {} ms)", name, fetch::to_string(p.outcome),
                          r->summary.items, p.duration_ms);
            else
                log::error("poll", "{}: {}: {}", name, fetch::to_string(p.outcome), p.error);
            done(r->summary);
        },
        [r, done, name = feed.name](const std::exception& e) {
            log::error("store", "{}: poll could not be stored: {}", name, e.what());
            r->summary.end = PollEnd::not_stored;
            r->summary.error = e.what();
            done(r->summary);
        });
}

} // namespace trend::pipeline
