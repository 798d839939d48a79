// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <optional>
#include <string>
#include <string_view>

/**
 * Day placeholders in feed URLs (docs/sources.md, "Dates in URLs"). An API that names a day in
 * its URL (Wikimedia's pageviews "top": .../all-access/2026/11/26) goes stale when the URL is
 * fixed; `{yesterday}` is replaced at each poll by the UTC day before the poll.
 *
 *  - `{today}`, `{yesterday}`: the UTC day of the poll, or the one before, as `2026/11/26`.
 *  - `{today:FORMAT}`, `{yesterday:FORMAT}`: FORMAT holds `%Y` (4 digits), `%m`, `%d` (2 digits),
 *    `%%` and any other character but braces: `{yesterday:%Y%m%d}` gives `20261126`.
 *
 * Any other `{` or `}` in a URL is an error (reported by the configuration's check).
 */
namespace trend::util {

/** True when `url` holds at least one day placeholder (valid or not). */
[[nodiscard]] bool has_date_placeholder(std::string_view url);

/** Why the placeholders of `url` are wrong ("unknown placeholder {tomorrow}", "'{' never
 *  closed", "%H is not a date field"), or nullopt when they are fine or there are none. */
[[nodiscard]] std::optional<std::string> date_placeholder_error(std::string_view url);

/** `url` with every placeholder replaced by its UTC day, counted back from `now`'s day, then
 *  `days_back` more days (the day before, when a day's list is not published yet). Valid
 *  placeholders are assumed (date_placeholder_error() first); a bad one is left as written. */
[[nodiscard]] std::string expand_date_placeholders(std::string_view url, Timestamp now,
                                                   int days_back = 0);

} // namespace trend::util
