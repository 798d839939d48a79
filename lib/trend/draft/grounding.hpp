// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/**
 * The grounding check shared by every drafter: each number, amount, percentage, date, quoted
 * passage and name in a draft's body must appear in the evidence (the sources' extracted texts,
 * titles and snippets, and the facts of our own data that the drafter was given); whatever does
 * not is "unverified". Tracing says, for each claim, which sentence of which evidence text
 * supports it: the evidence ledger (docs/drafting.md).
 */
namespace trend::draft::grounding {

enum class ClaimKind { number, amount, percentage, quote, date, name };

/** "number", "amount", "percentage", "quote", "date", "name". */
[[nodiscard]] std::string_view to_string(ClaimKind kind) noexcept;

struct Claim {
    ClaimKind kind;
    std::string text; ///< as written in the body: "$38B", "20,000", "12%", "\"a quote\""
};

/** One text a draft may draw on: a source's extracted page, title or snippet, or our data. */
struct EvidenceText {
    int source = 0;                ///< 1-based [n] of the draft's Sources list; 0 = not cited
    std::int64_t page_text_id = 0; ///< page_texts row when `text` is PageText::text(); else 0
    std::string url;               ///< the source's URL; "" for our own data
    std::string text;              ///< offsets of a Trace count in this text
};

/** Where a claim came from. */
enum class Origin { none, source, data };

/** "source", "data", "" (none). */
[[nodiscard]] std::string_view to_string(Origin origin) noexcept;

/** A claim of a body and what supports it: a row of the evidence ledger. */
struct Trace {
    Claim claim;
    Origin origin = Origin::none; ///< none: unverified
    int source = 0;               ///< EvidenceText::source of the supporting text
    std::int64_t page_text_id = 0;
    std::string url;
    std::string sentence;   ///< the supporting sentence (split_sentences of the text)
    std::size_t offset = 0; ///< byte offset of `sentence` in EvidenceText::text
    [[nodiscard]] bool traced() const noexcept { return origin != Origin::none; }
};

/**
 * The checkable claims of a Markdown body, in order of appearance, without duplicates, read
 * as a reader sees the body (markdown::unescape: backslash escapes and &lt; &gt; &amp; undone).
 * Skipped: link targets "(https://...)", bare URLs, citation markers "[3]", list numbering,
 * digits inside words ("GPT-4o", "B2B", "mp3"). Quotes are passages of 3+ words in "..." or
 * “...”. Dates are "2025-10-15", "March 3, 2025", "3 March 2025", "March 3", "March 2025".
 * Names are 2+ capitalised words (not all capitals, not month or day names; "of", "the",
 * "de", "van", "&" may join them: "Bank of America"), or a title and a capitalised word
 * ("Dr. Torres"); a sentence's common first word ("The", "In") is not part of one; headings,
 * bold-only lines, the "Sources" section and quotes (checked whole) name nothing. Pure.
 */
[[nodiscard]] std::vector<Claim> extract_claims(std::string_view body);

/** True when the claim is supported by one of the evidence texts. Amounts compare by value and
 *  currency ("$38B" == "$38 billion" == "38 billion dollars" == "$38bn"), numbers by value
 *  ("20,000" == "20000"), percentages by value ("12%" == "12 percent"), quotes as
 *  case-insensitive text with white space and quote styles normalised. */
[[nodiscard]] bool is_supported(const Claim& claim, std::span<const std::string> evidence);

/**
 * Every claim of `body` (extract_claims, in order) with the first evidence sentence that
 * supports it, evidence texts in the order given (put the sources first: a claim that a source
 * and our data both support is the source's). Each text is split with split_sentences; a
 * quote spanning sentences is looked up in the whole text (its sentence is then the one where
 * it starts, as near as can be told). Names are supported by the same words, case-insensitive
 * and white space normalised; a name that is one of `names` (or part of one) is the source's
 * own and no claim. `names` are the names the sources go by (outlets, authors): where one
 * stands in the body as a whole word sequence, its digits are part of a name, not claims
 * ("Channel 4 News" claims no "4"). Pure.
 */
[[nodiscard]] std::vector<Trace> trace_claims(std::string_view body,
                                              std::span<const EvidenceText> evidence,
                                              std::span<const std::string> names = {});

/** The texts of the untraced claims: the draft's `unverified` list. */
[[nodiscard]] std::vector<std::string> untraced(std::span<const Trace> traces);

/** The texts (as written) of the claims of `body` that no evidence supports: trace_claims over
 *  plain evidence strings. */
[[nodiscard]] std::vector<std::string> unverified_claims(std::string_view body,
                                                         std::span<const std::string> evidence,
                                                         std::span<const std::string> names = {});

/** Citation problems of a body citing sources as [1]..[n]: markers pointing to no source
 *  ("[7] cites no source") and sources never cited ("source [2] is never cited"). */
[[nodiscard]] std::vector<std::string> citation_problems(std::string_view body,
                                                         std::size_t source_count);

} // namespace trend::draft::grounding
