// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

/** The sentences of a source text: what the built-in drafter quotes and what the evidence
 *  ledger points to (docs/drafting.md). */
namespace trend::draft {

/** One sentence of a text: a view into it, and where it starts. */
struct Sentence {
    std::string_view text;     ///< trimmed of surrounding white space
    std::size_t offset = 0;    ///< byte offset of `text` in the whole text
    std::size_t paragraph = 0; ///< index of its paragraph (paragraphs are split at "\n\n")
};

/**
 * The sentences of `text` (UTF-8; paragraphs separated by blank lines, as PageText::text()
 * joins them), by ICU's sentence rules for `lang` with the common abbreviations ("Mr.",
 * "U.S.", "Dr.") and middle initials ("Donald J. Trump") not ending a sentence. A sentence never
 * spans two paragraphs. Empty sentences are left out. Invalid UTF-8 is split at paragraphs only.
 * Pure; views into `text`.
 */
[[nodiscard]] std::vector<Sentence> split_sentences(std::string_view text,
                                                    std::string_view lang = "en");

} // namespace trend::draft
