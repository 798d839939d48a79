// SPDX-License-Identifier: MIT
#include "trend/pipeline/ingest.hpp"

#include "trend/detect/detector.hpp"
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

IngestStats Ingestor::record(const FeedRef& feed, const store::PollRecord& poll,
                             const feed::Snapshot* snapshot, const store::Validators* validators,
                             Timestamp now) {
    auto tx = m_store.begin();
    IngestStats stats = record_in_transaction(feed, poll, snapshot, validators, now);
    util::crash_point("ingest-before-commit");
    tx.commit();
    // Announced once they exist: a transaction that rolls back (a full disk) announces nothing.
    announce(stats);
    return stats;
}

std::vector<IngestStats> Ingestor::record_batch(std::span<const PollInput> polls) {
    std::vector<IngestStats> out;
    out.reserve(polls.size());
    auto tx = m_store.begin();
    for (const PollInput& p : polls)
        out.push_back(record_in_transaction(p.feed, p.poll, p.snapshot, p.validators, p.now));
    util::crash_point("ingest-before-commit");
    tx.commit();
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
    for (const detect::Rule& rule : m_rules)
        stats.resolved += m_store.resolve_spikes(rule.name(), rule.config().resolve_after, now);

    if (snapshot != nullptr) {
        // A feed configured without a geo takes the one its document names.
        const FeedRef ref{feed.id, feed.name, feed.geo.empty() ? snapshot->geo : feed.geo};
        for (const feed::Item& item : snapshot->items) {
            const std::string norm = text::normalize_term(item.term);
            if (norm.empty() || !item.skip_reason.empty())
                continue;
            const store::Id term_id = m_store.term_id(norm, item.term, now);
            const store::Id obs_id = m_store.insert_observation(
                stats.poll_id, feed.id, term_id, ref.geo, snapshot->fetched_at, item);
            int position = 0;
            for (const feed::NewsItem& news : item.news) {
                if (news.url.empty())
                    continue;
                m_store.link_article(obs_id, m_store.upsert_article(news, snapshot->fetched_at),
                                     ++position);
            }
            ++stats.observations;
            detect_item(ref, stats.poll_id, term_id, obs_id, norm, item, now, stats);
        }
    }
    if (validators != nullptr)
        m_store.set_validators(feed.id, *validators);
    return stats;
}

void Ingestor::detect_item(const FeedRef& feed, store::Id poll_id, store::Id term_id,
                           store::Id observation_id, const std::string& norm,
                           const feed::Item& item, Timestamp now, IngestStats& stats) {
    for (const detect::Rule& rule : m_rules) {
        if (!detect::qualifies(rule, norm, feed.name, feed.geo, item.traffic.value))
            continue;
        const config::RuleConfig& rc = rule.config();
        detect::Input in;
        in.term = norm;
        in.feed = feed.name;
        in.geo = feed.geo;
        in.current = {now, item.traffic.value};
        in.now = now;
        if (auto prev = m_store.previous_point(term_id, feed.id, poll_id))
            in.previous = detect::Point{prev->at, prev->traffic};
        std::vector<std::int64_t> window;
        if (rc.growth) {
            window = m_store.traffic_since(term_id, feed.id, now - rc.window, poll_id);
            in.window = window;
        }
        const auto last = m_store.last_spike(rule.name(), term_id);
        if (last)
            in.last_spike = detect::LastSpike{last->detected_at, last->last_seen_at, last->open};

        const detect::Decision d = detect::evaluate(rule, in);
        if (d.verdict == detect::Verdict::continues) {
            m_store.touch_spike(last->id, now);
        } else if (d.verdict == detect::Verdict::fire) {
            store::NewSpike s;
            s.rule = rule.name();
            s.action = rc.action;
            s.term_id = term_id;
            s.feed_id = feed.id;
            s.observation_id = observation_id;
            s.geo = feed.geo;
            s.detected_at = now;
            s.traffic = *item.traffic.value;
            s.traffic_label = item.traffic.label;
            s.previous_traffic = d.previous_traffic;
            s.baseline = d.baseline;
            s.reason = d.reason;
            const store::Id spike_id = m_store.insert_spike(s);
            stats.spikes.push_back(spike_id);
            stats.announcements.push_back(fmt::format("spike {}: rule {} term \"{}\" in {}: {}",
                                                      spike_id, rule.name(), item.term, feed.name,
                                                      d.reason));
            if (rc.action == config::Action::draft)
                stats.drafts.push_back(m_store.queue_draft(spike_id, now));
        }
    }
}

} // namespace trend::pipeline
