// SPDX-License-Identifier: MIT
#include "trend/feed/parser.hpp"

#include <array>

namespace trend::feed {

namespace {

struct Entry {
    std::string_view type;
    ParseFn parse;
};

// New feed types add one line here (and a parser file beside this one).
constexpr std::array k_parsers{
    Entry{"google-trends-rss", &parse_google_trends_rss},
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

ParseFn parser_for(std::string_view type) noexcept {
    for (const auto& e : k_parsers)
        if (e.type == type)
            return e.parse;
    return nullptr;
}

} // namespace trend::feed
