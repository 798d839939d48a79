// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/** What a drafter may use: everything we hold about one spike, and nothing else. */
namespace trend::draft {

/** The text trendd extracted from the page an article links to (the reading stage,
 *  docs/enrichment.md): the evidence a drafter may quote. */
struct PageText {
    std::int64_t id = 0;       ///< page_texts row; evidence refers to it
    std::string canonical_url; ///< the page's own canonical URL, else the final URL
    std::string title;
    std::string byline;    ///< "Ann One, Bob Two"; "" when unknown
    std::string site_name; ///< "CNN", "BBC News"
    std::string lang;      ///< BCP 47 primary tag: "en", "pt"
    std::optional<Timestamp> published_at;
    std::vector<std::string> paragraphs; ///< the main text; offsets count within text()
    std::string method;                  ///< json_ld | readability | description

    /** The paragraphs joined by "\n\n": the stored text that evidence offsets refer to. */
    [[nodiscard]] std::string text() const;
};

/** A news item the feeds carried (and, when it was read, what its page says). */
struct StoryArticle {
    std::string title;
    std::string url;
    std::string source;
    std::string picture;
    std::string snippet;
    Timestamp first_seen_at{};
    std::string author;                    ///< as the feed gave it, "" when unknown
    std::optional<Timestamp> published_at; ///< as the feed gave it
    /** Where the item came from: "news" (a Google Trends news item or a news feed entry),
     *  "hackernews", "mastodon", "wikipedia". */
    std::string platform = "news";
    std::optional<PageText> page; ///< the extracted article, when it was read
};

/** One observation of the term, any feed. */
struct StoryPoint {
    Timestamp at{};
    std::string geo;
    std::optional<std::int64_t> traffic;
    std::string label;
    int rank = 0;
    std::optional<Timestamp> started_at{}; ///< the item's pubDate: when Google says it started
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

/** Another source type that saw the same story (corroboration, docs/sources.md). */
struct StorySignal {
    std::string platform;      ///< "google-trends", "hackernews", "mastodon", "wikipedia", "news"
    std::string feed;          ///< the configured feed's name
    std::string term;          ///< what that source called it: a headline, "#Hashtag", an article
    std::string url;           ///< the item's own link (an HN discussion, a Wikipedia article)
    std::string traffic_label; ///< "412" (points), "20,000+" (searches), ...
    std::string traffic_kind;  ///< searches | points | uses | shares | views | rank
    std::optional<std::int64_t> comments; ///< HN comments
    Timestamp seen_at{};
};

/** An earlier spike of the same term (any geo), from our database: "last trended on ...". */
struct EarlierSpike {
    Timestamp detected_at{};
    std::string geo;
    std::string traffic_label;
};

/** A news item left out of a story's sources because it is off-topic: the term's words are in
 *  neither its title, its snippet nor its extracted text. `trendctl show` lists them. */
struct DroppedArticle {
    std::string title;
    std::string url;
    std::string source;
    std::string reason; ///< "off-topic: no word of the term in title, snippet or text"
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
    std::vector<StorySignal> signals;         ///< other source types that corroborate the story
    std::vector<EarlierSpike> earlier_spikes; ///< newest first, before this spike
    std::vector<DroppedArticle> dropped;      ///< off-topic items, not in `articles`
    /** 1 for a story's first draft; 2, 3 ... for a draft revised because the story gained new
     *  coverage while its spike was open (same slug, earlier revisions kept). */
    int revision = 1;
    /** For a revision: the URLs of `articles` that are new since the previous revision (the
     *  "Update" paragraph says what they add). Empty for revision 1. */
    std::vector<std::string> new_urls;
};

/** The longest a story may have run before our first observation of it: an older pubDate is
 *  a feed's mistake (or a hostile one) and is not believed. */
inline constexpr Seconds k_max_story_lead{7 * 86400};

/**
 * When the story started, the `date:` of its draft and of its file name: the earliest
 * pubDate among the story's observations and news items that lies between
 * k_max_story_lead before our first observation and the detection; else our first
 * observation (a backtest of a series without pubDates); else the detection. Pure.
 */
[[nodiscard]] Timestamp story_started_at(const Story& story);

/** A traffic label as readers see it, one way everywhere: "10000+" and "10,000+" both give
 *  "10,000+", "5000" gives "5,000"; other labels ("20K+", "#3", "2천+") are returned as
 *  they are. Pure. */
[[nodiscard]] std::string display_label(std::string_view label);

} // namespace trend::draft
