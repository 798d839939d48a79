// SPDX-License-Identifier: MIT
#include "trend/draft/sources.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace trend::draft {

namespace {

constexpr std::size_t k_max_discussions = 3;

/** A plain number label ("412"), as the numeric kinds write their traffic. */
std::optional<std::int64_t> label_number(const std::string& label) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(label.data(), label.data() + label.size(), n);
    if (ec != std::errc() || end != label.data() + label.size())
        return std::nullopt;
    return n;
}

std::string platform_name(const std::string& platform) {
    if (platform == "hackernews")
        return "Hacker News";
    if (platform == "google-trends")
        return "Google Trends";
    if (platform == "mastodon")
        return "Mastodon";
    if (platform == "wikipedia")
        return "Wikipedia";
    return "a news feed";
}

} // namespace

std::vector<Source> discussion_sources(const Story& story) {
    std::vector<Source> out;
    for (const StorySignal& g : story.signals) {
        if (g.platform != "hackernews" || g.url.empty() || out.size() == k_max_discussions)
            continue;
        if (std::any_of(out.begin(), out.end(), [&](const Source& s) { return s.url == g.url; }))
            continue;
        Source s;
        s.title = g.term;
        s.url = g.url;
        s.source = "Hacker News";
        s.platform = g.platform;
        if (g.traffic_kind == "points")
            s.points = label_number(g.traffic_label);
        s.comments = g.comments;
        out.push_back(std::move(s));
    }
    return out;
}

std::string source_note(const Source& s) {
    if (!s.points && !s.comments)
        return {};
    std::string out = ", discussion";
    if (s.points)
        out += fmt::format(": {} points", *s.points);
    if (s.comments)
        out += fmt::format("{} {} comments", s.points ? "," : ":", *s.comments);
    return out;
}

std::vector<std::string> signal_facts(const Story& story) {
    std::vector<std::string> out;
    for (const StorySignal& g : story.signals) {
        std::string fact = fmt::format("seen on {} ({}): “{}”", platform_name(g.platform), g.feed,
                                       g.term);
        if (!g.traffic_label.empty())
            fact += fmt::format(", {} {}", g.traffic_label, g.traffic_kind);
        if (g.comments)
            fact += fmt::format(", {} comments", *g.comments);
        out.push_back(std::move(fact));
    }
    return out;
}

} // namespace trend::draft
