// SPDX-License-Identifier: MIT
#include "trend/detect/detector.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trend::detect {

namespace {

bool within_rank(const config::RuleConfig& r, int rank) {
    return !r.max_rank || (rank >= 1 && rank <= *r.max_rank);
}

bool meets(const config::RuleConfig& r, const Point& p, std::optional<double> baseline) {
    const std::optional<std::int64_t> traffic = p.traffic;
    if (!traffic || *traffic < r.min_traffic || !within_rank(r, p.rank))
        return false;
    if (r.growth && baseline)
        return static_cast<double>(*traffic) >= *r.growth * *baseline;
    return true;
}

} // namespace

std::optional<double> median(std::vector<std::int64_t> v) {
    if (v.empty())
        return std::nullopt;
    const std::size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
    const double upper = static_cast<double>(v[mid]);
    if (v.size() % 2 == 1)
        return upper;
    const double lower = static_cast<double>(
        *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)));
    return (lower + upper) / 2.0;
}

std::string group_thousands(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

bool qualifies(const Rule& rule, std::string_view term, std::string_view feed, std::string_view geo,
               std::optional<std::int64_t> traffic, std::string_view feed_type, int rank) {
    return traffic && *traffic >= rule.config().min_traffic &&
           within_rank(rule.config(), rank) && rule.applies_to(feed, geo) &&
           rule.applies_to_source(feed_type) && rule.matches_term(term);
}

Decision evaluate(const Rule& rule, const Input& in) {
    const config::RuleConfig& r = rule.config();
    Decision d;
    if (!qualifies(rule, in.term, in.feed, in.geo, in.current.traffic, in.feed_type,
                   in.current.rank))
        return d;

    if (in.last_spike && in.last_spike->open &&
        in.now - in.last_spike->last_seen_at < r.resolve_after) {
        d.verdict = Verdict::continues;
        d.reason = "the open spike is still trending";
        return d;
    }

    if (r.growth)
        d.baseline = median(std::vector<std::int64_t>(in.window.begin(), in.window.end()));
    if (!meets(r, in.current, d.baseline))
        return d;

    const bool previous_counts = in.previous && in.now - in.previous->at <= r.resolve_after;
    if (previous_counts) {
        d.previous_traffic = in.previous->traffic;
        if (meets(r, *in.previous, d.baseline))
            return d; // already above: no crossing
    }

    if (in.last_spike && in.now - in.last_spike->detected_at < r.cooldown) {
        d.reason = "cooldown";
        return d;
    }

    const std::int64_t now_traffic = *in.current.traffic;
    std::string why;
    if (r.max_rank && r.min_traffic == 0)
        why = fmt::format("rank {} is in the top {}", in.current.rank, *r.max_rank);
    else
        why = fmt::format("{}+ reached the threshold {}", group_thousands(now_traffic),
                          group_thousands(r.min_traffic));
    if (r.max_rank && r.min_traffic > 0)
        why += fmt::format(" at rank {} (top {})", in.current.rank, *r.max_rank);
    if (r.max_rank && r.min_traffic == 0)
        why += previous_counts ? fmt::format(" (previously rank {})", in.previous->rank)
                               : " (new in this feed)";
    else if (previous_counts && d.previous_traffic)
        why += fmt::format(" (previously {}+)", group_thousands(*d.previous_traffic));
    else
        why += " (new in this feed)";
    if (r.growth) {
        if (d.baseline)
            why += fmt::format("; {:.1f}x its {} median of {}", now_traffic / *d.baseline,
                               format_duration(r.window),
                               group_thousands(static_cast<std::int64_t>(*d.baseline)));
        else
            why += "; no earlier history to compare with";
    }
    d.verdict = Verdict::fire;
    d.reason = std::move(why);
    return d;
}

} // namespace trend::detect
