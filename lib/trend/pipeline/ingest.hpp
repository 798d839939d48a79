// SPDX-License-Identifier: MIT
#pragma once

#include "trend/detect/rule.hpp"
#include "trend/feed/snapshot.hpp"
#include "trend/store/store.hpp"

#include <span>
#include <vector>

namespace trend::pipeline {

/** A feed as the pipeline knows it: its row id, name and geo. */
struct FeedRef {
    store::Id id = 0;
    std::string name;
    std::string geo;
};

struct IngestStats {
    store::Id poll_id = 0;
    int observations = 0;
    std::vector<store::Id> spikes;          ///< spikes fired by this poll
    std::vector<store::Id> drafts;          ///< draft jobs queued by this poll
    int resolved = 0;                       ///< spikes resolved at this poll
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
 * observations and articles of the snapshot, the feed's new validators, spike resolution,
 * detection, new spikes and their draft jobs. A crash at any point leaves either all of it or
 * none of it, so a trigger is never lost nor drafted twice.
 *
 * Used by the daemon, `trendd --once`, `trendctl draft` and backtest alike. Not thread-safe.
 */
class Ingestor final {
    store::Store& m_store;
    std::vector<detect::Rule> m_rules;

public:
    Ingestor(store::Store& store, std::vector<detect::Rule> rules)
        : m_store(store), m_rules(std::move(rules)) {}

    void set_rules(std::vector<detect::Rule> rules) { m_rules = std::move(rules); }
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
    /** record() inside the caller's transaction; announcements are left in the stats. */
    IngestStats record_in_transaction(const FeedRef& feed, const store::PollRecord& poll,
                                      const feed::Snapshot* snapshot,
                                      const store::Validators* validators, Timestamp now);

    void detect_item(const FeedRef& feed, store::Id poll_id, store::Id term_id,
                     store::Id observation_id, const std::string& norm, const feed::Item& item,
                     Timestamp now, IngestStats& stats);
};

} // namespace trend::pipeline
