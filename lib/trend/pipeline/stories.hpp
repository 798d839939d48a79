// SPDX-License-Identifier: MIT
#pragma once

#include "trend/detect/rule.hpp"
#include "trend/detect/topic.hpp"
#include "trend/feed/snapshot.hpp"
#include "trend/store/store.hpp"

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace trend::pipeline {

struct FeedRef;

/** One stored item of a poll: its observation and what the feed said. */
struct PolledItem {
    store::Id observation_id = 0;
    store::Id term_id = 0;
    const feed::Item* item = nullptr;
};

/** Where a new spike went, and what happens to its draft. */
struct Placement {
    store::Id story_id = 0;
    std::string how;        ///< "new story", "same term", "shared coverage", "contained", ...
    bool draft_now = false; ///< queue the spike's draft job now
    std::string held;       ///< why its draft job is held back ("" = not held)
    std::vector<store::Id> superseded; ///< held spikes of the story this one drafts instead of
};

/**
 * One story across terms and sources (docs/architecture.md, "Stories"), inside the ingest
 * transaction. A spike joins the newest story seen within its rule's cooldown that
 *   1. goes by its term (a spike term, or one of Google's related searches of one),
 *   2. shares coverage with it (an article URL one of the story's sources carried), or has
 *      near-identical headlines, or
 *   3. tells the same story by the topic matcher (detect/topic.hpp) against a spike term;
 * else it opens a new story. Only the story's first spike whose rule drafts, and whose rule's
 * `min_sources` is met, gets a draft job: one story, one draft.
 *
 * Every item of every feed that matches a story seen within the rules' horizon is a signal of
 * that story (story_signals): which source types saw it and how strongly. A draft held for
 * corroboration is queued when enough source types have signalled within its rule's window.
 * Not thread-safe; used by the Ingestor only.
 */
class Stories final {
    /** A story's spike term as the topic matcher reads it. */
    struct KnownTerm {
        std::string display;
        std::vector<std::string> keys; ///< detect::topic_keys of its topic
    };
    using RecentStories = std::vector<std::pair<store::Id, const std::vector<KnownTerm>*>>;

    store::Store& m_store;
    std::unordered_map<std::string, detect::Topic> m_topics; ///< read topics, by text
    /** The spike terms of the stories seen lately, read from the store once per story and
     *  again after place() adds to one: a poll asks the store only which stories are recent. */
    std::unordered_map<store::Id, std::vector<KnownTerm>> m_known;

public:
    explicit Stories(store::Store& store) : m_store(store) {}

    /** Puts the fired spike `spike_id` of `rule` (on `item`, observed as `polled`) in a story:
     *  its membership, terms and signals are written, and earlier items of other feeds within
     *  the rule's window are matched as signals. */
    Placement place(const FeedRef& feed, const detect::Rule& rule, store::Id spike_id,
                    const PolledItem& polled, const std::string& norm, feed::TrafficKind kind,
                    Timestamp now);

    /** The poll's items as signals of every story seen since `now - horizon`. Returns the
     *  spikes whose held drafts are now corroborated (no longer held: queue their jobs). */
    std::vector<store::Id> corroborate(const FeedRef& feed, std::span<const PolledItem> items,
                                       feed::TrafficKind kind,
                                       const std::vector<detect::Rule>& rules, Seconds horizon,
                                       Timestamp now);

    /** Forgets what was read from the store. After a transaction that rolled back: what it
     *  wrote (and what was read of that) is gone. */
    void forget() noexcept;

private:
    const detect::Topic& topic(const std::string& text);
    /** The stories seen since `since`, newest first, each with its spike terms in the order
     *  they were added (m_known, read where missing). */
    RecentStories recent_stories(Timestamp since);
    /** Which story a new spike joins, and how; nullopt for a new story. */
    std::optional<std::pair<store::Id, std::string>> find_story(const PolledItem& polled,
                                                                const std::string& norm,
                                                                Timestamp since);
    void signal(store::Id story_id, const FeedRef& feed, const PolledItem& polled,
                feed::TrafficKind kind, std::string match, Timestamp now);
    /** Earlier items of other feeds within `window` that match `term` become signals. */
    void match_recent(store::Id story_id, const FeedRef& feed, const std::string& term,
                      Seconds window, Timestamp now);
    /** The draft decision for a fired spike of a drafting rule. */
    void decide_draft(const detect::Rule& rule, store::Id spike_id, Placement& p);
};

} // namespace trend::pipeline
