// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <string>
#include <string_view>

namespace trend::draft {

/**
 * A file-name-safe slug of any term: ASCII, lowercase, only [a-z0-9-], no leading, trailing or
 * doubled '-', at most max_len bytes, never empty and never a path ("../../etc/passwd" ->
 * "etc-passwd"). Every script is transliterated with ICU's "Any-Latin; Latin-ASCII"
 * ("Ação" -> "acao", "台積電" -> "tai-ji-dian", "Москва" -> "moskva"). Only a term with no
 * letters at all (punctuation, emoji) gets "trend-" plus 8 hex digits of a stable hash of the
 * term, so distinct terms get distinct slugs. A max_len under 14 (the length of that
 * fallback) counts as 14. Pure, never throws.
 */
[[nodiscard]] std::string slugify(std::string_view term, std::size_t max_len = 80);

/** "2025-11-03-<slug>.md" for a draft dated `date` (UTC): the front matter's `date`, when the
 *  story started. */
[[nodiscard]] std::string draft_file_name(Timestamp date, std::string_view slug);

} // namespace trend::draft
