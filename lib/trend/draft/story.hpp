// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/** What a drafter may use: everything we hold about one spike, and nothing else. */
namespace trend::draft {

struct StoryArticle {
    std::string title;
    std::string url;
    std::string source;
    std::string picture;
    std::string snippet;
    Timestamp first_seen_at{};
};

/** One observation of the term, any feed. */
struct StoryPoint {
    Timestamp at{};
    std::string geo;
    std::optional<std::int64_t> traffic;
    std::string label;
    int rank = 0;
};

/** Another geo where the term trended around the spike, with its peak bucket. */
struct StoryGeo {
    std::string geo;
    std::string peak_label;
    std::optional<std::int64_t> peak_traffic;
};

/** A term trending at the same time that shares news coverage with this one. */
struct RelatedTerm {
    std::string term;
    int shared_articles = 0;
};

struct Story {
    std::int64_t spike_id = 0;
    std::string rule;
    std::string term; ///< display form
    std::string geo;
    std::string feed;
    Timestamp detected_at{};
    std::int64_t traffic = 0;
    std::string traffic_label;
    std::string reason;
    std::string picture;
    std::string picture_source;
    std::vector<StoryArticle> articles; ///< newest coverage first, unique by URL
    std::vector<StoryPoint> timeline;   ///< oldest first
    std::vector<StoryGeo> other_geos;
    std::vector<RelatedTerm> related;
};

} // namespace trend::draft
