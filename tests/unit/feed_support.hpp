// SPDX-License-Identifier: MIT
#pragma once

// What the feed parser tests share: a context, and a parse that must succeed or must fail.

#include "support.hpp"
#include "trend/feed/parser.hpp"
#include "trend/util/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace trend::test {

/** A parse context fetched at `fetched_at` (ISO 8601) from `url`. */
inline feed::ParseContext feed_context(std::string_view fetched_at = "2026-10-01T16:25:00Z",
                                       std::string url = "") {
    feed::ParseContext ctx;
    ctx.fetched_at = parse_iso(fetched_at).value();
    ctx.url = std::move(url);
    return ctx;
}

/** The snapshot `parse` makes of `body`; fails the test with the message when it refuses. */
inline feed::Snapshot parse_ok(feed::ParseFn parse, std::string_view body,
                               const feed::ParseContext& ctx) {
    auto result = parse(body, ctx);
    const auto* error = std::get_if<feed::ParseError>(&result);
    REQUIRE_MESSAGE(error == nullptr, "unexpected parse error: " << error->message);
    return std::get<feed::Snapshot>(std::move(result));
}

/** The message `parse` refuses `body` with; fails the test when it parses. */
inline std::string parse_error(feed::ParseFn parse, std::string_view body,
                               const feed::ParseContext& ctx) {
    auto result = parse(body, ctx);
    REQUIRE_MESSAGE(std::holds_alternative<feed::ParseError>(result),
                    "parsed, but should not have");
    return std::get<feed::ParseError>(result).message;
}

/** A time as ISO 8601, "(none)" when absent: readable in a failed CHECK. */
inline std::string iso(const std::optional<Timestamp>& t) {
    return t ? format_iso(*t) : "(none)";
}

} // namespace trend::test
