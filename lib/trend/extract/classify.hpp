// SPDX-License-Identifier: MIT
#pragma once

#include "trend/extract/dom.hpp"
#include "trend/extract/extract.hpp"
#include "trend/extract/metadata.hpp"

#include <optional>
#include <string>
#include <string_view>

/** Internal to extract/: telling pages that are not articles from articles. */
namespace trend::extract::detail {

/** What the whole page looks like, read before content scoring edits the DOM. */
struct Signals {
    std::string text;             ///< body and <noscript> text, ASCII lower case, first 64 KiB
    std::size_t text_length = 0;  ///< code points of the body's text
    std::size_t link_length = 0;  ///< ... of which inside links
    std::size_t articles = 0;     ///< <article> elements
    std::size_t videos = 0;       ///< <video> elements and video player iframes
    bool paywall_element = false; ///< an element whose class/id says paywall, with text
    bool consent_element = false; ///< ... cookie/consent
    bool empty_app_root = false;  ///< an empty #root, #app, #__next, #__nuxt container
    std::size_t scripts = 0;
};

[[nodiscard]] Signals survey(const Dom& dom);

struct Verdict {
    Outcome outcome;
    std::string reason;
};

/**
 * The class of a page that is not an article, or nullopt when it may be one. `words` is the
 * word count of the best text found; `body_words` that of the JSON-LD articleBody (0 when
 * none); `teasers` the headings of the scored content that are links. Rules (first match
 * wins): index pages (a JSON-LD CollectionPage/ItemList with no article entity; without
 * article metadata, a site's root URL, five teasers in the content or six <article>s); video pages
 * (og:type video.* or a VideoObject without an article entity, or a player, with under 150
 * words); paywalls (isAccessibleForFree false, or paywall markup or wording, with under 150
 * words or a JSON-LD body over 1.5 times longer than the page's text); consent walls (under
 * 150 words and three consent phrases, or a consent host); JavaScript shells (under 50 words
 * and "enable JavaScript" wording, or an empty app root, or scripts and under 200 characters
 * of text).
 */
[[nodiscard]] std::optional<Verdict> not_an_article(const Signals& s, const PageMeta& meta,
                                                    std::size_t words, std::size_t body_words,
                                                    std::size_t teasers, std::string_view url);

} // namespace trend::extract::detail
