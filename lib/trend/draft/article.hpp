// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/** The draft document: front matter + Markdown body (docs/drafting.md). */
namespace trend::draft {

struct Source {
    std::string title;
    std::string url;
    std::string source;                      ///< publisher name
    std::string author{};                    ///< "" when unknown
    std::optional<Timestamp> published_at{}; ///< null when unknown
    /** Where it comes from: "news", "hackernews", "mastodon", ... (StoryArticle::platform). */
    std::string platform = "news";
    std::optional<std::int64_t> points{};   ///< a discussion's points (Hacker News)
    std::optional<std::int64_t> comments{}; ///< a discussion's comments
};

/** The draft's picture: `cover` in the front matter, and the one entry of `images` (the list
 *  Hugo's OpenGraph and Twitter templates read). */
struct Cover {
    std::string image;
    std::string alt;    ///< the headline of the news item the picture came with
    std::string credit; ///< that item's source
};

struct TrendInfo {
    std::string term;
    std::string geo;
    std::optional<std::int64_t> traffic;
    std::string traffic_label;
    Timestamp first_seen{};
    std::string rule;
    std::int64_t spike_id = 0;
    std::optional<std::int64_t> threshold{}; ///< the rule's min_traffic, when it has one
    std::string reason{};                    ///< why the rule fired, as the detector said it
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
    Timestamp date{};             ///< when the story started (story_started_at)
    std::string status = "draft"; ///< "draft" or "needs_review"; an editor's "reviewed"
    int revision = 1;             ///< Story::revision; `revision:` is written from 2 on
    std::string summary;
    std::vector<std::string> tags;
    std::optional<Cover> cover; ///< omitted from the YAML when absent
    std::string generator;      ///< "trendd 0.1.0"
    TrendInfo trend;
    std::vector<Source> sources;
    std::size_t word_count = 0;
    int reading_time_minutes = 1;
    bool cjk = false;                 ///< `isCJKLanguage`: the draft is mostly CJK (is_cjk_draft)
    std::string drafter;              ///< "builtin" | "openai"
    std::optional<std::string> model; ///< openai only
    std::optional<GenerationCosts> generation_costs;
    std::vector<std::string> unverified;
};

/** True while a draft must not be published: status "draft" or "needs_review". */
[[nodiscard]] bool is_unreviewed(std::string_view status) noexcept;

/** "---\n<yaml>---\n": every key of FrontMatter in declaration order; strings made plain with
 *  markdown::front_matter_text (no `<` or `>`: themes render them as HTML) and quoted with
 *  yaml::quote; URLs through markdown::url (http(s) only, else "", and no cover or images);
 *  `reading_time: N min read`. After `status` come `draft: true` (Hugo) and
 *  `published: false` (Jekyll) while is_unreviewed(status), else `draft: false` and
 *  `published: true`, then `revision: N` from revision 2 on; after `cover`, `images: [its URL]`;
 * after `reading_time`, `isCJKLanguage`. Pure. */
[[nodiscard]] std::string render_front_matter(const FrontMatter& fm);

/** Front matter, a blank line, then the body. */
[[nodiscard]] std::string render_document(const FrontMatter& fm, std::string_view body);

/** Words of a Markdown body: runs of letters/digits; each CJK ideograph, kana or hangul
 *  syllable counts as one word. Markdown punctuation and URLs in link targets do not count. */
[[nodiscard]] std::size_t count_words(std::string_view markdown);

/** Of count_words(markdown), those that are a CJK ideograph, kana or hangul syllable. */
[[nodiscard]] std::size_t count_cjk_words(std::string_view markdown);

/** A draft is CJK when at least a third of its words are CJK glyphs, or the term is written
 *  in them (Hugo then counts its words and cuts its summary the CJK way). */
[[nodiscard]] bool is_cjk_draft(std::string_view term, std::size_t words, std::size_t cjk_words);

/** Minutes to read `words` words of which `cjk_words` are CJK glyphs: other words at 200 a
 *  minute, CJK glyphs at 500 a minute, rounded up, at least 1. */
[[nodiscard]] int reading_time_minutes(std::size_t words, std::size_t cjk_words = 0);

} // namespace trend::draft
