// SPDX-License-Identifier: MIT
#include "trend/draft/article.hpp"

#include "trend/draft/markdown.hpp"
#include "trend/draft/scan.hpp"
#include "trend/draft/story.hpp"
#include "trend/draft/yaml.hpp"

#include <fmt/format.h>

#include <iterator>

namespace trend::draft {

namespace {

// Themes render front matter as HTML: every string is plain text that cannot open a tag, and
// every URL is http(s) and percent-encoded (markdown.hpp).
std::string quote(std::string_view s) {
    return yaml::quote(markdown::front_matter_text(s));
}

std::string quote_url(std::string_view u) {
    return yaml::quote(markdown::url(u).value_or(""));
}

std::string optional_number(const std::optional<std::int64_t>& n) {
    return n ? std::to_string(*n) : "null";
}

std::string flow_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : ", ") + quote(items[i]);
    return out + "]";
}

std::string cover_map(const Cover& c) {
    return fmt::format("{{image: {}, alt: {}, credit: {}}}", quote_url(c.image), quote(c.alt),
                       quote(c.credit));
}

std::string trend_map(const TrendInfo& t) {
    return fmt::format(
        "{{term: {}, geo: {}, traffic: {}, traffic_label: {}, first_seen: {}, rule: {}, "
        "threshold: {}, reason: {}, spike_id: {}}}",
        quote(t.term), quote(t.geo), optional_number(t.traffic),
        quote(display_label(t.traffic_label)), format_iso(t.first_seen), quote(t.rule),
        optional_number(t.threshold), quote(t.reason), t.spike_id);
}

std::string source_map(const Source& s) {
    std::string out = fmt::format(
        "{{title: {}, url: {}, source: {}, author: {}, published_at: {}, platform: {}",
        quote(s.title), quote_url(s.url), quote(s.source), quote(s.author),
        s.published_at ? format_iso(*s.published_at) : "null", quote(s.platform));
    if (s.points)
        out += fmt::format(", points: {}", *s.points);
    if (s.comments)
        out += fmt::format(", comments: {}", *s.comments);
    return out + "}";
}

std::string costs_map(const GenerationCosts& c) {
    std::string cached;
    if (c.cached_tokens)
        cached = fmt::format("cached_tokens: {}, ", *c.cached_tokens);
    return fmt::format("{{prompt_tokens: {}, completion_tokens: {}, {}usd: {:.6f}}}",
                       c.prompt_tokens, c.completion_tokens, cached, c.usd);
}

enum class Glyph { separator, letter, ideograph };

// Enough of Unicode to count words: everything outside ASCII is a letter except the blocks of
// punctuation, symbols and emoji; ideographs, kana and hangul syllables are words by themselves.
Glyph classify(char32_t cp) {
    if (cp < 0x80)
        return is_ascii_alnum(static_cast<char>(cp)) ? Glyph::letter : Glyph::separator;
    if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF))
        return Glyph::ideograph;
    if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
        (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
        (cp >= 0xFF5B && cp <= 0xFF65) || cp == 0xFFFD || (cp >= 0x1F000 && cp <= 0x1FAFF))
        return Glyph::separator;
    return Glyph::letter;
}

// "don't", "20,000" and "3.5" are one word each.
bool joins_word(std::string_view s, std::size_t i, std::size_t size) {
    const char prev = s[i - 1];
    const std::size_t next = i + size;
    if (next >= s.size() || !is_ascii_alnum(prev) || !is_ascii_alnum(s[next]))
        return false;
    const std::string_view joiner = s.substr(i, size);
    const bool digits = prev <= '9' && s[next] <= '9';
    return joiner == "'" || joiner == "\u2019" || (digits && (joiner == "." || joiner == ","));
}

} // namespace

