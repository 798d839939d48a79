// SPDX-License-Identifier: MIT
#pragma once

#include "trend/draft/story.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/**
 * What the built-in drafter's explainer is made of (docs/drafting.md): sentences chosen from
 * the extracted pages of a story's sources, never rewritten. Pure and deterministic; the
 * assembly into Markdown is builtin_drafter.cpp's.
 */
namespace trend::draft::explainer {

/** Sentences longer than this (bytes) are not quoted. */
inline constexpr std::size_t k_max_sentence_bytes = 400;
/** Sentences with fewer words than this are not quoted. */
inline constexpr std::size_t k_min_sentence_words = 6;

/** A sentence of source `source` (an index into the articles given), verbatim. */
struct Pick {
    std::size_t source = 0;
    std::string text;
    std::vector<std::size_t> also; ///< other sources that report the same (a near-identical
                                   ///< sentence), in order
    double score = 0;
};

/** A direct quotation: the quoted words, verbatim, and who said them when the same sentence
 *  names a speaker ("" when it does not: then only the outlet is credited). */
struct Quote {
    std::size_t source = 0;
    std::string words;
    std::string speaker;
};

/** The candidates of every section, best first; the assembler takes as many as fit. */
struct Selection {
    std::vector<Pick> lead;     ///< one or two, the most corroborated
    std::vector<Pick> facts;    ///< numbers, dates, places, names
    std::vector<Quote> quotes;  ///< speaker named first
    std::vector<Pick> analysis; ///< the sources' own "means", "could", "expected to"
    std::vector<Pick> update;   ///< a revision: the best sentence of each new source
};

/**
 * The sections' candidates from the pages of `articles` (the sources the draft cites, [1]..[n]
 * in this order). Sentences are split with split_sentences in the page's language; too long,
 * too short, boilerplate and quote-unbalanced ones are skipped; a sentence is used once.
 * Corroboration is the number of a sentence's words found in the OTHER sources' texts (titles,
 * snippets, pages). `new_urls` are the URLs new in a revision.
 */
[[nodiscard]] Selection select(const Story& story, const std::vector<StoryArticle>& articles,
                               const std::vector<std::string>& new_urls = {});

/** The headline the sources share most (the title with the most words found in the other
 *  titles; the first on a tie), or "" without titles. */
[[nodiscard]] std::string best_headline(const std::vector<StoryArticle>& articles);

/** The term as the sources write it ("openai" -> "OpenAI"): its first whole-word occurrence,
 *  ignoring ASCII case, in a title, snippet or page; else the term as it is. */
[[nodiscard]] std::string term_as_written(const Story& story);

/** The quotation in a sentence and its speaker: `"...," said X`, `"...," X said`,
 *  `X said: "..."`, with straight or curly quotes. nullopt when the sentence quotes no passage
 *  of four or more words (six without a speaker). The speaker is words of the same sentence:
 *  a capitalised name (with its title after a comma: "Jane Doe, the company's CFO"). */
[[nodiscard]] std::optional<Quote> find_quote(std::string_view sentence);

/** Boilerplate that is no part of an article: all capitals, "Click here", "Sign up",
 *  "Advertisement", cookie notices, "©", "Related:", share prompts. */
[[nodiscard]] bool is_boilerplate(std::string_view sentence);

/** The English name of a language ("Portuguese" for "pt" or "pt-BR", ICU's names); "" for
 *  English and for a code ICU does not know. */
[[nodiscard]] std::string language_name(std::string_view lang);

/** Words as a reader counts them: runs of non-space characters. */
[[nodiscard]] std::size_t word_count(std::string_view text);

} // namespace trend::draft::explainer
