// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/** The draft document: front matter + Markdown body (docs/drafting.md). */
namespace trend::draft {

struct Source {
    std::string title;
    std::string url;
    std::string source; ///< publisher name
};

struct Cover {
    std::string image;
    std::string alt;
    std::string credit;
};

struct TrendInfo {
    std::string term;
    std::string geo;
    std::optional<std::int64_t> traffic;
    std::string traffic_label;
    Timestamp first_seen{};
    std::string rule;
    std::int64_t spike_id = 0;
};

struct GenerationCosts {
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    std::optional<std::int64_t> cached_tokens;
    double usd = 0.0;
};

struct FrontMatter {
    std::string title;
    std::string slug;
    Timestamp date{};
    std::string status = "draft"; ///< "draft" or "needs_review"
    std::string summary;
    std::vector<std::string> tags;
    std::optional<Cover> cover; ///< omitted from the YAML when absent
    std::string generator;      ///< "trendd 0.1.0"
    TrendInfo trend;
    std::vector<Source> sources;
    std::size_t word_count = 0;
    int reading_time_minutes = 1;
    std::string drafter;              ///< "builtin" | "openai"
    std::optional<std::string> model; ///< openai only
    std::optional<GenerationCosts> generation_costs;
    std::vector<std::string> unverified;
};

/** "---\n<yaml>---\n": every key of FrontMatter in declaration order; strings made plain with
 *  markdown::front_matter_text (no `<` or `>`: themes render them as HTML) and quoted with
 *  yaml::quote; URLs through markdown::url (http(s) only, else "", and no cover);
 *  `reading_time: N min read`. Pure. */
[[nodiscard]] std::string render_front_matter(const FrontMatter& fm);

/** Front matter, a blank line, then the body. */
[[nodiscard]] std::string render_document(const FrontMatter& fm, std::string_view body);

/** Words of a Markdown body: runs of letters/digits; each CJK ideograph, kana or hangul
 *  syllable counts as one word. Markdown punctuation and URLs in link targets do not count. */
[[nodiscard]] std::size_t count_words(std::string_view markdown);

/** ceil(words / 200), at least 1. */
[[nodiscard]] int reading_time_minutes(std::size_t words);

} // namespace trend::draft
