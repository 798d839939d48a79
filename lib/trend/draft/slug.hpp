// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <string>
#include <string_view>

namespace trend::draft {

/**
 * A file-name-safe slug of any term: ASCII, lowercase, only [a-z0-9-], no leading, trailing or
 * doubled '-', at most max_len bytes, never empty and never a path ("../../etc/passwd" ->
 * "etc-passwd"). Latin letters with accents lose them ("Ação" -> "acao"). A term with no
 * ASCII-representable letters (only CJK, only punctuation) gets "trend-" plus 8 hex digits of
 * a stable hash of the term, so distinct terms get distinct slugs. A max_len under 14 (the
 * length of that fallback) counts as 14. Pure, never throws.
 */
[[nodiscard]] std::string slugify(std::string_view term, std::size_t max_len = 80);

/** "2025-11-03-<slug>.md" for a draft made at `date` (UTC). */
[[nodiscard]] std::string draft_file_name(Timestamp date, std::string_view slug);

} // namespace trend::draft
