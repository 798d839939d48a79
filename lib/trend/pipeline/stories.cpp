// SPDX-License-Identifier: MIT
#include "trend/pipeline/stories.hpp"

#include "trend/feed/parser.hpp"
#include "trend/pipeline/ingest.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_set>

namespace trend::pipeline {

namespace {

/** A Hacker News item's signal links to its discussion; the others to the item itself. */
std::string signal_url(std::string_view platform, const std::string& url,
                       const std::string& discussion) {
    return platform == "hackernews" && !discussion.empty() ? discussion : url;
}

/** Whether two sorted key lists (detect::topic_keys) have a key in common: topics that match
 *  do, so the matcher runs only on those. */
bool share_a_key(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (*i == *j)
            return true;
        if (*i < *j)
            ++i;
        else
            ++j;
    }
    return false;
}

/** Matches as the matcher names them, or nullopt. */
std::optional<std::string> matched(detect::TopicMatch m) {
    if (m == detect::TopicMatch::none)
        return std::nullopt;
    return std::string(detect::to_string(m));
}

} // namespace

namespace {

/** How many of the newest headlines of recent stories a spike's headlines are compared with:
 *  a bound on the work of every spike, however many stories a day brings. */
constexpr std::size_t k_headlines_compared = 1000;

/** Forgets the topics read so far once there are many (a cache, not a record). Only at the
 *  start of place() and corroborate(): clearing inside topic() freed the topics callers held
 *  references to (a use after free that ended the ingest benchmark in bad_alloc). */
void trim(std::unordered_map<std::string, detect::Topic>& topics) {
    if (topics.size() > 20000)
        topics.clear();
}

} // namespace

void Stories::forget() noexcept {
    m_known.clear();
}

Stories::RecentStories Stories::recent_stories(Timestamp since) {
    const std::vector<store::Id> ids = m_store.stories_seen_since(since);
    if (m_known.size() > 2 * ids.size() + 64) { // most of them left the window
        const std::unordered_set<store::Id> recent(ids.begin(), ids.end());
        std::erase_if(m_known, [&](const auto& known) { return recent.count(known.first) == 0; });
    }
    RecentStories out;
    out.reserve(ids.size());
    for (const store::Id id : ids) {
        auto it = m_known.find(id);
        if (it == m_known.end()) {
            std::vector<KnownTerm> terms;
            for (store::StoryTerm& t : m_store.story_spike_terms(id)) {
                auto keys = detect::topic_keys(topic(t.display));
                terms.push_back({std::move(t.display), std::move(keys)});
            }
            it = m_known.emplace(id, std::move(terms)).first;
        }
        out.emplace_back(id, &it->second);
    }
    return out;
}

const detect::Topic& Stories::topic(const std::string& text) {
    auto it = m_topics.find(text);
    if (it == m_topics.end())
        it = m_topics.emplace(text, detect::read_topic(text)).first;
    return it->second;
}

std::optional<std::pair<store::Id, std::string>>
Stories::find_story(const PolledItem& polled, const std::string& norm, Timestamp since) {
    if (auto by_term = m_store.story_by_term(norm, since))
        return std::pair{by_term->first,
                         by_term->second == "spike" ? std::string("same term") : by_term->second};
    if (auto shared = m_store.story_sharing_coverage(polled.observation_id, since))
        return std::pair{*shared, std::string("shared coverage")};
    if (const auto mine = m_store.observation_headlines(polled.observation_id); !mine.empty()) {
        for (const auto& [story, headline] : m_store.story_headlines(since, k_headlines_compared))
            for (const std::string& h : mine)
                if (detect::match_topics(topic(headline), topic(h)) == detect::TopicMatch::similar)
                    return std::pair{story, std::string("similar headlines")};
    }
    const detect::Topic& me = topic(polled.item->term);
    const std::vector<std::string> my_keys = detect::topic_keys(me);
    for (const auto& [story, terms] : recent_stories(since))
        for (const KnownTerm& t : *terms)
            if (share_a_key(t.keys, my_keys))
                if (auto how = matched(detect::match_topics(topic(t.display), me)))
                    return std::pair{story, *how};
    return std::nullopt;
}

void Stories::signal(store::Id story_id, const FeedRef& feed, const PolledItem& polled,
                     feed::TrafficKind kind, std::string match, Timestamp now) {
    const feed::Item& item = *polled.item;
    store::NewSignal g;
    g.story_id = story_id;
    g.feed_id = feed.id;
    g.term_id = polled.term_id;
    g.observation_id = polled.observation_id;
    g.platform = std::string(feed::platform_of(feed.type));
    g.term = item.term;
    g.url = signal_url(g.platform, item.url, item.discussion_url);
    g.traffic = item.traffic.value;
    g.traffic_label = item.traffic.label;
    g.traffic_kind = std::string(feed::traffic_kind_name(kind));
    g.rank = item.rank;
    g.comments = item.comments;
    g.level = detect::signal_level(g.traffic_kind, g.traffic, g.rank);
    g.match = std::move(match);
    g.seen_at = now;
    m_store.upsert_signal(g);
}

