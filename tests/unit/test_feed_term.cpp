// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/feed/term.hpp"
#include "trend/util/text.hpp"

using namespace trend;
using feed::guard_term;

TEST_SUITE("feed") {

    TEST_CASE("guard_term keeps ordinary terms as they are, cleaned") {
        const auto g = guard_term("  OpenAI \u00a0 news ", "item 1");
        CHECK(g.term == "OpenAI news");
        CHECK_FALSE(g.warning);
        CHECK(guard_term("caf\xe9", "item 2").term == "caf\uFFFD");
        CHECK(guard_term(std::string(300, 'a'), "item 3").term == std::string(300, 'a'));
        CHECK_FALSE(guard_term(std::string(300, 'a'), "item 3").warning);
    }

    TEST_CASE("guard_term cuts long terms at a character and keeps them distinct") {
        const std::string shared(10000, 'x');
        const auto a = guard_term(shared + "a", "item 1");
        const auto b = guard_term(shared + "b", "item 2");
        CHECK(a.term != b.term);
        CHECK(a.term.size() == 300);
        CHECK(a.term.substr(0, 280) == std::string(280, 'x'));
        CHECK(a.term.substr(280, 4) == "…#");
        CHECK(a.term.substr(284).find_first_not_of("0123456789abcdef") == std::string::npos);
        REQUIRE(a.warning);
        CHECK(*a.warning == "item 1 \"" + std::string(60, 'x') +
                                "…\": term of 10001 bytes cut to 300 (a hash of the whole term "
                                "keeps it distinct)");
        // Stable, and the same term in another case is the same term once normalised.
        CHECK(guard_term(shared + "a", "x").term == a.term);
        const auto upper = guard_term(std::string(10000, 'X') + "A", "item 3");
        CHECK(text::normalize_term(upper.term) == text::normalize_term(a.term));
        // Never splits a character: 4-byte emoji up to the cut.
        std::string emoji;
        while (emoji.size() < 1000)
            emoji += "😀";
        const auto e = guard_term(emoji, "item 4");
        CHECK(text::repair_utf8(e.term) == e.term);
        CHECK(e.term.size() <= feed::k_max_term_bytes);
    }
}
