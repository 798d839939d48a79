// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

/** Web links from untrusted documents, resolved and checked with libcurl's URL API. */
namespace trend::url {

/** Longest URL handed on; a cut URL would lead somewhere else, so longer ones are refused. */
inline constexpr std::size_t k_max_url_bytes = 2048;

/**
 * `ref` resolved against `base` (RFC 3986 section 5; `base` may be empty when `ref` is
 * absolute). White space around `ref` is trimmed; spaces and non-ASCII bytes inside it are
 * percent-encoded. nullopt when it cannot be resolved (relative without a usable base, no
 * host, malformed) or when the result is longer than k_max_url_bytes. Any scheme libcurl
 * knows is kept, so this also chains `xml:base` values.
 */
[[nodiscard]] std::optional<std::string> resolve(std::string_view base, std::string_view ref);

/** resolve(), and only when the result is an http:// or https:// URL with a host: never a
 *  javascript:, data:, mailto: or file: URL. */
[[nodiscard]] std::optional<std::string> web_url(std::string_view base, std::string_view ref);

} // namespace trend::url
