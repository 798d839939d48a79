// SPDX-License-Identifier: MIT
#include "trend/feed/parser.hpp"

#include <array>

namespace trend::feed {

namespace {

struct Entry {
    std::string_view type;
    ParseFn parse;
    std::string_view platform;
};

// New feed types add one line here (and a parser file beside this one).
constexpr std::array k_parsers{
    Entry{"google-trends-rss", &parse_google_trends_rss, "google-trends"},
    Entry{"rss", &parse_rss, "news"},
    Entry{"hacker-news", &parse_hacker_news, "hackernews"},
    Entry{"mastodon-trends", &parse_mastodon_trends, "mastodon"},
    Entry{"wikipedia-top", &parse_wikipedia_top, "wikipedia"},
};

constexpr auto k_types = [] {
    std::array<std::string_view, k_parsers.size()> types{};
    for (std::size_t i = 0; i < k_parsers.size(); ++i)
        types[i] = k_parsers[i].type;
    return types;
}();

} // namespace

std::span<const std::string_view> known_feed_types() noexcept {
    return k_types;
}

std::string_view traffic_kind_name(TrafficKind kind) noexcept {
    switch (kind) {
    case TrafficKind::searches:
        return "searches";
    case TrafficKind::rank:
        return "rank";
    case TrafficKind::points:
        return "points";
    case TrafficKind::uses:
        return "uses";
    case TrafficKind::shares:
        return "shares";
    case TrafficKind::views:
        return "views";
    }
    return "?";
}

std::string_view platform_of(std::string_view type) noexcept {
    if (type == "replay")
        return "google-trends";
    for (const auto& e : k_parsers)
        if (e.type == type)
            return e.platform;
    return {};
}

ParseFn parser_for(std::string_view type) noexcept {
    for (const auto& e : k_parsers)
        if (e.type == type)
            return e.parse;
    return nullptr;
}

} // namespace trend::feed
