// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

/**
 * The grounding check shared by every drafter: each number, amount, percentage and quoted
 * passage in a draft's body must appear in the evidence (source titles and snippets, and the
 * facts of our own data that the drafter was given); whatever does not is "unverified".
 */
namespace trend::draft::grounding {

enum class ClaimKind { number, amount, percentage, quote };

struct Claim {
    ClaimKind kind;
    std::string text; ///< as written in the body: "$38B", "20,000", "12%", "\"a quote\""
};

/**
 * The checkable claims of a Markdown body, in order of appearance, without duplicates, read
 * as a reader sees the body (markdown::unescape: backslash escapes and &lt; &gt; &amp; undone).
 * Skipped: link targets "(https://...)", bare URLs, citation markers "[3]", list numbering,
 * digits inside words ("GPT-4o", "B2B", "mp3"). Quotes are passages of 3+ words in "..." or
 * “...”. Pure.
 */
[[nodiscard]] std::vector<Claim> extract_claims(std::string_view body);

/** True when the claim is supported by one of the evidence texts. Amounts compare by value and
 *  currency ("$38B" == "$38 billion" == "38 billion dollars" == "$38bn"), numbers by value
 *  ("20,000" == "20000"), percentages by value ("12%" == "12 percent"), quotes as
 *  case-insensitive text with white space and quote styles normalised. */
[[nodiscard]] bool is_supported(const Claim& claim, std::span<const std::string> evidence);

/** The texts (as written) of the claims of `body` that no evidence supports. */
[[nodiscard]] std::vector<std::string> unverified_claims(std::string_view body,
                                                         std::span<const std::string> evidence);

/** Citation problems of a body citing sources as [1]..[n]: markers pointing to no source
 *  ("[7] cites no source") and sources never cited ("source [2] is never cited"). */
[[nodiscard]] std::vector<std::string> citation_problems(std::string_view body,
                                                         std::size_t source_count);

} // namespace trend::draft::grounding
