// SPDX-License-Identifier: MIT
// feed::guard_term on any bytes: a UTF-8 term of at most 300 bytes, unchanged when it fitted,
// and two different long inputs (split from one fuzz input) never share a guarded term unless
// they are the same term once normalised.
#include "fuzz_support.hpp"
#include "trend/feed/term.hpp"

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::text_of(data, size);
    const feed::GuardedTerm g = feed::guard_term(in, "item 1");
    fuzz::check(g.term.size() <= feed::k_max_term_bytes, "a term fits its cap", g.term);
    fuzz::check(fuzz::is_valid_utf8(g.term), "a term is UTF-8", g.term);
    const std::string clean = text::collapse_whitespace(text::repair_utf8(in));
    fuzz::check(g.warning.has_value() == (clean.size() > feed::k_max_term_bytes),
                "a warning exactly when cut", g.term);
    fuzz::check(g.warning || g.term == clean, "a term that fits is kept", g.term);
    // Two long terms: the input twice, with one byte changed at the end of the second.
    if (size > 0) {
        std::string a(in);
        a.append(400, 'x');
        std::string b = a;
        b.back() = 'y';
        const auto ga = feed::guard_term(a, "a");
        const auto gb = feed::guard_term(b, "b");
        const bool same = text::normalize_term(text::collapse_whitespace(text::repair_utf8(a))) ==
                          text::normalize_term(text::collapse_whitespace(text::repair_utf8(b)));
        fuzz::check(same || text::normalize_term(ga.term) != text::normalize_term(gb.term),
                    "distinct long terms stay distinct", ga.term);
    }
    return 0;
}
