// SPDX-License-Identifier: MIT
#pragma once
// Real news pages (tests/data/articles/<name>/source.html) read by the project's extractor into
// the PageText a Story carries: the evidence of the built-in drafter's tests.
#include "article_pages.hpp"
#include "support.hpp"
#include "trend/draft/story.hpp"
#include "trend/extract/extract.hpp"

namespace trend::test {

inline draft::PageText article_page(const std::string& name, const std::string& url) {
    const std::string html =
        read_bytes(source_dir() / "tests" / "data" / "articles" / name / "source.html");
    const extract::Article a = extract::extract({html, url, "text/html; charset=utf-8"});
    REQUIRE_MESSAGE(a.outcome == extract::Outcome::article, name << ": " << a.reason);
    draft::PageText p;
    p.id = static_cast<std::int64_t>(name.size());
    p.canonical_url = a.canonical_url.empty() ? url : a.canonical_url;
    p.title = a.title;
    p.byline = a.byline;
    p.site_name = a.site_name;
    p.lang = a.lang.substr(0, a.lang.find('-'));
    p.published_at = a.published_at;
    p.paragraphs = a.paragraphs;
    p.method = std::string(extract::to_string(a.method));
    return p;
}

/** A news item with the extracted page of tests/data/articles/<name>. */
inline draft::StoryArticle article_with_page(const std::string& name, const std::string& title,
                                             const std::string& source, Timestamp seen) {
    const std::string url = "https://news.example/" + name;
    draft::StoryArticle a = news_article(title, url, source, "", "", seen);
    a.page = article_page(name, url);
    return a;
}

} // namespace trend::test
