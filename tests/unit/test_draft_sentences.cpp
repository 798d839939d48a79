// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/draft/sentences.hpp"

#include <string>

using trend::draft::split_sentences;

TEST_SUITE("draft.sentences") {

    TEST_CASE("sentences keep their offsets and paragraphs") {
        const std::string text = "Mr. Smith went to Washington on Monday. He met the U.S. trade "
                                 "representative.\n\nPrices rose 4.5% in May! Why?";
        const auto s = split_sentences(text);
        REQUIRE(s.size() == 4);
        CHECK(s[0].text == "Mr. Smith went to Washington on Monday.");
        CHECK(s[1].text == "He met the U.S. trade representative.");
        CHECK(s[2].text == "Prices rose 4.5% in May!");
        CHECK(s[3].text == "Why?");
        for (const auto& sentence : s)
            CHECK(text.substr(sentence.offset, sentence.text.size()) == sentence.text);
        CHECK(s[0].paragraph == 0);
        CHECK(s[1].paragraph == 0);
        CHECK(s[2].paragraph == 1);
        CHECK(s[3].paragraph == 1);
    }

    TEST_CASE("a middle initial does not end a sentence") {
        const std::string text = "Officials briefed President-elect Donald J. Trump's transition "
                                 "team, but could not say more. They left.";
        const auto s = split_sentences(text);
        REQUIRE(s.size() == 2);
        CHECK(s[0].text ==
              "Officials briefed President-elect Donald J. Trump's transition team, but "
              "could not say more.");
        CHECK(s[1].text == "They left.");
        CHECK(s[1].offset == text.find("They"));
    }

    TEST_CASE("a quotation ending a sentence stays with it") {
        const auto s = split_sentences("\"We will not stop,\" she said. \"Never.\" Then she left.");
        REQUIRE(s.size() == 3);
        CHECK(s[0].text == "\"We will not stop,\" she said.");
        CHECK(s[1].text == "\"Never.\"");
    }

    TEST_CASE("multi-byte text splits at byte offsets") {
        const std::string text = "Tite diz que errou. São Paulo comemorou o título.";
        const auto s = split_sentences(text, "pt");
        REQUIRE(s.size() == 2);
        CHECK(s[1].text == "São Paulo comemorou o título.");
        CHECK(s[1].offset == text.find("São"));
    }

    TEST_CASE("blank text and blank paragraphs give no sentences") {
        CHECK(split_sentences("").empty());
        CHECK(split_sentences("   \n\n  \n\n").empty());
    }

    TEST_CASE("invalid UTF-8 does not break the split") {
        const std::string text = "Bad \xff\xfe bytes here. Next one.";
        const auto s = split_sentences(text);
        REQUIRE(!s.empty());
        for (const auto& sentence : s)
            CHECK(sentence.offset + sentence.text.size() <= text.size());
    }

} // TEST_SUITE
