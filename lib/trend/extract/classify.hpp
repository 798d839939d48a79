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
 * none); `teasers` the headings of the scored content that are links. The first rule that
 * matches wins:
 *  1. consent wall: the URL's host is a consent host (consent.*, guce.*);
 *  2. index page: a JSON-LD CollectionPage, ItemList or SearchResultsPage, no article entity;
 *  3. paywall: JSON-LD isAccessibleForFree false, and under 150 words on the page or a
 *     JSON-LD body over 1.5 times longer than the page's text;
 *  4. consent wall: under 150 words, and three consent phrases (two with consent markup);
 *  5. index page, without article metadata (og:type article, JSON-LD article): the site's
 *     home page, five teasers in the content, or six <article>s;
 *  6. video: og:type video.* or a VideoObject without an article, under 150 words; or a
 *     player, no article metadata, under 50 words;
 *  7. paywall: paywall markup or subscription wording, under 150 words;
 *  8. JavaScript shell, under 50 words: "enable JavaScript" wording, or an empty app root
 *     with scripts, or scripts and under 200 characters of text.
 */
[[nodiscard]] std::optional<Verdict> not_an_article(const Signals& s, const PageMeta& meta,
                                                    std::size_t words, std::size_t body_words,
                                                    std::size_t teasers, std::string_view url);

} // namespace trend::extract::detail
