// SPDX-License-Identifier: MIT
#pragma once

#include "trend/draft/article.hpp"
#include "trend/draft/grounding.hpp"
#include "trend/draft/story.hpp"

#include <optional>
#include <string>
#include <vector>

namespace trend::draft {

/** What a drafter produces; the worker adds the front matter around it. */
struct Draft {
    std::string title;
    std::string summary;
    std::vector<std::string> tags;
    std::string body; ///< Markdown; no H1 (the title is the front matter's)
    std::vector<Source> sources;
    std::optional<Cover> cover;
    /** Statements of our own data the body may cite (times, buckets, counts): with the
     *  sources' titles and snippets they are the evidence of the grounding check. */
    std::vector<std::string> facts;
};

/**
 * The built-in drafter: a deterministic, offline explainer made only from the story (the
 * spike's news items, our traffic timeline, other geos and related terms). It never invents:
 * with little to say it is short. Pure: same story, same draft.
 */
[[nodiscard]] Draft draft_builtin(const Story& story);

/** The names the sources go by (outlets, authors, site names, bylines): a number inside one of
 *  them in a body ("Channel 4 News") is that source's name, not a claim. */
[[nodiscard]] std::vector<std::string> source_names(const Story& story);

/** The grounding evidence of a draft: source titles and snippets, and the draft's facts. */
[[nodiscard]] std::vector<std::string> evidence_of(const Story& story, const Draft& draft);

/** The evidence of a draft as texts the ledger can point into: for each cited source [n] (the
 *  draft's Sources, matched to the story's articles by URL) its extracted page text
 *  (PageText::text(), with its id), title and snippet; then the story's other articles
 *  (source 0, with their URL); then our own data (source 0, no URL): the term, related terms,
 *  the draft's facts and the words trendd writes itself (place names, "Google Trends"). */
[[nodiscard]] std::vector<grounding::EvidenceText> evidence_texts(const Story& story,
                                                                  const Draft& draft);

/** The articles a draft cites: the story's, without near-identical headlines, at most 8. */
[[nodiscard]] std::vector<StoryArticle> select_articles(const std::vector<StoryArticle>& articles);

/** The Source entries of `articles`: author and published_at as the feed gave them, else as
 *  the extracted page gives them (its byline, its date). */
[[nodiscard]] std::vector<Source> sources_of(const std::vector<StoryArticle>& articles);

/** "## Sources": the numbered list [1]..[n] and the attribution of our own data. */
[[nodiscard]] std::string sources_section(const std::vector<Source>& sources, const Story& story);

/** Our own data about the story as plain statements (timeline, detection, other geos, related
 *  terms): what an LLM is given, and grounding evidence. */
[[nodiscard]] std::vector<std::string> story_facts(const Story& story);

/** A readable place name for a geo code: "US" -> "the US", "TW" -> "Taiwan"; unknown codes
 *  are returned as written; "" -> "" . */
[[nodiscard]] std::string place_name(std::string_view geo);

} // namespace trend::draft
