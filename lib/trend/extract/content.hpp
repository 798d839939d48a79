// SPDX-License-Identifier: MIT
#pragma once

#include "trend/extract/dom.hpp"

#include <string>
#include <string_view>
#include <vector>

/** Internal to extract/: the main text of a page by content scoring. */
namespace trend::extract::detail {

struct Content {
    std::vector<std::string> paragraphs; ///< clean text, white space collapsed
    std::size_t length = 0;              ///< code points of the text (Readability's measure)
    std::string byline;                  ///< a byline element's text, when one was found
    double link_density = 0;             ///< of the chosen content
    std::size_t teasers = 0; ///< headings in it that are (mostly) a link: an index page's
};

/**
 * Finds the main text of the page, in the manner of Mozilla Readability (`_grabArticle` and
 * `_prepArticle`): hidden, unlikely, navigation, byline and boilerplate elements go; <p>,
 * <td>, <pre>, headings and text-only <div>s are scored by length and commas, the scores go
 * to parents and grandparents weighted by tag and class/id, the best candidate scaled by
 * (1 - link density) wins, with its related siblings; then forms, tables, lists and divs that
 * look like widgets are cleaned out. When less than 500 characters remain, it retries without
 * stripping unlikely candidates, then without class weights, then without the conditional
 * cleaning, and keeps the longest. `title` lets the heading that repeats it be dropped.
 *
 * Edits `dom` (it is spent afterwards). Never throws except std::bad_alloc.
 */
[[nodiscard]] Content grab_content(Dom& dom, std::string_view title);

/** The paragraphs of the subtree `root`: one per block element, text only. */
[[nodiscard]] std::vector<std::string> paragraphs_of(const Dom& dom, NodeId root);

} // namespace trend::extract::detail
