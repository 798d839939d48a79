// SPDX-License-Identifier: MIT
#include "trend/pipeline/health.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <sstream>

namespace trend::pipeline {

namespace {

constexpr Seconds k_frozen_floor{2 * 3600};
constexpr int k_learnt_min_answers = 6;
constexpr int k_explicit_min_answers = 2;
constexpr int k_field_streak = 3;   // answers in a row a field must have been there
constexpr double k_learning_rate = 0.3;

/** FNV-1a, 64 bits: stable across builds and runs (the hash is stored). */
class Fnv {
    std::uint64_t m_h = 14695981039346656037ULL;

public:
    void add(std::string_view s) {
        for (const unsigned char c : s) {
            m_h ^= c;
            m_h *= 1099511628211ULL;
        }
        m_h ^= 0x1f; // field separator
        m_h *= 1099511628211ULL;
    }
    [[nodiscard]] std::string hex() const { return fmt::format("{:016x}", m_h); }
};

std::map<std::string, int> decode_streaks(const std::string& text) {
    std::map<std::string, int> out;
    std::istringstream in(text);
    std::string pair;
    while (std::getline(in, pair, ',')) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos)
            continue;
        try {
            out[pair.substr(0, eq)] = std::stoi(pair.substr(eq + 1));
        } catch (const std::exception&) {
            // a damaged value starts again from 0
        }
    }
    return out;
}

std::string encode_streaks(const std::map<std::string, int>& streaks) {
    std::string out;
    for (const auto& [field, n] : streaks)
        if (n > 0)
            out += fmt::format("{}{}={}", out.empty() ? "" : ",", field, n);
    return out;
}

std::set<std::string> decode_list(const std::string& text) {
    std::set<std::string> out;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty())
            out.insert(item);
    return out;
}

/** The fields in the order of k_health_fields. */
std::vector<std::string> ordered(const std::set<std::string>& fields) {
    std::vector<std::string> out;
    for (const std::string_view f : k_health_fields)
        if (fields.count(std::string(f)) > 0)
            out.emplace_back(f);
    return out;
}

Seconds frozen_threshold(const store::FeedHealthRow& st, const HealthSettings& settings) {
    if (settings.frozen_after)
        return *settings.frozen_after;
    Seconds t = std::max(6 * settings.interval, k_frozen_floor);
    if (st.change_interval_s)
        t = std::max(t, Seconds{static_cast<std::int64_t>(4 * *st.change_interval_s)});
    return t;
}

void update_content(store::FeedHealthRow& st, const HealthSample& sample) {
    if (sample.not_modified) {
        if (!st.content_hash.empty())
            ++st.content_polls;
        return;
    }
    if (st.content_hash == sample.content_hash) {
        ++st.content_polls;
        return;
    }
    // The first content's start is unknown (it was there before we looked): learn from the
    // lifetimes of the contents we saw begin.
    if (!st.content_hash.empty() && st.changes > 0 && st.content_since) {
        const double lifetime = static_cast<double>((sample.at - *st.content_since).count());
        st.change_interval_s = st.change_interval_s ? (1 - k_learning_rate) * *st.change_interval_s +
                                                          k_learning_rate * lifetime
                                                    : lifetime;
    }
    if (!st.content_hash.empty())
        ++st.changes;
    st.content_hash = sample.content_hash;
    st.content_since = sample.at;
    st.content_polls = 1;
}

void update_fields(store::FeedHealthRow& st, const HealthSample& sample) {
    std::map<std::string, int> streaks = decode_streaks(st.fields);
    std::set<std::string> lost = decode_list(st.drift_fields);
    for (const std::string_view name : k_health_fields) {
        const std::string f(name);
        const auto it = sample.fields.find(f);
        const double share = it == sample.fields.end() ? 0.0 : it->second;
        int& streak = streaks[f];
        if (share >= 0.5) {
            streak = std::min(streak + 1, 1000);
            lost.erase(f);
        } else {
            if (share == 0.0 && streak >= k_field_streak)
                lost.insert(f);
            streak = 0;
        }
    }
    st.fields = encode_streaks(streaks);
    const std::vector<std::string> lost_fields = ordered(lost);
    st.drift_fields = fmt::format("{}", fmt::join(lost_fields, ","));
    if (lost.empty())
        st.drift_since.reset();
    else if (!st.drift_since)
        st.drift_since = sample.at;
}

