// SPDX-License-Identifier: MIT
#pragma once

// What every feed parser's output must be, whatever the input: shared by the
// fuzz_feed_<type>.cpp targets.

#include "fuzz_support.hpp"
#include "trend/feed/parser.hpp"
#include "trend/util/text.hpp"

#include <set>
#include <string>
#include <variant>

namespace trend::fuzz {

inline void check_url(const std::string& url) {
    check(url.empty() || url.starts_with("http://") || url.starts_with("https://"), "only web URLs",
          url);
    check(url.size() <= 2048, "URL within its cap", url);
}

inline void check_text(const std::string& s, std::size_t max_bytes, const char* what) {
    check(is_valid_utf8(s), what, s);
    check(s.size() <= max_bytes, what, s);
}

/** Checks a parse result; returns the snapshot in it (so `result` must outlive the pointer),
 *  or nullptr for an error. */
inline const feed::Snapshot* check_result(const feed::ParseResult& result,
                                          const feed::ParseContext& ctx) {
    if (const auto* e = std::get_if<feed::ParseError>(&result)) {
        check(!e->message.empty() && is_valid_utf8(e->message), "an error is a UTF-8 message",
              e->message);
        return nullptr;
    }
    const auto& s = std::get<feed::Snapshot>(result);
    check(s.items.size() <= ctx.max_items, "items within the cap");
    check(s.warnings.size() <= 101, "warnings within the cap");
    for (const std::string& w : s.warnings)
        check(is_valid_utf8(w), "warnings are UTF-8", w);
    check_text(s.title, 1000, "feed title: UTF-8, capped");
    std::set<std::string> terms;
    for (const feed::Item& item : s.items) {
        check_text(item.term, 1000, "term: UTF-8, capped");
        check_text(item.summary, 2003, "summary: UTF-8, capped");
        check_text(item.author, 300, "author: UTF-8, capped");
        check_text(item.publisher, 300, "publisher: UTF-8, capped");
        check_text(item.skip_reason, 400, "skip reason: UTF-8, capped");
        check(item.rank >= 1, "ranks start at 1");
        check_url(item.url);
        check_url(item.discussion_url);
        check_url(item.picture);
        check(!item.traffic.value || *item.traffic.value >= 0, "traffic is not negative");
        if (item.skip_reason.empty()) {
            check(!item.term.empty(), "a kept item has a term");
            check(terms.insert(text::normalize_term(item.term)).second, "kept terms are distinct",
                  item.term);
        }
    }
    return &s;
}

} // namespace trend::fuzz
