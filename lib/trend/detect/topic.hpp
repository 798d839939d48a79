// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/**
 * Is this the same story? The pure matcher behind stories across terms and sources
 * (docs/architecture.md, "Stories"): a Google Trends term, a Hacker News title, a Wikipedia
 * article, a Mastodon hashtag and a news headline are compared by their distinctive words.
 *
 * Reading a text (read_topic):
 *  - a hashtag is split where its case changes: "#OpenAIAmazon" reads "Open AI Amazon";
 *  - words are found by ICU's word breaker (so CJK text is segmented too), case-folded, with
 *    accents removed ("Pokémon" = "pokemon"), apostrophes and a possessive "'s" dropped
 *    ("OpenAI's" = "openai");
 *  - stop words (English and the commonest articles and prepositions of other languages), one-
 *    letter Latin words and punctuation are left out. What remains are the distinctive words.
 *
 * Matching two texts (match_topics), conservatively:
 *  - the side with fewer distinctive words must have every one of them in the other side; a
 *    word also matches two adjacent words written together ("openai" = "open ai",
 *    "spiderman" = "Spider-Man");
 *  - a side made of numbers only never matches;
 *  - a side of ONE word matches only when that word is a name: at least 3 letters (2 for CJK),
 *    not a generic news word ("weather", "election", "live"), and, in a cased headline of four
 *    or more words, written with a capital or a digit there. So "openai" matches "OpenAI signs
 *    $38B deal" but not "AI startups raise record sums", and "weather" matches nothing;
 *  - two headlines of three or more words each also match when they share at least 3
 *    distinctive words and 60% of all of them (near-identical headlines).
 * Different wording of the same event ("$38B" vs "38 billion", synonyms, translations) does not
 * match: the rule prefers a missed link to a wrong one.
 */
namespace trend::detect {

/** A text read for topic matching. */
struct Topic {
    std::vector<std::string> words; ///< distinctive words, in order, folded and without accents
    std::vector<bool> named;        ///< per word: written with an upper case letter or a digit
    bool cased = false;             ///< the text has upper case letters (a headline, not a term)
};

/** Reads a term, title, article name or hashtag. Pure; never throws (bad UTF-8 is repaired). */
[[nodiscard]] Topic read_topic(std::string_view text);

enum class TopicMatch {
    none,
    same_words, ///< the same distinctive words
    contained,  ///< every distinctive word of the shorter side is in the longer one
    similar,    ///< near-identical headlines
};

/** "none", "same words", "contained", "similar headlines". */
[[nodiscard]] std::string_view to_string(TopicMatch m) noexcept;

/** Whether two texts tell the same story, by the rules above. Symmetric. */
[[nodiscard]] TopicMatch match_topics(const Topic& a, const Topic& b);

/** The keys under which a topic is indexed to find candidates cheaply: its words and every
 *  two adjacent words written together. Two topics that match share at least one key. */
[[nodiscard]] std::vector<std::string> topic_keys(const Topic& t);

/**
 * How strongly one source's item signals a story, 0.1 .. 1: the traffic on a log scale against
 * a big number for that kind of traffic (searches 100,000; points 1,000; uses 1,000; shares
 * 100; views 1,000,000), and for an rss entry its rank (1 -> 1.0, 5 -> 0.6, 10 or later -> 0.1).
 * Unknown traffic counts 0.1. A story's strength is the sum over its source types of their
 * best level (docs/analytics.md, v_story_sources).
 */
[[nodiscard]] double signal_level(std::string_view traffic_kind,
                                  std::optional<std::int64_t> traffic, int rank);

} // namespace trend::detect
