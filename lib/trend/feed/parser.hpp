// SPDX-License-Identifier: MIT
#pragma once

#include "trend/feed/snapshot.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

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
    std::string url;          ///< the document's URL (after redirects): base of relative links
    std::string content_type; ///< the Content-Type header: its charset is a fallback for XML
    std::size_t max_bytes = 8 * 1024 * 1024; ///< documents larger than this are refused
    std::size_t max_items = 1000;            ///< items past this are dropped with a warning
};

/** Parses one document of a feed type. Pure: no I/O, no clock, never throws. */
using ParseFn = ParseResult (*)(std::string_view body, const ParseContext& ctx);

/** The feed types trendd knows ("google-trends-rss", ...), for config validation. */
[[nodiscard]] std::span<const std::string_view> known_feed_types() noexcept;

/**
 * The kind of source a feed type is, for corroboration: "google-trends", "news" (rss),
 * "hackernews", "mastodon", "wikipedia"; "" for an unknown type. Two feeds of one platform
 * are not independent sources. A backtest's "replay" feeds are "google-trends".
 */
[[nodiscard]] std::string_view platform_of(std::string_view type) noexcept;

/** The parser of a type, or nullptr when the type is unknown. */
[[nodiscard]] ParseFn parser_for(std::string_view type) noexcept;

/** Google Trends "Trending now" RSS, the current feed and the old daily one. */
[[nodiscard]] ParseResult parse_google_trends_rss(std::string_view body, const ParseContext& ctx);

/**
 * `rss`: any news feed, RSS 0.9x, RSS 1.0 (RDF), RSS 2.0, Atom 0.3 and 1.0, told apart by the
 * document element. One item per entry: term = title (plain text), url (Atom's
 * rel="alternate" first; relative links resolved against xml:base, then ctx.url), summary,
 * author, published/updated, picture (media:content or media:thumbnail, an image enclosure,
 * else the first real <img> of the summary or content), comments (slash:comments, thr:total),
 * feedburner:origLink before <link>. Traffic is the
 * entry's rank, label "#N". Charsets other than UTF-8 are converted (BOM, then the XML
 * declaration, then ctx.content_type). An entry without a title is kept with skip_reason
 * "no title"; a repeated title with "same title as entry N".
 */
[[nodiscard]] ParseResult parse_rss(std::string_view body, const ParseContext& ctx);

/**
 * `hacker-news`: the Algolia API (`/api/v1/search?tags=front_page`, an object with "hits"),
 * or Firebase items assembled by the poller into one JSON array in rank order (each element
 * an item object or null), or one Firebase item. Term = title; traffic = points; url = the
 * story's link, or the discussion page when it has none (Ask HN); discussion_url =
 * https://news.ycombinator.com/item?id=N. Dead, deleted, null and non-story items are kept with
 * a skip_reason. A Firebase id list (topstories.json) is refused with a message saying that
 * the items must be fetched.
 */
[[nodiscard]] ParseResult parse_hacker_news(std::string_view body, const ParseContext& ctx);

/** The ids of a Firebase story list (`topstories.json`, `newstories.json`, ...), in order,
 *  at most `limit`; duplicates and non-positive ids are left out. */
[[nodiscard]] std::variant<std::vector<std::int64_t>, ParseError>
parse_hn_firebase_ids(std::string_view body, std::size_t limit);

/** `https://hacker-news.firebaseio.com/v0/item/<id>.json`, the URL of one item. */
[[nodiscard]] std::string hn_firebase_item_url(std::int64_t id);

/**
 * One Firebase item (`item/<id>.json`). nullopt for the JSON literal null (a deleted or
 * unknown id). A dead or deleted item, or one that is not a story/job/poll, is an Item with a
 * skip_reason. `rank` is left 0: the caller knows the position.
 */
[[nodiscard]] std::variant<std::optional<Item>, ParseError>
parse_hn_firebase_item(std::string_view body);

/** One fetched item of a Firebase list, for assemble_hn_firebase(). */
struct HnFetchedItem {
    std::int64_t id = 0;
    std::string_view body;   ///< the item's JSON; ignored when fetch_error is set
    std::string fetch_error; ///< why the fetch failed ("timeout", "HTTP 503"), or ""
};

/**
 * The snapshot of a Firebase story list from its fetched items, in list order (rank = position,
 * from 1). Items that failed to fetch or parse, null ones and ones whose id differs are kept
 * with a skip_reason. A ParseError only when there were items and none could be read.
 */
[[nodiscard]] ParseResult assemble_hn_firebase(std::span<const HnFetchedItem> items,
                                               const ParseContext& ctx);

/**
 * `mastodon-trends`: `/api/v1/trends/tags` (term "#Name", traffic = uses today) or
 * `/api/v1/trends/links` (term = card title, url, summary = description, publisher =
 * provider_name, author = author_name, picture = image; traffic = shares today), told apart by
 * the entries. `history` (7 days, newest first, numbers as strings) is kept in Item::history.
 */
[[nodiscard]] ParseResult parse_mastodon_trends(std::string_view body, const ParseContext& ctx);

/**
 * `wikipedia-top`: Wikimedia pageviews top (`/metrics/pageviews/top/{project}/{access}/
 * {yyyy}/{mm}/{dd}`). Term = the article title with '_' as ' '; url =
 * https://{project}.org/wiki/{article}; traffic = views; rank as the API gives it; as_of = the
 * day. Main_Page and pages of the Special, File, Media, Wikipedia, Portal, Talk, User,
 * Template, Category, Help, Draft, MediaWiki, Module and TimedText namespaces (and their talk
 * namespaces) are kept with a skip_reason. A problem document (the 404 "no data for those
 * date(s)") is a ParseError quoting its detail.
 */
[[nodiscard]] ParseResult parse_wikipedia_top(std::string_view body, const ParseContext& ctx);

} // namespace trend::feed
