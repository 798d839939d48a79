// SPDX-License-Identifier: MIT
#include "trend/pipeline/ingest.hpp"

#include "trend/detect/detector.hpp"
#include "trend/feed/parser.hpp"
#include "trend/log/log.hpp"
#include "trend/util/fs.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>

namespace trend::pipeline {

namespace {

void announce(const IngestStats& stats) {
    for (const std::string& line : stats.announcements)
        log::notice("detect", "{}", line);
}

} // namespace

void Ingestor::update_horizon() {
    m_horizon = Seconds{0};
    std::vector<config::RuleConfig> configs;
    for (const detect::Rule& r : m_rules) {
        m_horizon = std::max({m_horizon, r.config().window, r.config().cooldown});
        configs.push_back(r.config());
    }
    m_cooldowns = store::draft_cooldowns(configs);
}

template <typename Record>
void Ingestor::in_transaction(Record record) {
    try {
        auto tx = m_store.begin();
        record();
        m_store.write_term_geos();
        util::crash_point("ingest-before-commit");
        tx.commit();
    } catch (...) {
        m_stories.forget(); // it may have read what the rollback undid
        throw;
    }
}

IngestStats Ingestor::record(const FeedRef& feed, const store::PollRecord& poll,
                             const feed::Snapshot* snapshot, const store::Validators* validators,
                             Timestamp now) {
    IngestStats stats;
    in_transaction([&] { stats = record_in_transaction(feed, poll, snapshot, validators, now); });
    // Announced once they exist: a transaction that rolls back (a full disk) announces nothing.
    announce(stats);
    return stats;
}

std::vector<IngestStats> Ingestor::record_batch(std::span<const PollInput> polls) {
    std::vector<IngestStats> out;
    out.reserve(polls.size());
    in_transaction([&] {
        for (const PollInput& p : polls)
            out.push_back(record_in_transaction(p.feed, p.poll, p.snapshot, p.validators, p.now));
    });
    for (const IngestStats& stats : out)
        announce(stats);
    return out;
}

IngestStats Ingestor::record_in_transaction(const FeedRef& feed, const store::PollRecord& poll,
                                            const feed::Snapshot* snapshot,
                                            const store::Validators* validators, Timestamp now) {
    IngestStats stats;
    stats.poll_id = m_store.insert_poll(poll);

    // Resolution first: a spike whose term stopped trending long enough is over, so a new
    // crossing below can start a new story (cooldown permitting).
    for (const detect::Rule& rule : m_rules) {
        stats.resolved += m_store.resolve_spikes(rule.name(), rule.config().resolve_after, now);
        if (rule.config().min_sources > 1)
            m_store.expire_held(rule.name(), rule.config().window, now);
    }

    if (snapshot != nullptr) {
        // A feed configured without a geo takes the one its document names.
        const FeedRef ref{feed.id, feed.name, feed.geo.empty() ? snapshot->geo : feed.geo,
                          feed.type};
        const std::string_view platform = feed::platform_of(feed.type);
        std::vector<PolledItem> polled;
        polled.reserve(snapshot->items.size());
        for (const feed::Item& item : snapshot->items) {
            const std::string norm = text::normalize_term(item.term);
            if (norm.empty() || !item.skip_reason.empty())
                continue;
            const store::Id term_id = m_store.term_id(norm, item.term, now);
            const store::Id obs_id =
                m_store.insert_observation(stats.poll_id, feed.id, term_id, ref.geo,
                                           snapshot->fetched_at, item, snapshot->traffic_kind);
            link_articles(obs_id, item, *snapshot, platform);
            ++stats.observations;
            polled.push_back({obs_id, term_id, &item});
            detect_item(ref, stats.poll_id, polled.back(), norm, snapshot->traffic_kind, now,
                        stats);
        }
        // Every item is a possible signal of a story, and may release a held draft.
        for (const store::Id spike_id : m_stories.corroborate(
                 ref, polled, snapshot->traffic_kind, m_rules, m_horizon, now)) {
            stats.drafts.push_back(m_store.queue_draft(spike_id, now));
            stats.announcements.push_back(fmt::format(
                "spike {}: corroborated by {} now, its draft is queued", spike_id, feed.name));
        }
        // New coverage of a story whose draft is written is read: it may revise the draft.
        std::vector<store::Id> term_ids;
        for (const PolledItem& p : polled)
            term_ids.push_back(p.term_id);
        m_store.queue_revision_pages(m_cooldowns, feed.id, term_ids, now);
    }
    if (validators != nullptr)
        m_store.set_validators(feed.id, *validators);
    return stats;
}

void Ingestor::link_articles(store::Id observation_id, const feed::Item& item,
                             const feed::Snapshot& snapshot, std::string_view platform) {
    int position = 0;
    for (const feed::NewsItem& news : item.news) {
        if (news.url.empty())
            continue;
        m_store.link_article(observation_id, m_store.upsert_article(news, snapshot.fetched_at),
                             ++position);
    }
    // An rss entry, a Hacker News story's link and a Mastodon link card are articles: they
    // can be read and cited. A Mastodon tag page, a Wikipedia article and an Ask HN discussion
    // are not.
    const bool is_article =
        platform == "news" || (platform == "hackernews" && item.url != item.discussion_url) ||
        (platform == "mastodon" && snapshot.traffic_kind == feed::TrafficKind::shares);
    if (is_article && !item.url.empty() && position == 0)
        m_store.link_article(observation_id,
                             m_store.upsert_item_article(item, snapshot.title, platform,
                                                         snapshot.fetched_at),
                             1);
}

void Ingestor::detect_item(const FeedRef& feed, store::Id poll_id, const PolledItem& polled,
                           const std::string& norm, feed::TrafficKind kind, Timestamp now,
                           IngestStats& stats) {
    const feed::Item& item = *polled.item;
    for (const detect::Rule& rule : m_rules) {
        if (!detect::qualifies(rule, norm, feed.name, feed.geo, item.traffic.value, feed.type,
                               item.rank))
            continue;
        const config::RuleConfig& rc = rule.config();
        detect::Input in;
        in.term = norm;
        in.feed = feed.name;
        in.geo = feed.geo;
        in.feed_type = feed.type;
        in.current = {now, item.traffic.value, item.rank};
        in.now = now;
        if (auto prev = m_store.previous_point(polled.term_id, feed.id, poll_id))
            in.previous = detect::Point{prev->at, prev->traffic, prev->rank};
        std::vector<std::int64_t> window;
        if (rc.growth) {
            window = m_store.traffic_since(polled.term_id, feed.id, now - rc.window, poll_id);
            in.window = window;
        }
        const auto last = m_store.last_spike(rule.name(), polled.term_id);
        if (last)
            in.last_spike = detect::LastSpike{last->detected_at, last->last_seen_at, last->open};

        const detect::Decision d = detect::evaluate(rule, in);
        if (d.verdict == detect::Verdict::continues) {
            m_store.touch_spike(last->id, now);
        } else if (d.verdict == detect::Verdict::fire) {
            store::NewSpike s;
            s.rule = rule.name();
            s.action = rc.action;
            s.term_id = polled.term_id;
            s.feed_id = feed.id;
            s.observation_id = polled.observation_id;
            s.geo = feed.geo;
            s.detected_at = now;
            s.traffic = *item.traffic.value;
            s.traffic_label = item.traffic.label;
            s.previous_traffic = d.previous_traffic;
            s.baseline = d.baseline;
            s.reason = d.reason;
            const store::Id spike_id = m_store.insert_spike(s);
            stats.spikes.push_back(spike_id);
            const Placement p = m_stories.place(feed, rule, spike_id, polled, norm, kind, now);
            std::string line = fmt::format("spike {}: rule {} term \"{}\" in {}: {}; story {} ({})",
                                           spike_id, rule.name(), item.term, feed.name, d.reason,
                                           p.story_id, p.how);
            if (!p.held.empty())
                line += fmt::format("; draft held back, {}", p.held);
            stats.announcements.push_back(std::move(line));
            if (p.draft_now)
                stats.drafts.push_back(m_store.queue_draft(spike_id, now));
        }
    }
}

} // namespace trend::pipeline
