// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

/**
 * robots.txt (RFC 9309, the Robots Exclusion Protocol), pure: parsing and matching. Fetching
 * it, caching it and what a failed fetch means are the caller's (RFC 9309 section 2.3.1:
 * 4xx "unavailable" allows everything, 5xx or a network failure "unreachable" disallows
 * everything; see Robots::unavailable() and Robots::unreachable()).
 */
namespace trend::fetch {

/** The first 500 KiB of a robots.txt are read (RFC 9309 2.5); the rest, and the line the
 *  limit cuts, are ignored. */
inline constexpr std::size_t k_robots_parse_limit = 500u << 10;

/** An allow or disallow line. */
struct RobotsRule {
    bool allow = false;
    std::string pattern; ///< percent-encoding normalised; '*' and a final '$' are special
};

/** A group: consecutive user-agent lines and the rules that follow them. */
struct RobotsGroup {
    std::vector<std::string> agents; ///< lower-case product tokens, or "*"
    std::vector<RobotsRule> rules;
};

/** A parsed robots.txt. */
struct Robots {
    std::vector<RobotsGroup> groups;
    std::vector<std::string> sitemaps; ///< Sitemap: values, as written
    bool disallow_all = false;         ///< set by unreachable()
    bool truncated = false;            ///< the body was over k_robots_parse_limit

    /** What an unavailable robots.txt (HTTP 4xx) means: everything is allowed. */
    [[nodiscard]] static Robots unavailable() { return {}; }
    /** What an unreachable robots.txt (HTTP 5xx, network error) means: nothing is. */
    [[nodiscard]] static Robots unreachable() {
        Robots r;
        r.disallow_all = true;
        return r;
    }
};

/**
 * Parses a robots.txt body. Never fails and never throws except std::bad_alloc: lines it
 * does not understand (unknown keys, no separator, invalid UTF-8, rules before any
 * user-agent) are ignored. Lines end at LF, CR or CRLF; '#' starts a comment; keys are
 * case-insensitive, and the frequent "useragent", "user agent" and "dissallow"-style typos
 * are accepted, as is a missing colon between a key and a single-word value (as Google's
 * parser does). A user-agent line after a rule starts a new group; a Sitemap or unknown line
 * does not. Patterns are normalised: bytes outside ASCII are percent-encoded, escapes of
 * unreserved characters (A-Z a-z 0-9 - . _ ~) decoded, other escapes in upper case.
 */
[[nodiscard]] Robots parse_robots(std::string_view body);

/**
 * Whether a crawler with product token `user_agent` (e.g. "trendd"; anything from the first
 * character other than a letter, '-' or '_' is ignored, so "trendd/0.1" works too) may fetch
 * `path_and_query` ("/a/b?c", percent-encoded as on the wire; "" means "/").
 *
 * The groups naming the token (case-insensitively) apply, merged; if none does, the groups
 * for "*" apply, merged; if none does either, everything is allowed. Of the rules whose
 * pattern matches (anchored at the start; '*' matches any run of characters; '$' at the end
 * anchors the end), the longest pattern wins, and allow wins a tie. "/robots.txt" itself is
 * always allowed. Matching is linear in the path per pattern position; paths over 8 KiB
 * are cut there.
 */
[[nodiscard]] bool allowed(const Robots& robots, std::string_view user_agent,
                           std::string_view path_and_query);

} // namespace trend::fetch