void Stories::match_recent(store::Id story_id, const FeedRef& feed, const std::string& term,
                           Seconds window, Timestamp now) {
    const detect::Topic& mine = topic(term);
    const auto keys = detect::topic_keys(mine);
    const std::set<std::string> key_set(keys.begin(), keys.end());
    for (const store::RecentItem& r : m_store.recent_items(now - window, feed.id)) {
        const detect::Topic& theirs = topic(r.title);
        const auto their_keys = detect::topic_keys(theirs);
        if (std::none_of(their_keys.begin(), their_keys.end(),
                         [&](const std::string& k) { return key_set.count(k) > 0; }))
            continue;
        const auto how = matched(detect::match_topics(mine, theirs));
        if (!how)
            continue;
        store::NewSignal g;
        g.story_id = story_id;
        g.feed_id = r.feed_id;
        g.term_id = r.term_id;
        g.observation_id = r.observation_id;
        g.platform = std::string(feed::platform_of(r.feed_type));
        g.term = r.title;
        g.url = signal_url(g.platform, r.url, r.discussion_url);
        g.traffic = r.traffic;
        g.traffic_label = r.traffic_label;
        g.traffic_kind = r.traffic_kind;
        g.rank = r.rank;
        g.comments = r.comments;
        g.level = detect::signal_level(g.traffic_kind, g.traffic, g.rank);
        g.match = *how;
        g.seen_at = r.observed_at;
        m_store.upsert_signal(g);
    }
}

void Stories::decide_draft(const detect::Rule& rule, store::Id spike_id, Placement& p) {
    const config::RuleConfig& rc = rule.config();
    const int sources = m_store.story_source_count(p.story_id);
    const bool corroborated = sources >= rc.min_sources;
    const std::optional<store::Id> drafting = m_store.story_draft_spike(p.story_id);
    if (drafting) {
        // The story has its draft spike. One whose draft still waits for corroboration gives
        // way to this one when this one's rule is satisfied: the first qualifying spike drafts.
        const auto held = m_store.held_draft(p.story_id);
        if (!held || !corroborated)
            return;
        m_store.hold_draft(held->spike_id,
                           fmt::format("superseded: the story is drafted from spike {}", spike_id));
        p.superseded.push_back(held->spike_id);
    }
    m_store.set_story_draft_spike(p.story_id, spike_id);
    if (corroborated) {
        p.draft_now = true;
        return;
    }
    p.held = fmt::format("waiting for corroboration: {} of {} source types within {}", sources,
                         rc.min_sources, format_duration(rc.window));
    m_store.hold_draft(spike_id, p.held);
}

Placement Stories::place(const FeedRef& feed, const detect::Rule& rule, store::Id spike_id,
                         const PolledItem& polled, const std::string& norm, feed::TrafficKind kind,
                         Timestamp now) {
    trim(m_topics);
    const config::RuleConfig& rc = rule.config();
    const feed::Item& item = *polled.item;
    Placement p;
    if (auto found = find_story(polled, norm, now - rc.cooldown)) {
        p.story_id = found->first;
        p.how = std::move(found->second);
    } else {
        p.story_id = m_store.create_story(item.term, now);
        p.how = "new story";
    }
    m_store.join_story(spike_id, p.story_id, p.how, now);
    m_store.add_story_term(p.story_id, norm, item.term, "spike", now);
    for (const std::string& r : item.related)
        m_store.add_story_term(p.story_id, text::normalize_term(r), r, "related search", now);
    m_known.erase(p.story_id); // read again with its new terms
    signal(p.story_id, feed, polled, kind, "spike", now);
    if (p.how != "same term")
        match_recent(p.story_id, feed, item.term, rc.window, now);
    if (rc.action == config::Action::draft)
        decide_draft(rule, spike_id, p);
    return p;
}

std::vector<store::Id> Stories::corroborate(const FeedRef& feed, std::span<const PolledItem> items,
                                            feed::TrafficKind kind,
                                            const std::vector<detect::Rule>& rules, Seconds horizon,
                                            Timestamp now) {
    trim(m_topics);
    const RecentStories stories = recent_stories(now - horizon);
    if (stories.empty())
        return {};
    // The poll's items by topic key; then each item's candidates, the story terms that share a
    // key with it, in the stories' order.
    std::vector<const detect::Topic*> item_topics(items.size());
    std::vector<std::vector<std::string>> item_keys(items.size());
    std::unordered_map<std::string_view, std::vector<std::size_t>> by_key;
    for (std::size_t i = 0; i < items.size(); ++i) {
        item_topics[i] = &topic(items[i].item->term);
        item_keys[i] = detect::topic_keys(*item_topics[i]);
        for (const std::string& k : item_keys[i])
            if (auto& those = by_key[k]; those.empty() || those.back() != i)
                those.push_back(i);
    }
    std::vector<std::vector<std::pair<store::Id, const KnownTerm*>>> candidates(items.size());
    for (const auto& [story, terms] : stories)
        for (const KnownTerm& t : *terms)
            for (const std::string& k : t.keys)
                if (const auto it = by_key.find(k); it != by_key.end())
                    for (const std::size_t i : it->second)
                        if (candidates[i].empty() || candidates[i].back().second != &t)
                            candidates[i].emplace_back(story, &t);

    std::set<store::Id> touched;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const detect::Topic& mine = *item_topics[i];
        std::set<store::Id> matched_stories;
        for (const auto& [story, t] : candidates[i]) {
            if (matched_stories.count(story) > 0)
                continue;
            if (auto how = matched(detect::match_topics(topic(t->display), mine))) {
                signal(story, feed, items[i], kind, *how, now);
                matched_stories.insert(story);
                touched.insert(story);
            }
        }
    }

    std::vector<store::Id> released;
    for (const store::Id story : touched) {
        const auto held = m_store.held_draft(story);
        if (!held)
            continue;
        const auto rule = std::find_if(rules.begin(), rules.end(), [&](const detect::Rule& r) {
            return r.name() == held->rule;
        });
        if (rule == rules.end() || now - held->detected_at > rule->config().window ||
            m_store.story_source_count(story) < rule->config().min_sources)
            continue;
        m_store.release_held(held->spike_id);
        released.push_back(held->spike_id);
    }
    return released;
}

} // namespace trend::pipeline
