// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace trend::feed {

/** The longest term trendd stores, in bytes. */
inline constexpr std::size_t k_max_term_bytes = 300;

/** A term fit to store, and the snapshot warning to add when it had to be cut. */
struct GuardedTerm {
    std::string term;
    std::optional<std::string> warning;
};

/**
 * Every parser passes each item's term through this before putting it in a Snapshot. The term
 * is repaired (valid UTF-8) and its white space collapsed. A term over k_max_term_bytes is cut at
 * a UTF-8 boundary and tagged with a hash of the whole term, "<first 280 bytes>…#<16 hex>", so
 * two long terms that share a prefix stay two terms, and spellings of one term that differ only
 * in case stay one (the hash is of text::normalize_term of the whole term). `where` names the
 * item in the warning ("item 3"); the warning quotes the start of the term.
 *
 *   auto g = guard_term(raw_title, fmt::format("item {}", index));
 *   if (g.warning) snapshot.warnings.push_back(*g.warning);
 *
 * Pure, never throws (beyond std::bad_alloc).
 */
[[nodiscard]] GuardedTerm guard_term(std::string_view term, std::string_view where);

} // namespace trend::feed
