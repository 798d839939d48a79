// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/**
 * Article extraction: the text and metadata of a news page, as evidence for drafts.
 *
 * Pure and deterministic: no I/O, no clock, no global state. Safe to call from any thread.
 * Hostile input is bounded: bodies over k_max_body_bytes, pages with more than k_max_elements
 * elements or elements nested deeper than k_max_depth are refused (Outcome::malformed) before
 * the HTML parser sees them, so time and memory stay proportional to the capped input.
 */
namespace trend::extract {

/** Bodies larger than this are refused as malformed (5 MiB). */
inline constexpr std::size_t k_max_body_bytes = 5u << 20;
/** Pages with more start tags than this are refused as malformed. */
inline constexpr std::size_t k_max_elements = 100'000;
/** Pages whose elements nest deeper than this are refused as malformed. */
inline constexpr std::size_t k_max_depth = 512;
/** An article has at least this many words of text (extract::word_count). */
inline constexpr std::size_t k_min_article_words = 50;

/** What was fetched. */
struct Input {
    std::string_view body;    ///< the bytes as received (after any Content-Encoding)
    std::string url;          ///< the page's URL (after redirects): resolves relative URLs
    std::string content_type; ///< the Content-Type header, "" when unknown
};

/** What the page turned out to be. Only `article` offers text. */
enum class Outcome {
    article,      ///< text found: paragraphs, text and word_count are set
    not_html,     ///< PDF, JSON, an image, a feed...: not an HTML page
    consent_wall, ///< a cookie or privacy consent page stands in for the article
    paywall,      ///< the article is behind a subscription: only a teaser is on the page
    js_shell,     ///< the page needs JavaScript to show anything
    video_only,   ///< a video page with little or no text
    index_page,   ///< a home, section or tag page: a list of teasers, not one article
    too_short,    ///< an article page, but with too little text to be evidence
    malformed,    ///< empty, over a limit, or not decodable
};

/** Where the text came from. */
enum class Method {
    json_ld,     ///< the JSON-LD articleBody, which was complete
    readability, ///< content scoring over the DOM (in the spirit of Mozilla Readability)
    description, ///< a short article page: its meta/og/JSON-LD description stands in
    none,        ///< no text
};

/** An extracted page. Strings are valid UTF-8 with white space collapsed; "" when unknown. */
struct Article {
    std::string url;           ///< Input::url
    std::string canonical_url; ///< link rel=canonical, og:url or JSON-LD url, absolute
    std::string title;         ///< headline, without a " - Site" / " | Site" suffix
    std::string byline;        ///< author name(s), ", "-separated, without "By "
    std::string site_name;
    std::string lang;  ///< BCP 47 tag as the page gives it ("en-US", "pt-BR")
    std::string image; ///< lead image URL, absolute
    std::string description;
    std::string charset; ///< the charset the body was decoded from (lower case)
    std::optional<Timestamp> published_at;
    std::optional<Timestamp> modified_at;
    std::vector<std::string> paragraphs; ///< only for Outcome::article
    std::string text;                    ///< paragraphs joined by "\n\n"
    std::size_t word_count = 0;          ///< word_count(text)
    Method method = Method::none;
    Outcome outcome = Outcome::malformed;
    std::string reason; ///< why the outcome is not `article`, or "" when it is
};

/**
 * Extracts the article of an HTML page. Never throws: running out of memory is reported as
 * Outcome::malformed, "out of memory" (and a bug as "internal error: ..."). Metadata is
 * filled whatever the outcome, when the page has any.
 */
[[nodiscard]] Article extract(const Input& input) noexcept;

[[nodiscard]] std::string_view to_string(Outcome o) noexcept;
[[nodiscard]] std::string_view to_string(Method m) noexcept;

/**
 * The words of `text`, case-folded, as word_count counts them: runs of letters, marks and
 * digits (an apostrophe between two letters stays inside the word), except that each Han
 * ideograph, hiragana and katakana counts as one word, since those scripts do not separate
 * words with spaces. Expects valid UTF-8.
 */
[[nodiscard]] std::vector<std::string> words(std::string_view text);

/** words(text).size(), without building the strings. */
[[nodiscard]] std::size_t word_count(std::string_view text);

/**
 * Word-level F1 of `candidate` against `reference`: the harmonic mean of precision and
 * recall of the multiset of words() of each. 1 when both have no words, 0 when one has none.
 */
[[nodiscard]] double word_f1(std::string_view candidate, std::string_view reference);

/**
 * Parses a date as pages write them: ISO 8601 ("2015-07-24T05:36:09+01:00",
 * "2021-11-01T10:52:50+0100", "2017-11-03 03:01:00.000000", "2019-04-28", with or without a
 * zone; no zone means UTC) or RFC 822. nullopt otherwise.
 */
[[nodiscard]] std::optional<Timestamp> parse_page_time(std::string_view text);

/**
 * The text of an HTML document or fragment, as a reader sees it: text nodes in document
 * order, one line per block element, script and style left out, white space collapsed.
 * For comparing extractions (tests, bench/extract). Never throws except std::bad_alloc.
 */
[[nodiscard]] std::string html_text(std::string_view html);

} // namespace trend::extract
