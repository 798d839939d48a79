// SPDX-License-Identifier: MIT
#pragma once

#include "trend/detect/rule.hpp"
#include "trend/feed/snapshot.hpp"
#include "trend/pipeline/stories.hpp"
#include "trend/store/store.hpp"

#include <span>
#include <vector>

namespace trend::pipeline {

/** A feed as the pipeline knows it: its row id, name, geo and type. */
struct FeedRef {
    store::Id id = 0;
    std::string name;
    std::string geo;
    std::string type; ///< "google-trends-rss", ...: what rules' `sources` and stories see
};

struct IngestStats {
    store::Id poll_id = 0;
    int observations = 0;
    std::vector<store::Id> spikes; ///< spikes fired by this poll
    std::vector<store::Id> drafts; ///< draft jobs queued by this poll (held ones released too)
    int resolved = 0;              ///< spikes resolved at this poll
    std::vector<std::string> announcements; ///< log lines of new spikes, logged after commit
};

/** One poll for Ingestor::record_batch: the arguments of Ingestor::record. */
struct PollInput {
    FeedRef feed;
    store::PollRecord poll;
    const feed::Snapshot* snapshot = nullptr;
    const store::Validators* validators = nullptr;
    Timestamp now{};
};

/**
 * Records one poll and everything it caused in ONE transaction: the polls row, the terms,
 * observations and articles of the snapshot (Google's news items, and the items that are
 * articles themselves), the feed's new validators, spike resolution, detection, new spikes,
 * their stories and signals (Stories), and their draft jobs: one per story, held back until a
 * rule's `min_sources` agree. A crash at any point leaves either all of it or none of it, so a
 * trigger is never lost nor drafted twice.
 *
 * Used by the daemon, `trendd --once`, `trendctl draft` and backtest alike. Not thread-safe.
 */
class Ingestor final {
    store::Store& m_store;
    std::vector<detect::Rule> m_rules;
    Stories m_stories{m_store};
    /** How far back stories take signals: the longest window or cooldown of the rules. */
    Seconds m_horizon{0};
    store::Cooldowns m_cooldowns; ///< of the drafting rules: how long a draft may be revised

public:
    Ingestor(store::Store& store, std::vector<detect::Rule> rules)
        : m_store(store), m_rules(std::move(rules)) {
        update_horizon();
    }

    void set_rules(std::vector<detect::Rule> rules) {
        m_rules = std::move(rules);
        update_horizon();
    }
    [[nodiscard]] const std::vector<detect::Rule>& rules() const noexcept { return m_rules; }

    /** `snapshot` is null for polls that produced none (errors, 304). `validators` are stored
     *  when given (a 200 with ETag/Last-Modified). `now` is the detection time. */
    IngestStats record(const FeedRef& feed, const store::PollRecord& poll,
                       const feed::Snapshot* snapshot, const store::Validators* validators,
                       Timestamp now);

    /** Records `polls` in order, exactly as record() one after the other would, but in ONE
     *  transaction: all of them or none. For a replay (backtest), where a commit per poll
     *  costs more than the poll itself. Spikes are announced after the commit. */
    std::vector<IngestStats> record_batch(std::span<const PollInput> polls);

private:
    /** Runs `record` and the term_geos it owes in one transaction. When it fails (rolled
     *  back) the stories' cache is forgotten before the exception goes on. */
    template <typename Record>
    void in_transaction(Record record);
    void update_horizon();
    /** record() inside the caller's transaction; announcements are left in the stats. */
    IngestStats record_in_transaction(const FeedRef& feed, const store::PollRecord& poll,
                                      const feed::Snapshot* snapshot,
                                      const store::Validators* validators, Timestamp now);
    /** Stores the articles an item carries: Google's news items, or the item itself. */
    void link_articles(store::Id observation_id, const feed::Item& item,
                       const feed::Snapshot& snapshot, std::string_view platform);
    void detect_item(const FeedRef& feed, store::Id poll_id, const PolledItem& polled,
                     const std::string& norm, feed::TrafficKind kind, Timestamp now,
                     IngestStats& stats);
};

} // namespace trend::pipeline
