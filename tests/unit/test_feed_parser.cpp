// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/feed/parser.hpp"

#include <string>
#include <variant>
#include <vector>

using trend::feed::ParseContext;
using trend::feed::ParseError;
using trend::feed::TrafficKind;

TEST_SUITE("feed") {

    TEST_CASE("every feed type has a parser, and only those") {
        const auto types = trend::feed::known_feed_types();
        CHECK(std::vector<std::string_view>(types.begin(), types.end()) ==
              std::vector<std::string_view>{"google-trends-rss", "rss", "hacker-news",
                                            "mastodon-trends", "wikipedia-top"});
        for (const std::string_view type : types) {
            CAPTURE(type);
            const auto parse = trend::feed::parser_for(type);
            REQUIRE((parse != nullptr));
            // Every parser refuses an empty document without throwing.
            const auto result = parse("", ParseContext{});
            REQUIRE(std::holds_alternative<ParseError>(result));
            CHECK(std::get<ParseError>(result).message.find("empty document") != std::string::npos);
        }
        CHECK((trend::feed::parser_for("atom") == nullptr));
        CHECK((trend::feed::parser_for("") == nullptr));
    }

    TEST_CASE("traffic kinds have names") {
        CHECK(trend::feed::traffic_kind_name(TrafficKind::searches) == "searches");
        CHECK(trend::feed::traffic_kind_name(TrafficKind::rank) == "rank");
        CHECK(trend::feed::traffic_kind_name(TrafficKind::points) == "points");
        CHECK(trend::feed::traffic_kind_name(TrafficKind::uses) == "uses");
        CHECK(trend::feed::traffic_kind_name(TrafficKind::shares) == "shares");
        CHECK(trend::feed::traffic_kind_name(TrafficKind::views) == "views");
    }
}
