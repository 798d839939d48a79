// SPDX-License-Identifier: MIT
#pragma once

#include "trend/extract/extract.hpp"

#include <string>
#include <string_view>
#include <variant>

/** Internal to extract/: from received bytes to HTML the parser may safely see. */
namespace trend::extract::detail {

/** A body refused before parsing, with the outcome and reason to report. */
struct Refusal {
    Outcome outcome = Outcome::malformed;
    std::string reason;
};

/** A page ready for the HTML parser. */
struct Source {
    /** UTF-8 HTML without comments and without the content of script (except JSON-LD),
     *  style and svg elements, which the extractor never reads and which take most of an
     *  HTML parser's time. */
    std::string html;
    std::string charset; ///< what the body was decoded from, lower case ("utf-8")
};

/**
 * Checks that the body is HTML (Content-Type and sniffing), decodes it to UTF-8 and cleans
 * it (Source::html), enforcing k_max_body_bytes, k_max_elements and k_max_depth.
 *
 * The charset is, in order: a byte order mark; UTF-8 when the bytes are valid UTF-8 with at
 * least one multi-byte sequence (pages that declare a legacy charset but are UTF-8 are
 * common; the converse is vanishingly rare); the Content-Type charset; a <meta charset> or
 * http-equiv Content-Type in the first 4 KiB; UTF-8 when the bytes are valid, else
 * windows-1252. Invalid sequences become U+FFFD. Never throws except std::bad_alloc.
 */
[[nodiscard]] std::variant<Source, Refusal> prepare(std::string_view body,
                                                    std::string_view content_type);

/** The charset a <meta> in the first 4 KiB of `bytes` declares (lower case), or "". */
[[nodiscard]] std::string meta_charset(std::string_view bytes);

/** True when `bytes` is valid UTF-8; `multibyte` tells whether it has non-ASCII text. */
[[nodiscard]] bool valid_utf8(std::string_view bytes, bool& multibyte) noexcept;

} // namespace trend::extract::detail
