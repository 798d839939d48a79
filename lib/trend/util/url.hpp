// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

/** URLs, read and resolved by libcurl's own parser (CURLU). */
namespace trend::util {

/**
 * `reference` resolved against `base` (RFC 3986): "../b?q" against "https://x.org/a/c" is
 * "https://x.org/b?q"; an absolute reference is returned normalised. nullopt when either is
 * not a URL libcurl accepts or the result is not http(s). Never throws except std::bad_alloc.
 */
[[nodiscard]] std::optional<std::string> resolve_http_url(std::string_view base,
                                                          std::string_view reference);

/** The host of an absolute URL, lower case, or "" when it has none or is not a URL. */
[[nodiscard]] std::string url_host(std::string_view url);

} // namespace trend::util