std::string render_front_matter(const FrontMatter& fm) {
    std::string out = "---\n";
    auto line = std::back_inserter(out);
    fmt::format_to(line, "title: {}\n", quote(fm.title));
    fmt::format_to(line, "slug: {}\n", quote(fm.slug));
    fmt::format_to(line, "date: {}\n", format_iso(fm.date));
    fmt::format_to(line, "status: {}\n", quote(fm.status));
    const bool unreviewed = is_unreviewed(fm.status);
    fmt::format_to(line, "draft: {}\n", unreviewed);
    fmt::format_to(line, "published: {}\n", !unreviewed);
    if (fm.revision >= 2)
        fmt::format_to(line, "revision: {}\n", fm.revision);
    fmt::format_to(line, "summary: {}\n", quote(fm.summary));
    fmt::format_to(line, "tags: {}\n", flow_list(fm.tags));
    if (fm.cover && markdown::url(fm.cover->image)) {
        fmt::format_to(line, "cover: {}\n", cover_map(*fm.cover));
        fmt::format_to(line, "images: [{}]\n", quote_url(fm.cover->image));
    }
    fmt::format_to(line, "generator: {}\n", quote(fm.generator));
    fmt::format_to(line, "trend: {}\n", trend_map(fm.trend));
    out += fm.sources.empty() ? "sources: []\n" : "sources:\n";
    for (const Source& s : fm.sources)
        fmt::format_to(line, "  - {}\n", source_map(s));
    fmt::format_to(line, "word_count: {}\n", fm.word_count);
    fmt::format_to(line, "reading_time: {}\n",
                   quote(fmt::format("{} min read", fm.reading_time_minutes)));
    fmt::format_to(line, "isCJKLanguage: {}\n", fm.cjk);
    fmt::format_to(line, "drafter: {}\n", quote(fm.drafter));
    if (fm.model)
        fmt::format_to(line, "model: {}\n", quote(*fm.model));
    if (fm.generation_costs)
        fmt::format_to(line, "generation_costs: {}\n", costs_map(*fm.generation_costs));
    fmt::format_to(line, "unverified: {}\n", flow_list(fm.unverified));
    return out + "---\n";
}

std::string render_document(const FrontMatter& fm, std::string_view body) {
    std::string out = render_front_matter(fm);
    out += '\n';
    out += body;
    return out;
}

bool is_unreviewed(std::string_view status) noexcept {
    return status == "draft" || status == "needs_review";
}

namespace {

struct WordCount {
    std::size_t words = 0;
    std::size_t cjk = 0;
};

WordCount word_count(std::string_view markdown) {
    WordCount n;
    std::size_t& words = n.words;
    bool in_word = false;
    for (std::size_t i = 0; i < markdown.size();) {
        if (const std::size_t end = std::max(url_end(markdown, i), link_target_end(markdown, i));
            end != i) {
            i = end;
            in_word = false;
            continue;
        }
        const CodePoint cp = decode_utf8(markdown, i);
        switch (classify(cp.value)) {
        case Glyph::ideograph:
            ++words;
            ++n.cjk;
            in_word = false;
            break;
        case Glyph::letter:
            words += in_word ? 0 : 1;
            in_word = true;
            break;
        case Glyph::separator:
            in_word = in_word && joins_word(markdown, i, cp.size);
            break;
        }
        i += cp.size;
    }
    return n;
}

bool has_cjk(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const CodePoint cp = decode_utf8(s, i);
        if (classify(cp.value) == Glyph::ideograph)
            return true;
        i += cp.size;
    }
    return false;
}

} // namespace

std::size_t count_words(std::string_view markdown) {
    return word_count(markdown).words;
}

std::size_t count_cjk_words(std::string_view markdown) {
    return word_count(markdown).cjk;
}

bool is_cjk_draft(std::string_view term, std::size_t words, std::size_t cjk_words) {
    return (cjk_words > 0 && cjk_words * 3 >= words) || has_cjk(term);
}

int reading_time_minutes(std::size_t words, std::size_t cjk_words) {
    cjk_words = std::min(cjk_words, words);
    // In thousandths of a minute: a word takes 5 (200 a minute), a CJK glyph 2 (500 a minute).
    const std::size_t millis = (words - cjk_words) * 5 + cjk_words * 2;
    return static_cast<int>(std::max<std::size_t>(1, (millis + 999) / 1000));
}

} // namespace trend::draft
