// SPDX-License-Identifier: MIT
#include "trend/pipeline/poller.hpp"

#include "trend/feed/parser.hpp"
#include "trend/fetch/outcome.hpp"
#include "trend/log/log.hpp"

#include <variant>

namespace trend::pipeline {

void Poller::sync_feeds(const config::Config& config) {
    const Timestamp now = m_clock.now();
    auto tx = m_store.begin();
    std::vector<std::string> names;
    for (const config::FeedConfig& f : config.feeds) {
        m_feeds[f.name] = FeedRef{m_store.sync_feed(f, now), f.name, f.geo};
        names.push_back(f.name);
    }
    m_store.disable_feeds_except(names);
    tx.commit();
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
                     done(record(feed, daemon, started, std::move(response)));
                 });
}

PollSummary Poller::record(const config::FeedConfig& feed, const config::DaemonConfig& daemon,
                           Timestamp started, fetch::Response response) {
    PollSummary summary;
    summary.feed = feed.name;
    summary.retry_after = response.retry_after;
    if (response.transport == fetch::Transport::cancelled) {
        summary.outcome = "cancelled"; // shutdown or reload: not the feed's fault, not recorded
        return summary;
    }

    store::PollRecord poll;
    poll.started_at = started;
    poll.duration_ms = response.duration.count();
    if (response.http_status != 0)
        poll.http_status = response.http_status;
    poll.bytes = response.bytes;

    std::optional<feed::Snapshot> snapshot;
    std::optional<store::Validators> validators;
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
            poll.outcome = "parse_error";
            poll.error = err->message;
        } else {
            snapshot = std::move(std::get<feed::Snapshot>(parsed));
            poll.outcome = "ok";
            poll.items = static_cast<int>(snapshot->items.size());
            summary.items = *poll.items;
            for (const std::string& w : snapshot->warnings)
                log::warning("feed", "{}: {}", feed.name, w);
            if (!response.etag.empty() || !response.last_modified.empty())
                validators = store::Validators{response.etag, response.last_modified};
        }
    }
    summary.outcome = poll.outcome;
    summary.error = poll.error;

    try {
        const auto it = m_feeds.find(feed.name);
        if (it == m_feeds.end())
            throw std::logic_error("feed polled before sync_feeds: " + feed.name);
        poll.feed_id = it->second.id;
        summary.stats = m_ingestor.record(it->second, poll, snapshot ? &*snapshot : nullptr,
                                          validators ? &*validators : nullptr, m_clock.now());
    } catch (const std::exception& e) {
        summary.outcome = "store_error";
        summary.error = e.what();
        log::error("store", "{}: poll could not be stored: {}", feed.name, e.what());
        return summary;
    }
    if (poll.outcome == "ok" || poll.outcome == "not_modified")
        log::info("poll", "{}: {} ({} items, {} ms)", feed.name, poll.outcome, summary.items,
                  poll.duration_ms);
    else
        log::error("poll", "{}: {}: {}", feed.name, poll.outcome, poll.error);
    return summary;
}

} // namespace trend::pipeline
