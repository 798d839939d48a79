// SPDX-License-Identifier: MIT
#pragma once

#include "trend/detect/rule.hpp"
#include "trend/util/time.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/**
 * Spike detection: a pure function of a rule, one term's history in one feed, the new
 * observation and the time. No I/O, no clock of its own: the caller (live ingest or backtest)
 * passes everything in, so every semantic is testable with a hand-set time.
 *
 * Semantics (docs/configuration.md, "How a rule fires"):
 *  - A rule's condition on a traffic value t: t >= min_traffic, and, when the rule has
 *    `growth`, t >= growth x baseline, the baseline being the median of the term's own traffic
 *    in the feed over `window` (a term with no history in the window meets it: it rose from
 *    nothing). Traffic values are bucket lower bounds, so 2,000+ -> 20,000+ is a factor 10.
 *  - Edge-triggered: a spike fires when the new observation meets the condition and the term's
 *    previous observation in that feed did not, or is absent, or is older than `resolve_after`
 *    (the trend ended in between).
 *  - One story, one spike: while the (rule, term)'s newest spike is open (last met less than
 *    `resolve_after` ago), a qualifying observation in any feed continues it; no second spike
 *    for the (rule, term) inside `cooldown` of the first, across geos.
 */
namespace trend::detect {

/** An observation of the term: when and how much (nullopt = label not understood). */
struct Point {
    Timestamp at{};
    std::optional<std::int64_t> traffic;
    int rank = 0; ///< position in its feed, 1 = first; 0 = unknown
};

/** The newest spike of the same (rule, term), in any feed. */
struct LastSpike {
    Timestamp detected_at{};
    Timestamp last_seen_at{};
    bool open = false;
};

struct Input {
    std::string_view term; ///< normalised
    std::string_view feed; ///< feed name
    std::string_view geo;
    std::string_view feed_type; ///< "hacker-news", ... ("" = unknown: rules with `sources` skip it)
    Point current;
    std::optional<Point> previous;        ///< the term's previous observation in this feed
    std::span<const std::int64_t> window; ///< its traffic in this feed over the rule's window
    std::optional<LastSpike> last_spike;
    Timestamp now{};
};

enum class Verdict {
    none,     ///< nothing happens
    fire,     ///< a new spike
    continues ///< the open spike of this (rule, term) is still trending: refresh it
};

struct Decision {
    Verdict verdict = Verdict::none;
    std::string reason; ///< human-readable, for spikes.reason and backtest output
    std::optional<double> baseline;
    std::optional<std::int64_t> previous_traffic;
};

/** Cheap pre-check before loading history: does this observation qualify at all (the term,
 *  geo and source type match, traffic >= min_traffic, rank <= max_rank)? When false,
 *  evaluate() would return none. */
[[nodiscard]] bool qualifies(const Rule& rule, std::string_view term, std::string_view feed,
                             std::string_view geo, std::optional<std::int64_t> traffic,
                             std::string_view feed_type = {}, int rank = 0);

/** The decision for one rule and one observation. */
[[nodiscard]] Decision evaluate(const Rule& rule, const Input& in);

/** Median of values (nullopt when empty). */
[[nodiscard]] std::optional<double> median(std::vector<std::int64_t> values);

/** "20,000" */
[[nodiscard]] std::string group_thousands(std::int64_t n);

} // namespace trend::detect
