// SPDX-License-Identifier: MIT
#pragma once

#include "trend/draft/article.hpp"
#include "trend/draft/story.hpp"

#include <string>
#include <vector>

/** What belongs in a story's coverage: off-topic news items out, a revision's new sources said
 *  (docs/drafting.md, "One story, one draft"). Pure. */
namespace trend::draft {

/** The reason a DroppedArticle carries. */
inline constexpr const char* k_off_topic_reason =
    "off-topic: no word of the story's terms in its title, snippet or page text";

/**
 * Moves the story's off-topic articles from `articles` to `dropped`: those whose page was read
 * and in whose title, snippet and extracted text (every paragraph) no distinctive word of the
 * story's term or of its related terms appears. An item whose page was not read (no network,
 * a paywall, a backtest) is kept: headlines often word a story differently ("petrol station"
 * trends with "Diesel crisis deepens ..."), and only the text can tell. Words are read as the topic
 * matcher reads them (detect::read_topic: ICU words, case and accents folded, "OpenAI's" =
 * "openai"), and two adjacent words written together count ("Open AI" has "openai"). A story whose
 * terms have no distinctive word (only stop words) keeps every article: nothing to judge by.
 * Returns the number dropped.
 */
std::size_t drop_off_topic(Story& story);

/**
 * The "Update" paragraph of a revised draft: "**Update:** two new sources since the previous
 * version: CNN [3], BBC News [4]." naming the outlet (else the title) and citation number of
 * each of `sources` whose URL is in story.new_urls. "" for revision 1 or when none of the new
 * URLs is among the sources. Counts up to ten are written as words (no figure to trace).
 */
[[nodiscard]] std::string update_paragraph(const Story& story, const std::vector<Source>& sources);

/**
 * `body` with the Update paragraph after its lead (its first block when that is a plain
 * paragraph: not a heading, list, table or bold label), else at its top. Left as it is when it
 * has an "**Update:**" paragraph already (a drafter wrote its own) or there is nothing to say.
 */
[[nodiscard]] std::string with_update(std::string body, const Story& story,
                                      const std::vector<Source>& sources);

} // namespace trend::draft
