// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace trend::feed {

/**
 * The lower bound of a traffic bucket label, in any spelling the feeds use:
 * "20,000+", "200+", "2000+", "1,000,000+", "20K+", "2M+", "1.5M+", "20.000+" (de),
 * "20 000+" (fr, with ASCII, no-break U+00A0 or narrow no-break U+202F spaces).
 * Returns nullopt for anything else (never 0 for garbage). Pure, noexcept.
 */
[[nodiscard]] std::optional<std::int64_t> parse_traffic(std::string_view label) noexcept;

} // namespace trend::feed
