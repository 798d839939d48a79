// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

/** URLs from untrusted documents, read and resolved by libcurl's own parser (CURLU). */
namespace trend::util {

/** Longest URL handed on; a cut URL would lead somewhere else, so longer ones are refused. */
inline constexpr std::size_t k_max_url_bytes = 2048;

/**
 * `reference` resolved against `base` (RFC 3986 section 5; `base` may be empty when
 * `reference` is absolute): "../b?q" against "https://x.org/a/c" is "https://x.org/b?q".
 * White space around `reference` is trimmed; spaces and non-ASCII bytes inside it are
 * percent-encoded. nullopt when it cannot be resolved (empty, relative without a usable base, no
 * host, malformed, a NUL byte) or when the result is longer than k_max_url_bytes. Any scheme
 * libcurl knows is kept, so this also chains `xml:base` values.
 */
[[nodiscard]] std::optional<std::string> resolve_url(std::string_view base,
                                                     std::string_view reference);

/** resolve_url(), and only when the result is an http:// or https:// URL with a host: never a
 *  javascript:, data:, mailto: or file: URL. */
[[nodiscard]] std::optional<std::string> resolve_http_url(std::string_view base,
                                                          std::string_view reference);

/** The host of an absolute URL, lower case, or "" when it has none or is not a URL. */
[[nodiscard]] std::string url_host(std::string_view url);

/** What a crawler needs of an http(s) URL. */
struct WebUrl {
    std::string host;           ///< lower case ("[::1]" for an IPv6 literal)
    std::string origin;         ///< "https://example.org", with ":port" only when one is written
    std::string path_and_query; ///< "/a/b?c" as sent on the wire ("/" at least)
};

/** The parts of an absolute http:// or https:// URL with a host; nullopt for anything else. */
[[nodiscard]] std::optional<WebUrl> web_url(std::string_view url);

} // namespace trend::util
