// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/detect/topic.hpp"

#include <string>
#include <vector>

using trend::detect::match_topics;
using trend::detect::read_topic;
using trend::detect::TopicMatch;

namespace {

TopicMatch match(std::string_view a, std::string_view b) {
    return match_topics(read_topic(a), read_topic(b));
}

std::vector<std::string> words(std::string_view text) {
    return read_topic(text).words;
}

} // namespace

TEST_SUITE("detect") {

    TEST_CASE("a hashtag is split where its case changes") {
        CHECK(words("#OpenAIAmazon") == std::vector<std::string>{"open", "ai", "amazon"});
        CHECK(words("#WorldSeries2026") == std::vector<std::string>{"world", "series2026"});
        CHECK(words("#nba") == std::vector<std::string>{"nba"});
        // Not a hashtag: a # inside a word.
        CHECK(words("C#Sharp") == std::vector<std::string>{"sharp"});
    }

    TEST_CASE("words are folded, without accents, possessives and stop words") {
        CHECK(words("Pokémon Legends: the Z-A release") ==
              std::vector<std::string>{"pokemon", "legends", "release"});
        CHECK(words("OpenAI’s deal with Amazon") ==
              std::vector<std::string>{"openai", "deal", "amazon"});
        CHECK(read_topic("openai amazon").cased == false);
        CHECK(read_topic("OpenAI signs deal").cased);
    }

    TEST_CASE("a hashtag, a term, an HN title and a headline about one event match") {
        CHECK(match("openai amazon", "#OpenAIAmazon") != TopicMatch::none);
        CHECK(match("openai amazon", "OpenAI and Amazon sign $38B cloud deal") ==
              TopicMatch::contained);
        CHECK(match("OpenAI Amazon deal", "openai amazon deal") == TopicMatch::same_words);
        CHECK(match("Spider-Man", "spiderman") == TopicMatch::contained);
        CHECK(match("openai", "OpenAI signs $38B deal with Amazon Web Services") ==
              TopicMatch::contained);
    }

    TEST_CASE("one generic or uncapitalised word does not make a story") {
        CHECK(match("weather", "Weather warning for London as storm arrives") == TopicMatch::none);
        CHECK(match("ai", "AI startups raise record sums this year") == TopicMatch::none);
        // A name written in lower case in a cased headline is not that name.
        CHECK(match("apple", "How to bake an apple pie this weekend") == TopicMatch::none);
        CHECK(match("apple", "Apple unveils a new iPhone in Cupertino") == TopicMatch::contained);
        CHECK(match("2026", "The 2026 World Cup draw") == TopicMatch::none);
    }

    TEST_CASE("different stories do not match") {
        CHECK(match("openai amazon", "Microsoft and Google sign a deal") == TopicMatch::none);
        CHECK(match("taylor swift", "Taylor Lautner joins a new film") == TopicMatch::none);
        CHECK(match("", "Anything") == TopicMatch::none);
    }

    TEST_CASE("near-identical headlines are similar") {
        CHECK(match("Fed cuts interest rates by a quarter point",
                    "Fed cuts interest rates by half a point") == TopicMatch::similar);
        CHECK(match("Fed cuts interest rates by a quarter point", "Bank of England holds rates") ==
              TopicMatch::none);
    }

    TEST_CASE("topic keys: words and adjacent pairs, so matching topics share one") {
        const auto keys = trend::detect::topic_keys(read_topic("Open AI Amazon"));
        CHECK(keys == std::vector<std::string>{"ai", "aiamazon", "amazon", "open", "openai"});
    }

    TEST_CASE("signal level grows with traffic on a log scale, per kind") {
        using trend::detect::signal_level;
        CHECK(signal_level("searches", 100000, 0) == doctest::Approx(1.0));
        CHECK(signal_level("searches", 1000, 0) == doctest::Approx(0.6));
        CHECK(signal_level("points", 1000, 0) == doctest::Approx(1.0));
        CHECK(signal_level("points", 100, 0) == doctest::Approx(2.0 / 3));
        CHECK(signal_level("views", 10'000'000, 0) == doctest::Approx(1.0));
        CHECK(signal_level("rank", std::nullopt, 1) == doctest::Approx(1.0));
        CHECK(signal_level("rank", std::nullopt, 5) == doctest::Approx(0.6));
        CHECK(signal_level("rank", std::nullopt, 30) == doctest::Approx(0.1));
        CHECK(signal_level("points", std::nullopt, 0) == doctest::Approx(0.1));
        CHECK(signal_level("unknown", 5000, 0) == doctest::Approx(0.1));
    }
}
