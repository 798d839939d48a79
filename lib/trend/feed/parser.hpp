// SPDX-License-Identifier: MIT
#pragma once

#include "trend/feed/snapshot.hpp"

#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace trend::feed {

/** Why a document is not a feed. `message` is specific and safe to log and store. */
struct ParseError {
    std::string message;
};

using ParseResult = std::variant<Snapshot, ParseError>;

/** What a parser is told besides the bytes. */
struct ParseContext {
    std::string geo; ///< the feed's configured geo ("" = take it from the document)
    Timestamp fetched_at{};
    std::size_t max_bytes = 8 * 1024 * 1024; ///< documents larger than this are refused
    std::size_t max_items = 1000;            ///< items past this are dropped with a warning
};

/** Parses one document of a feed type. Pure: no I/O, no clock, never throws. */
using ParseFn = ParseResult (*)(std::string_view body, const ParseContext& ctx);

/** The feed types trendd knows ("google-trends-rss", ...), for config validation. */
[[nodiscard]] std::span<const std::string_view> known_feed_types() noexcept;

/** The parser of a type, or nullptr when the type is unknown. */
[[nodiscard]] ParseFn parser_for(std::string_view type) noexcept;

/** Google Trends "Trending now" RSS, the current feed and the old daily one. */
[[nodiscard]] ParseResult parse_google_trends_rss(std::string_view body, const ParseContext& ctx);

} // namespace trend::feed
