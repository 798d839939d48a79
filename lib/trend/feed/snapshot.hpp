// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/**
 * The model every parser fills: one Snapshot per fetch, one Item per entry of the feed.
 *
 * What an item's `term` is, and what its traffic number counts, per feed type:
 * - `google-trends-rss`: the search term ("renee good"); searches, the lower bound of the
 *   bucket Google publishes (label "2000+").
 * - `rss`: the entry's title (the headline); its rank in the feed, 1 = first (label "#3").
 * - `hacker-news`: the story's title; its points (label "412").
 * - `mastodon-trends`: "#Name" for a tag, the card's title for a link; posts that used the tag
 *   today / shared the link today, UTC (label "806").
 * - `wikipedia-top`: the article's title with '_' as ' '; its views on the day (label
 *   "411486").
 *
 * Labels of the numeric kinds are plain decimal numbers, so `parse_traffic(label)` gives the
 * value back (backtests read labels). The rss label "#3" does not parse: its value is set by
 * the parser only.
 */
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

/** What the traffic numbers of a snapshot count. */
enum class TrafficKind {
    searches, ///< Google Trends: lower bound of the searches bucket
    rank,     ///< rss: position in the feed, 1 = first; smaller is more prominent
    points,   ///< Hacker News: the story's points
    uses,     ///< Mastodon tags: posts that used the tag today (UTC)
    shares,   ///< Mastodon links: posts that shared the link today (UTC)
    views,    ///< Wikipedia: page views on the day the list covers
};

/** "searches", "rank", "points", "uses", "shares", "views". */
[[nodiscard]] std::string_view traffic_kind_name(TrafficKind kind) noexcept;

/** One day of a Mastodon trend's history (the API gives 7, newest first). */
struct DayCount {
    Timestamp day{};           ///< midnight UTC
    std::int64_t uses = 0;     ///< posts using the tag / sharing the link that day
    std::int64_t accounts = 0; ///< distinct accounts among them
};

/**
 * One entry of a feed in one fetch. All text is valid UTF-8, entity-decoded once, HTML
 * removed, white space collapsed. Every URL is an absolute http(s) URL or empty. Empty
 * strings and nullopt mean "the feed did not say".
 */
struct Item {
    std::string term; ///< what rules match (see the table above), as the feed wrote it
    Traffic traffic;
    std::optional<Timestamp> started_at; ///< Google Trends: trend start (pubDate), UTC
    std::string picture;        ///< image URL: Google's trend picture, media:thumbnail, card image
    std::string picture_source; ///< Google Trends: who the picture is from
    std::vector<NewsItem> news; ///< Google Trends: the linked news articles
    int rank = 0;               ///< 1-based position in the feed (wikipedia-top: the API's rank)

    std::string url;                       ///< the item's own link: article, story, card URL
    std::string discussion_url;            ///< Hacker News: https://news.ycombinator.com/item?id=N
    std::string summary;                   ///< plain text, at most ~2000 bytes ("…" when cut)
    std::string author;                    ///< as written: "Leena Rao", HN user name
    std::string publisher;                 ///< Mastodon links: provider_name ("NBC News")
    std::optional<Timestamp> published_at; ///< UTC
    std::optional<Timestamp> updated_at;   ///< UTC
    std::optional<std::int64_t> comments;  ///< comment count (HN, slash:comments, thr:total)
    std::vector<DayCount> history;         ///< Mastodon: daily counts, newest first
    /** Google Trends: related searches (the old daily feed's comma-separated <description>). */
    std::vector<std::string> related;

    /**
     * Non-empty: ingestion skips this entry, for this reason ("no title", "filtered namespace
     * Special:", "HN item deleted"). Parsers keep such entries, so that `trendctl parse` can
     * show what was left out and why; `term` may then be empty.
     */
    std::string skip_reason;
};

/** What one fetch of a feed said, in the feed's order. Pure data, no database ids. */
struct Snapshot {
    std::string geo; ///< as configured for the feed (or read from the document when unset)
    Timestamp fetched_at{};
    std::vector<Item> items;
    std::vector<std::string> warnings; ///< recoverable oddities (unparseable traffic label, ...)

    std::string title;  ///< the feed's own title ("TechCrunch"), when it has one
    std::string format; ///< what the document was: "RSS 2.0", "Atom 1.0", "HN Algolia", ...
    TrafficKind traffic_kind = TrafficKind::searches;
    /** The period the numbers describe, when the document says (wikipedia-top: the day). */
    std::optional<Timestamp> as_of;
};

} // namespace trend::feed
