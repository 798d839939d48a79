// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

/**
 * Writing untrusted text into a draft (docs/drafting.md, "Hostile input"). Every piece of text
 * trendd puts into a draft goes through one of these, so no feed, page or model can put a live
 * link, a tag or Markdown structure of its own into an editor's page:
 *
 * - Body text (terms, headlines, snippets, publisher names, labels): text() or link().
 * - URLs: url() keeps http(s) only, percent-encoded so nothing can end the link.
 * - Markdown the model wrote: sanitize().
 * - Front matter strings: front_matter_text() (themes render titles as HTML).
 *
 * Pure functions; input need not be valid UTF-8 (it is repaired); linear time.
 */
namespace trend::draft::markdown {

/**
 * Inline text as Markdown that renders as exactly that text: Markdown punctuation
 * (\ ` * _ { } [ ] ( ) # + ! | ~) is backslash-escaped, `<` `>` become &lt; &gt;, `&` becomes
 * &amp; when it would start an entity, a leading list or heading marker (-, =, 1.) is escaped,
 * line breaks become spaces, bidi embedding/override/isolate controls are dropped.
 */
[[nodiscard]] std::string text(std::string_view s);

/** The URL as a safe link destination, or nullopt: only http:// and https:// URLs with a host
 *  (any case), at most 2048 bytes once encoded; every byte outside RFC 3986's unreserved and reserved sets
 *  is percent-encoded, and so are ( ) so the URL cannot end a Markdown link. javascript:,
 *  data:, vbscript:, file:, relative and protocol-relative URLs are refused. */
[[nodiscard]] std::optional<std::string> url(std::string_view s);

/** "[text](url)" with text() and url(); just text(link_text) when the URL is refused (and the
 *  URL's text when link_text is empty). */
[[nodiscard]] std::string link(std::string_view link_text, std::string_view target);

/** "## text" (level clamped to 1..6), the text escaped with text(). */
[[nodiscard]] std::string heading(int level, std::string_view s);

/**
 * Markdown written by someone else (the model) made safe, its formatting kept: raw HTML is
 * neutralised (every `<` becomes &lt;), inline links and images keep only http(s) destinations
 * (re-encoded with url(); a link with any other destination becomes its text, an image its alt
 * text), link titles are dropped, reference definitions ("[x]: url") are removed, and any
 * other "](" is broken up. Bidi controls are dropped.
 */
[[nodiscard]] std::string sanitize(std::string_view markdown);

/**
 * A front matter string (title, summary, tags, names): themes render these as HTML, and Jekyll's
 * Liquid does not escape by default, so `<` and `>` become ‹ and › (U+2039, U+203A) and can
 * never open a tag; "](" becomes "] (" so a theme that renders titles as Markdown sees no link;
 * line breaks become spaces; bidi controls are dropped. Everything else, quotes and `&`
 * included, is kept (YAML quoting is yaml::quote's job).
 */
[[nodiscard]] std::string front_matter_text(std::string_view s);

/** The text a reader sees in Markdown, for checks that compare it with sources: backslash
 *  escapes removed and &lt; &gt; &amp; &quot; &#39; decoded. Nothing else changes. */
[[nodiscard]] std::string unescape(std::string_view markdown);

} // namespace trend::draft::markdown
