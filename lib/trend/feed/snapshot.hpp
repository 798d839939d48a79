// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trend::feed {

/** One news article attached to a trend item. Empty strings mean "not given". */
struct NewsItem {
    std::string title;
    std::string url;
    std::string source;  ///< publisher name: "The New York Times"
    std::string picture; ///< image URL
    std::string snippet;
};

/** A traffic bucket as published ("20,000+") and its lower bound (20000), if it parsed. */
struct Traffic {
    std::string label;
    std::optional<std::int64_t> value;
};

/** One trending term in one fetch of one feed. All text is valid UTF-8, entity-decoded once,
 *  white space collapsed. */
struct Item {
    std::string term; ///< display form as the feed wrote it
    Traffic traffic;
    std::optional<Timestamp> started_at; ///< trend start (pubDate), UTC
    std::string picture;
    std::string picture_source;
    std::vector<NewsItem> news;
    int rank = 0; ///< 1-based position in the feed
};

/** What one fetch of a feed said, in the feed's order. Pure data, no database ids. */
struct Snapshot {
    std::string geo; ///< as configured for the feed (or read from the document when unset)
    Timestamp fetched_at{};
    std::vector<Item> items;
    std::vector<std::string> warnings; ///< recoverable oddities (unparseable traffic label, ...)
};

} // namespace trend::feed
