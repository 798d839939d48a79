// SPDX-License-Identifier: MIT
#pragma once

// The 24 article pages of tests/data/articles (Mozilla Readability's test pages) and the rules
// by which an extraction is compared with them. Shared by tests/unit/test_extract_pages.cpp
// and bench/extract.cpp, so that both measure the same thing (bench/README.md states the
// rules).

#include "trend/extract/extract.hpp"
#include "trend/util/text.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace trend::test {

/** The URL the pages are extracted under (Readability's harness uses the same). */
inline constexpr const char* k_article_page_url = "http://fakehost/test/page.html";

/** expected-metadata.json: Readability's own output for the page. */
struct ExpectedMetadata {
    std::optional<std::string> title;
    std::optional<std::string> byline;
    std::optional<std::string> published; ///< as the page wrote it
    std::optional<std::string> lang;
};

struct ArticlePage {
    std::string name;
    std::string source;        ///< source.html, bytes
    std::string expected_text; ///< extract::html_text(expected.html)
    ExpectedMetadata expected;
};

inline std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/** The page folders of `dir`, sorted. */
inline std::vector<std::string> article_page_names(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.is_directory() && std::filesystem::exists(e.path() / "source.html"))
            names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

inline ArticlePage load_article_page(const std::filesystem::path& dir, const std::string& name) {
    ArticlePage page;
    page.name = name;
    page.source = read_bytes(dir / name / "source.html");
    page.expected_text = extract::html_text(read_bytes(dir / name / "expected.html"));
    const std::string json = read_bytes(dir / name / "expected-metadata.json");
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsObject())
        throw std::runtime_error(name + ": expected-metadata.json is not a JSON object");
    const auto field = [&](const char* key) -> std::optional<std::string> {
        const auto it = doc.FindMember(key);
        if (it == doc.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0)
            return std::nullopt;
        return std::string(it->value.GetString(), it->value.GetStringLength());
    };
    page.expected = {field("title"), field("byline"), field("publishedTime"), field("lang")};
    return page;
}

/** Case-folded, white space collapsed, typographic apostrophes as ASCII. */
inline std::string normalised_text(std::string_view s) {
    std::string out = text::normalize_term(s);
    for (std::size_t at = 0; (at = out.find("\xE2\x80\x99", at)) != std::string::npos;)
        out.replace(at, 3, "'");
    return out;
}

/** Titles match when equal after normalisation, or when the expected one is ours followed by
 *  " - Site" / " | Site" (we drop a suffix naming the site; Readability keeps it). */
inline bool title_matches(std::string_view ours, std::string_view expected) {
    const std::string a = normalised_text(ours);
    const std::string b = normalised_text(expected);
    if (a == b)
        return true;
    if (a.empty() || !b.starts_with(a) || b.size() < a.size() + 3)
        return false;
    const std::string_view rest = std::string_view(b).substr(a.size());
    return rest.starts_with(" - ") || rest.starts_with(" | ") ||
           rest.starts_with(" \xE2\x80\x93 ") || rest.starts_with(" \xE2\x80\x94 ");
}

/** Bylines match when equal after normalisation and without a leading "By" / "Par" / "Por" /
 *  "Von". */
inline bool byline_matches(std::string_view ours, std::string_view expected) {
    const auto strip = [](std::string s) {
        for (const std::string_view w : {"by ", "par ", "por ", "von "})
            if (s.starts_with(w))
                return s.substr(w.size());
        return s;
    };
    return strip(normalised_text(ours)) == strip(normalised_text(expected));
}

/** Languages match on the primary subtag ("en-US" and "en"). */
inline bool lang_matches(std::string_view ours, std::string_view expected) {
    const auto primary = [](std::string_view l) {
        return text::ascii_lower(l.substr(0, l.find_first_of("-_")));
    };
    return !ours.empty() && primary(ours) == primary(expected);
}

/** Which of the four fields match; a field whose expected value is null is not compared. */
struct MetadataMatch {
    bool title = true, byline = true, published = true, lang = true;
    [[nodiscard]] bool all() const { return title && byline && published && lang; }
};

inline MetadataMatch compare_metadata(const extract::Article& a, const ExpectedMetadata& e) {
    MetadataMatch m;
    if (e.title)
        m.title = title_matches(a.title, *e.title);
    if (e.byline)
        m.byline = byline_matches(a.byline, *e.byline);
    if (e.published) {
        const auto expected = extract::parse_page_time(*e.published);
        m.published = expected && a.published_at == expected;
    }
    if (e.lang)
        m.lang = lang_matches(a.lang, *e.lang);
    return m;
}

} // namespace trend::test