/** Sets or clears a problem's start time. */
void mark(std::optional<Timestamp>& since, bool on, Timestamp at) {
    if (!on)
        since.reset();
    else if (!since)
        since = at;
}

} // namespace

std::string_view to_string(HealthProblem p) noexcept {
    switch (p) {
    case HealthProblem::no_items:
        return "no_items";
    case HealthProblem::frozen:
        return "frozen";
    case HealthProblem::schema_drift:
        return "schema_drift";
    }
    return "?";
}

HealthSample health_sample(const feed::Snapshot& snapshot, Timestamp at) {
    HealthSample s;
    s.at = at;
    Fnv hash;
    std::map<std::string, int> counts;
    for (const feed::Item& item : snapshot.items) {
        if (!item.skip_reason.empty() || item.term.empty())
            continue;
        ++s.items;
        hash.add(item.term);
        hash.add(item.url);
        hash.add(item.traffic.label);
        const std::pair<std::string_view, bool> has[] = {
            {"traffic", item.traffic.value.has_value()},
            {"news", !item.news.empty()},
            {"url", !item.url.empty()},
            {"published_at", item.published_at.has_value() || item.started_at.has_value()},
            {"author", !item.author.empty()},
            {"comments", item.comments.has_value()},
            {"summary", !item.summary.empty()},
            {"picture", !item.picture.empty()},
        };
        for (const auto& [field, present] : has)
            counts[std::string(field)] += present ? 1 : 0;
    }
    s.content_hash = hash.hex();
    if (s.items > 0)
        for (const auto& [field, n] : counts)
            s.fields[field] = static_cast<double>(n) / s.items;
    return s;
}

HealthVerdict evaluate_health(const std::optional<store::FeedHealthRow>& before,
                              const HealthSample& sample, const HealthSettings& settings) {
    HealthVerdict v;
    store::FeedHealthRow& st = v.state;
    st = before.value_or(store::FeedHealthRow{});
    const bool had[] = {st.no_items_since.has_value(), st.frozen_since.has_value(),
                        st.drift_since.has_value()};

    update_content(st, sample);
    const Seconds threshold = frozen_threshold(st, settings);
    const int min_answers = settings.frozen_after ? k_explicit_min_answers : k_learnt_min_answers;
    mark(st.frozen_since,
         st.content_since && sample.at - *st.content_since >= threshold &&
             st.content_polls >= min_answers,
         sample.at);
    if (!sample.not_modified) {
        mark(st.no_items_since, sample.items == 0, sample.at);
        if (sample.items > 0)
            update_fields(st, sample);
    }

    // What is wrong, per problem ("" when it is not).
    std::string texts[3];
    if (st.no_items_since)
        texts[0] = fmt::format("no items in its answers since {}", format_iso(*st.no_items_since));
    if (st.frozen_since)
        texts[1] = fmt::format("the same content since {} ({} answers; frozen after {})",
                               format_iso(*st.content_since), st.content_polls,
                               format_duration(threshold));
    if (st.drift_since)
        texts[2] = fmt::format("schema drift: its items no longer have {} (since {})",
                               st.drift_fields, format_iso(*st.drift_since));
    std::vector<std::string> problems;
    for (const std::string& t : texts)
        if (!t.empty())
            problems.push_back(t);
    st.problems = fmt::format("{}", fmt::join(problems, "; "));

    const HealthProblem kinds[] = {HealthProblem::no_items, HealthProblem::frozen,
                                   HealthProblem::schema_drift};
    const char* ended[] = {"it has items again", "its content changes again",
                           "its items have their fields again"};
    for (std::size_t i = 0; i < 3; ++i) {
        const bool has = !texts[i].empty();
        if (had[i] != has)
            v.changes.push_back({kinds[i], has, has ? texts[i] : std::string(ended[i])});
    }
    return v;
}

} // namespace trend::pipeline
