// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

/** Plain text out of HTML from outside (feed summaries, titles), read with a real HTML5
 *  parser (gumbo). */
namespace trend::text {

/** What html_to_text() keeps of a fragment. */
struct HtmlText {
    std::string text;        ///< visible text, valid UTF-8, white space collapsed to one space
    bool truncated = false;  ///< the text (or the HTML read) was longer than asked for
    std::string first_image; ///< src of the first <img> that is not a 0/1-pixel tracker, as
                             ///< written; looked for in all the HTML read, even past max_bytes
};

/**
 * The text a reader would see in an HTML fragment, at most `max_bytes` (cut on a code point):
 * character references decoded once, tags dropped, block elements (p, br, li, td, h1...)
 * separated by a space. The content of script, style, noscript, template, iframe, object,
 * embed, svg, math, head and title never appears; attributes (event handlers, javascript:
 * URLs) never do either. Only the first 64 KiB of `html` are read, and only as far as
 * elements nest less than 256 deep (a cost bound: the parser's work grows with tags times
 * depth). Invalid UTF-8 is repaired first. Never throws for any input.
 */
[[nodiscard]] HtmlText html_to_text(std::string_view html, std::size_t max_bytes);

/** True when an HTML parser would change `s`: it holds a tag ("<b>", "</p>", "<!--") or a
 *  character reference ("&amp;", "&#39;", "&#x27;"). Plain text like "x < y & z" is not. */
[[nodiscard]] bool looks_like_html(std::string_view s);

} // namespace trend::text
