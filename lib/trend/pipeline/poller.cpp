// SPDX-License-Identifier: MIT
#include "trend/pipeline/poller.hpp"

#include "trend/feed/parser.hpp"
#include "trend/fetch/outcome.hpp"
#include "trend/log/log.hpp"
#include "trend/pipeline/firebase.hpp"
#include "trend/pipeline/health.hpp"
#include "trend/util/date_template.hpp"

#include <fmt/format.h>

#include <memory>
#include <variant>

namespace trend::pipeline {

namespace {

/** An item of a Firebase list is small: a story with its text at most. */
constexpr std::int64_t k_max_item_bytes = 1024 * 1024;

/** A day's list that is not published yet: Wikimedia answers 404 with a problem document. */
bool day_not_published(const fetch::Response& r) {
    return r.transport == fetch::Transport::complete && r.http_status == 404;
}

} // namespace

fetch::Request feed_request(const config::DaemonConfig& daemon, std::string url) {
    fetch::Request req;
    req.url = std::move(url);
    req.allow_file = true;
    req.user_agent = daemon.user_agent;
    req.connect_timeout = daemon.connect_timeout;
    req.total_timeout = daemon.fetch_timeout;
    req.max_body_bytes = daemon.max_feed_bytes;
    req.headers = {"Accept: application/rss+xml, application/xml;q=0.9, */*;q=0.1"};
    return req;
}

void Poller::sync_feeds(const config::Config& config) {
    m_writes.submit("update the feeds table", [this, feeds = config.feeds] {
        const Timestamp now = m_clock.now();
        auto tx = m_store.begin();
        std::map<std::string, FeedRef> refs;
        std::vector<std::string> names;
        for (const config::FeedConfig& f : feeds) {
            refs[f.name] = FeedRef{m_store.sync_feed(f, now), f.name, f.geo, f.type};
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
    const bool dated = util::has_date_placeholder(feed.url);
    std::string url = dated ? util::expand_date_placeholders(feed.url, started) : feed.url;
    fetch::Request req = feed_request(daemon, url);
    // A Firebase list's ids may stay the same while its stories' points change: always fetch.
    const bool firebase = is_firebase_list(feed.type, feed.url);
    const auto it = m_feeds.find(feed.name);
    if (it != m_feeds.end() && !firebase) {
        const store::Validators v = m_store.validators(it->second.id);
        req.if_none_match = v.etag;
        req.if_modified_since = v.last_modified;
    }
    m_http.start(req, [this, feed, daemon, started, dated, firebase, req, url = std::move(url),
                       done = std::move(done)](fetch::Response response) mutable {
        if (dated && day_not_published(response)) {
            fetch::Request earlier = req;
            earlier.url = util::expand_date_placeholders(feed.url, started, 1);
            log::info("poll", "{}: {} is not published yet (HTTP 404), fetching {}", feed.name, url,
                      earlier.url);
            const auto first = response.duration;
            m_http.start(earlier, [this, feed, daemon, started, first, url = earlier.url,
                                   done = std::move(done)](fetch::Response r) {
                r.duration += first;
                record(feed, daemon, started, Fetched{std::move(r), url, std::nullopt}, done);
            });
            return;
        }
        Fetched fetched{std::move(response), std::move(url), std::nullopt};
        if (firebase && !fetch::failure_of(fetched.response))
            fetch_items(feed, daemon, started, std::move(fetched), std::move(done));
        else
            record(feed, daemon, started, std::move(fetched), done);
    });
}

void Poller::fetch_items(const config::FeedConfig& feed, const config::DaemonConfig& daemon,
                         Timestamp started, Fetched list, std::function<void(PollSummary)> done) {
    fetch::Request item = feed_request(daemon, {});
    item.max_body_bytes = std::min(daemon.max_feed_bytes, k_max_item_bytes);
    item.headers = {"Accept: application/json"};
    feed::ParseContext ctx;
    ctx.geo = feed.geo;
    ctx.fetched_at = started;
    ctx.max_bytes = static_cast<std::size_t>(daemon.max_feed_bytes);
    const std::string list_url =
        list.response.effective_url.empty() ? list.url : list.response.effective_url;
    const Instant t0 = m_clock.precise_now();
    auto shared = std::make_shared<Fetched>(std::move(list));
    fetch_firebase_items(
        m_http, shared->response.body, list_url, item, feed.max_items, daemon.max_fetches_per_host,
        ctx,
        [this, feed, daemon, started, t0, shared, done = std::move(done)](FirebaseItems items) {
            Fetched& f = *shared;
            if (items.cancelled)
                f.response.transport = fetch::Transport::cancelled;
            f.response.bytes += items.bytes;
            f.response.duration +=
                std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.precise_now() - t0);
            f.parsed = std::move(items.parsed);
            record(feed, daemon, started, std::move(f), done);
        });
}

void Poller::record(const config::FeedConfig& feed, const config::DaemonConfig& daemon,
                    Timestamp started, Fetched fetched,
                    const std::function<void(PollSummary)>& done) {
    /** What the write needs and the continuation reports, shared by both. */
    struct Recording {
        PollSummary summary;
        store::PollRecord poll;
        std::optional<feed::Snapshot> snapshot;
        std::optional<store::Validators> validators;
    };
    fetch::Response& response = fetched.response;
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
    if (fetched.url != feed.url)
        poll.url = fetched.url;

    if (auto failure = fetch::failure_of(response)) {
        poll.outcome = failure->outcome;
        poll.error = failure->error;
    } else {
        feed::ParseContext ctx;
        ctx.geo = feed.geo;
        ctx.fetched_at = started;
        ctx.max_bytes = static_cast<std::size_t>(daemon.max_feed_bytes);
        ctx.url = response.effective_url.empty() ? fetched.url : response.effective_url;
        ctx.content_type = response.content_type;
        feed::ParseResult parsed = fetched.parsed ? std::move(*fetched.parsed)
                                                  : feed::parser_for(feed.type)(response.body, ctx);
        if (auto* err = std::get_if<feed::ParseError>(&parsed)) {
            poll.outcome = fetch::Outcome::parse_error;
            poll.error = err->message;
        } else {
            r->snapshot = std::move(std::get<feed::Snapshot>(parsed));
            poll.outcome = fetch::Outcome::ok;
            poll.items = static_cast<int>(r->snapshot->items.size());
            poll.as_of = r->snapshot->as_of;
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
            r->summary.stats =
                m_ingestor.record(it->second, r->poll, r->snapshot ? &*r->snapshot : nullptr,
                                  r->validators ? &*r->validators : nullptr, m_clock.now());
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
    if (fetch::is_success(poll.outcome))
        check_health(feed, r->snapshot ? &*r->snapshot : nullptr,
                     poll.outcome == fetch::Outcome::not_modified, started);
}

void Poller::check_health(const config::FeedConfig& feed, const feed::Snapshot* snapshot,
                          bool not_modified, Timestamp at) {
    HealthSample sample;
    if (snapshot != nullptr)
        sample = health_sample(*snapshot, at);
    sample.at = at;
    sample.not_modified = not_modified;
    const HealthSettings settings{feed.interval, feed.frozen_after};
    auto changes = std::make_shared<std::vector<HealthChange>>();
    m_writes.submit(
        fmt::format("record the health of feed {}", feed.name),
        [this, sample, settings, changes, name = feed.name] {
            const auto it = m_feeds.find(name);
            if (it == m_feeds.end())
                return;
            auto tx = m_store.begin();
            HealthVerdict v = evaluate_health(m_store.feed_health(it->second.id), sample, settings);
            m_store.save_feed_health(it->second.id, v.state, m_clock.now());
            tx.commit();
            *changes = std::move(v.changes);
        },
        [changes, name = feed.name] {
            for (const HealthChange& c : *changes) {
                if (c.started)
                    log::warning("health", "{}: {}", name, c.message);
                else
                    log::notice("health", "{}: {}", name, c.message);
            }
        });
}

} // namespace trend::pipeline
