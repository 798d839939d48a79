// SPDX-License-Identifier: MIT
#pragma once

#include "trend/feed/snapshot.hpp"
#include "trend/store/store.hpp"
#include "trend/util/time.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

/**
 * Source health: a feed that answers 200 but has gone quiet or broken (docs/sources.md,
 * "Source health"). Pure: the evaluator takes the feed's stored state and one answer and
 * returns the new state and what changed; the Poller stores the state (feed_health) and logs
 * one warning when a problem starts and one notice when it ends, never one per poll.
 *
 * Problems:
 *  - no items: the answer's list holds no item ingestion would keep;
 *  - frozen: the same content (the hash of the item list: terms, links and traffic labels; a
 *    304 counts as the same) for at least `frozen_after`, or, when the feed sets none, for
 *    max(6 x interval, 2 h, 4 x the time its content usually lasts, learnt as a moving
 *    average of the content lifetimes it has shown) and 6 answers;
 *  - schema drift: a field that most items had in each of the last 3 or more answers is in no
 *    item now (Google Trends items without news items, traffic labels that stop parsing, HN
 *    items without points, entries without links or dates).
 */
namespace trend::pipeline {

/** The fields of an item whose disappearance is schema drift. */
inline constexpr std::string_view k_health_fields[] = {
    "traffic", "news", "url", "published_at", "author", "comments", "summary", "picture",
};

/** One answer of a feed, as the evaluator sees it. */
struct HealthSample {
    Timestamp at{};
    bool not_modified = false; ///< a 304: the same content as before, nothing else known
    std::string content_hash;  ///< of the item list
    int items = 0;             ///< items ingestion would keep
    std::map<std::string, double> fields; ///< field -> share of those items that have it
};

/** The sample of a parsed answer. Pure. */
[[nodiscard]] HealthSample health_sample(const feed::Snapshot& snapshot, Timestamp at);

/** A feed's settings that health depends on. */
struct HealthSettings {
    Seconds interval{600};
    std::optional<Seconds> frozen_after; ///< nullopt = learnt
};

enum class HealthProblem { no_items, frozen, schema_drift };

/** "no_items", "frozen", "schema_drift": metric label values. */
[[nodiscard]] std::string_view to_string(HealthProblem p) noexcept;

/** A problem that started (`started`, its description in `message`) or ended. */
struct HealthChange {
    HealthProblem problem = HealthProblem::no_items;
    bool started = false;
    std::string message;
};

struct HealthVerdict {
    store::FeedHealthRow state; ///< to store
    std::vector<HealthChange> changes;
};

/** The new state after `sample`, given the stored state (nullopt for a feed never seen). */
[[nodiscard]] HealthVerdict evaluate_health(const std::optional<store::FeedHealthRow>& before,
                                            const HealthSample& sample,
                                            const HealthSettings& settings);

} // namespace trend::pipeline
