// SPDX-License-Identifier: MIT
// The Google Trends RSS parser on any bytes: never throws; what it returns is clean (valid
// UTF-8, capped, web URLs only, distinct terms, ranks 1..n).
#include "fuzz_support.hpp"
#include "trend/feed/parser.hpp"
#include "trend/feed/term.hpp"

#include <set>

using namespace trend;

namespace {

void check_text(const std::string& s, std::size_t max_bytes, const char* what) {
    fuzz::check(fuzz::is_valid_utf8(s), what, s);
    fuzz::check(s.size() <= max_bytes, what, s);
}

void check_url(const std::string& url) {
    fuzz::check(url.empty() || text::istarts_with(url, "http://") ||
                    text::istarts_with(url, "https://"),
                "only web URLs", url);
    fuzz::check(url.size() <= 2048, "URL within its cap", url);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    feed::ParseContext ctx;
    ctx.max_items = 50;
    const auto result = feed::parse_google_trends_rss(fuzz::text_of(data, size), ctx);
    if (const auto* e = std::get_if<feed::ParseError>(&result)) {
        fuzz::check(!e->message.empty() && fuzz::is_valid_utf8(e->message),
                    "an error is a UTF-8 message", e->message);
        return 0;
    }
    const auto& snapshot = std::get<feed::Snapshot>(result);
    fuzz::check(snapshot.items.size() <= ctx.max_items, "items within the cap");
    std::set<std::string> terms;
    int rank = 0;
    for (const feed::Item& item : snapshot.items) {
        fuzz::check(!item.term.empty(), "a term is never empty");
        check_text(item.term, feed::k_max_term_bytes, "term: UTF-8, capped");
        fuzz::check(terms.insert(text::normalize_term(item.term)).second, "terms are distinct",
                    item.term);
        fuzz::check(item.rank == ++rank, "ranks are 1..n");
        check_url(item.picture);
        for (const feed::NewsItem& n : item.news) {
            check_text(n.title, 2000, "news title: UTF-8, capped");
            check_text(n.snippet, 2000, "snippet: UTF-8, capped");
            check_text(n.source, 300, "source: UTF-8, capped");
            check_url(n.url);
            check_url(n.picture);
        }
    }
    for (const std::string& w : snapshot.warnings)
        fuzz::check(fuzz::is_valid_utf8(w), "warnings are UTF-8", w);
    return 0;
}
