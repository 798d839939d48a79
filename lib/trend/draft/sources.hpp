// SPDX-License-Identifier: MIT
#pragma once

#include "trend/draft/article.hpp"
#include "trend/draft/story.hpp"

#include <string>
#include <vector>

/** The discussions a story's other sources point to, cited beside its news articles. */
namespace trend::draft {

/** The Hacker News discussions among the story's signals, as sources (the discussion page,
 *  its points and comments, `platform: hackernews`), best first, at most 3. */
[[nodiscard]] std::vector<Source> discussion_sources(const Story& story);

/** What a Sources list says after a source's publisher: ", Hacker News discussion: 412
 *  points, 230 comments" for a discussion; "" otherwise. */
[[nodiscard]] std::string source_note(const Source& source);

/** The story's signals as plain statements of our own data ("on Hacker News: “Title”, 412
 *  points, 230 comments"): facts a drafter may use, and grounding evidence. */
[[nodiscard]] std::vector<std::string> signal_facts(const Story& story);

} // namespace trend::draft
