// SPDX-License-Identifier: MIT
#pragma once

// What every parser of feed/ does around its format: refusing what is not a feed, bounded
// warnings, capped and cleaned text, JSON values read defensively. Internal to feed/.

#include "trend/feed/parser.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace trend::feed::detail {

constexpr std::size_t k_max_title_bytes = 1000;   // a term; longer ones are cut, with a warning
constexpr std::size_t k_max_summary_bytes = 2000; // plain text; cut with "…"
constexpr std::size_t k_max_name_bytes = 300;     // authors, publishers, feed titles
constexpr std::size_t k_max_warnings = 100;

/** `s` in double quotes for a message: repaired, cut to 100 bytes with "…". */
[[nodiscard]] std::string quote(std::string_view s);

/** Valid UTF-8 cut to max_bytes on a code point, trailing spaces dropped. */
[[nodiscard]] std::string cap_text(std::string s, std::size_t max_bytes);

/** Repaired UTF-8, white space collapsed: a field that is plain text by definition. */
[[nodiscard]] std::string plain(std::string_view raw);

/** Collects warnings, keeping the list bounded whatever the document holds. */
class Warnings {
    std::vector<std::string>& m_out;
    std::size_t m_suppressed = 0;

public:
    explicit Warnings(std::vector<std::string>& out) : m_out(out) {}
    void add(std::string message);
    /** Adds "N more warnings not shown" when some were dropped. Call once, at the end. */
    void finish();
};

/**
 * Fills a snapshot: geo and fetch time from the context, its format and traffic kind, items up
 * to ctx.max_items (the rest counted, then reported once), an item whose term repeats an
 * earlier one's (compared normalised) marked "same <noun> as entry N", warnings bounded.
 * Call finish() once, at the end.
 */
class SnapshotWriter {
    Snapshot& m_snapshot;
    Warnings m_warnings;
    std::unordered_map<std::string, int> m_first; // normalised term -> rank
    std::size_t m_max;
    std::size_t m_over = 0;

public:
    SnapshotWriter(Snapshot& snapshot, const ParseContext& ctx, std::string format,
                   TrafficKind kind);
    Warnings& warnings() { return m_warnings; }
    /** True, and counted, when no more items fit. */
    bool full();
    /** Appends `item`; one already skipped or without a term is never marked. */
    void add(Item item, std::string_view noun = "title");
    void finish();
};

/**
 * A title as a term: plain text, or HTML turned into text when `html` is true (or, with
 * `html` unset, when it looks like HTML: a tag or a character reference). Cut to
 * k_max_title_bytes with a warning naming `where`.
 */
[[nodiscard]] std::string title_text(std::string_view raw, std::optional<bool> html,
                                     Warnings& warnings, std::string_view where);

/**
 * An item's term (what rules match): plain text, or HTML turned into text as for
 * title_text(), then through guard_term (term.hpp): a term over k_max_term_bytes is cut and
 * tagged with a hash of the whole of it (up to 64 KiB of its text), so two long terms never
 * merge; the warning names `where`.
 */
[[nodiscard]] std::string term_text(std::string_view raw, std::optional<bool> html,
                                    Warnings& warnings, std::string_view where);

/** A summary: HTML to plain text (or plain text when `html` is false), at most
 *  k_max_summary_bytes, "…" when cut. `first_image`, when given, receives the src of the
 *  HTML's first real <img> (as written). */
[[nodiscard]] std::string summary_text(std::string_view raw, bool html = true,
                                       std::string* first_image = nullptr);

/** The body without a UTF-8 byte order mark and leading white space. */
[[nodiscard]] std::string_view skip_bom_and_space(std::string_view s);

/**
 * Why `body` cannot be a feed before any parsing, or nullopt: over ctx.max_bytes, empty, an
 * HTML page ("an HTML page, not a feed (title: "Error 404")"). `what` names the expected kind
 * in messages ("feed", "JSON reply").
 */
[[nodiscard]] std::optional<std::string> refuse_body(std::string_view body, const ParseContext& ctx,
                                                     std::string_view what);

/** "an HTML page, not a <what>", with the page's <title> when it has one. */
[[nodiscard]] std::string html_page_error(std::string_view title, std::string_view what);

/** Text of an HTML title element's content: entities decoded, tags dropped. */
[[nodiscard]] std::string clean_title(std::string_view raw);

/**
 * A JSON document, or why not: refuse_body()'s reasons, an XSSI prefix ")]}'" (a Google
 * reply), an XML document, a syntax error with its byte offset. Parsed iteratively (no
 * recursion, whatever the nesting). `prefix` starts every message ("HN Algolia reply").
 */
[[nodiscard]] std::variant<rapidjson::Document, std::string>
parse_json(std::string_view body, const ParseContext& ctx, std::string_view prefix);

/**
 * When `v` is an error reply instead of data, what it says: an HTTP problem document
 * (RFC 7807: "type" with "title"/"detail", as Wikimedia sends), {"error": "..."} (Mastodon)
 * or {"message": "...", "status"|"code": N} (Algolia). nullopt otherwise.
 */
[[nodiscard]] std::optional<std::string> json_error_reply(const rapidjson::Value& v);

/** The member `key` of an object, or nullptr when `v` is not an object or has no such member. */
[[nodiscard]] const rapidjson::Value* member(const rapidjson::Value& v, const char* key);

/** A string member, repaired and white space collapsed; nullopt when absent or not a string. */
[[nodiscard]] std::optional<std::string> string_member(const rapidjson::Value& v, const char* key);

/** The raw (unrepaired) bytes of a string member, or "" when absent or not a string. */
[[nodiscard]] std::string_view raw_string_member(const rapidjson::Value& v, const char* key);

/**
 * An integer member: a JSON integer, an integral number within int64, or a string of at most
 * 18 digits (Mastodon writes counts as strings). nullopt otherwise, including for values too
 * large for int64 and for negative numbers when `non_negative`.
 */
[[nodiscard]] std::optional<std::int64_t> int_member(const rapidjson::Value& v, const char* key,
                                                     bool non_negative = true);

/** UNIX seconds as a time, when plausible for a feed (1970 to 2199); nullopt otherwise. */
[[nodiscard]] std::optional<Timestamp> unix_seconds(std::optional<std::int64_t> seconds);

/** Runs a parser, turning any exception (bad_alloc, a bug) into a ParseError "<what>: parser
 *  failed: ...": parsers never throw. */
template <typename Fn>
auto guarded(std::string_view what, Fn fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const std::exception& e) {
        return ParseError{std::string{what} + ": parser failed: " + e.what()};
    } catch (...) {
        return ParseError{std::string{what} + ": parser failed"};
    }
}

/** "a string", "a number", "null", ... for messages about wrong types. */
[[nodiscard]] std::string_view json_type_name(const rapidjson::Value& v);

} // namespace trend::feed::detail
