// SPDX-License-Identifier: MIT
#pragma once

#include "trend/extract/dom.hpp"
#include "trend/util/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

/** Internal to extract/: what a page says about itself (meta, link, JSON-LD, <title>). */
namespace trend::extract::detail {

struct PageMeta {
    std::string title;
    std::string byline;
    std::string site_name;
    std::string lang;
    std::string image;
    std::string description;
    std::string canonical_url;
    std::optional<Timestamp> published_at;
    std::optional<Timestamp> modified_at;

    // What classification needs.
    std::string og_type;             ///< lower case ("article", "website", "video.other")
    std::vector<std::string> types;  ///< JSON-LD @types of every entity, as written
    bool json_ld_article = false;    ///< an Article-family JSON-LD entity exists
    std::string article_body;        ///< its articleBody, white space kept
    std::optional<bool> free_access; ///< isAccessibleForFree of any entity, when given
};

/**
 * Reads the metadata of a parsed page. `page_url` resolves relative URLs (a <base href>
 * first). The title is not yet cleaned of a site suffix: see clean_title(). Never throws
 * except std::bad_alloc.
 */
[[nodiscard]] PageMeta read_metadata(const Dom& dom, std::string_view page_url);

/**
 * The article title from a <title> text, as Readability's heuristics would have it: a
 * trailing " | Site" or " - Site" part is dropped when what is left has enough words.
 * `headings` are the texts of the page's h1 and h2, to recognise a title with a colon.
 */
[[nodiscard]] std::string title_from_document_title(std::string_view title,
                                                    const std::vector<std::string>& h1_h2);

/** `title` without a " - Site" / " | Site" / " — Site" / " · Site" suffix or prefix naming
 *  `site_name` (compared case-insensitively, white space collapsed). */
[[nodiscard]] std::string strip_site_name(std::string_view title, std::string_view site_name);

/** A byline without "By " and surrounding white space; "" when it is a URL or a date. */
[[nodiscard]] std::string clean_byline(std::string_view byline);

/** True for text with four or more digits: a dateline, never a name. */
[[nodiscard]] bool looks_like_date(std::string_view text);

} // namespace trend::extract::detail
