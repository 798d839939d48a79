// SPDX-License-Identifier: MIT
#include "trend/draft/coverage.hpp"

#include "trend/detect/topic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

namespace trend::draft {

namespace {

using Keys = std::set<std::string>;

void add_keys(Keys& keys, std::string_view text) {
    if (text.empty())
        return;
    for (std::string& k : detect::topic_keys(detect::read_topic(text)))
        keys.insert(std::move(k));
}

bool mentions(const Keys& terms, std::string_view text) {
    if (text.empty())
        return false;
    const auto keys = detect::topic_keys(detect::read_topic(text));
    return std::any_of(keys.begin(), keys.end(),
                       [&](const std::string& k) { return terms.count(k) > 0; });
}

bool on_topic(const Keys& terms, const StoryArticle& a) {
    if (mentions(terms, a.title) || mentions(terms, a.snippet))
        return true;
    if (!a.page)
        return true; // unread: its text may name the story (a feed's headline often does not)
    if (mentions(terms, a.page->title))
        return true;
    // read_topic reads a bounded text: paragraph by paragraph.
    return std::any_of(a.page->paragraphs.begin(), a.page->paragraphs.end(),
                       [&](const std::string& p) { return mentions(terms, p); });
}

std::string count_words(std::size_t n) {
    static constexpr std::array<const char*, 11> k_words{
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
    return n < k_words.size() ? k_words[n] : fmt::format("{}", n);
}

/** A block that is the lead: prose, not a heading, list, table, quote or bold label. */
bool is_prose(std::string_view block) {
    if (block.empty())
        return false;
    const char c = block.front();
    if (c == '#' || c == '-' || c == '*' || c == '|' || c == '>' || c == '+')
        return false;
    const std::size_t digits = block.find_first_not_of("0123456789");
    return !(digits > 0 && digits != std::string_view::npos && block[digits] == '.');
}

} // namespace

std::size_t drop_off_topic(Story& story) {
    Keys terms;
    add_keys(terms, story.term);
    for (const RelatedTerm& r : story.related)
        add_keys(terms, r.term);
    if (terms.empty())
        return 0;
    std::vector<StoryArticle> kept;
    std::size_t dropped = 0;
    for (StoryArticle& a : story.articles) {
        if (on_topic(terms, a)) {
            kept.push_back(std::move(a));
            continue;
        }
        story.dropped.push_back({a.title, a.url, a.source, k_off_topic_reason});
        ++dropped;
    }
    story.articles = std::move(kept);
    return dropped;
}

std::string update_paragraph(const Story& story, const std::vector<Source>& sources) {
    if (story.revision < 2 || story.new_urls.empty())
        return {};
    std::vector<std::string> cited;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const Source& s = sources[i];
        if (std::find(story.new_urls.begin(), story.new_urls.end(), s.url) == story.new_urls.end())
            continue;
        const std::string& name = s.source.empty() ? s.title : s.source;
        cited.push_back(fmt::format("{} [{}]", name, i + 1));
    }
    if (cited.empty())
        return {};
    return fmt::format("**Update:** {} new source{} since the previous version: {}.",
                       count_words(cited.size()), cited.size() == 1 ? "" : "s",
                       fmt::join(cited, ", "));
}

std::string with_update(std::string body, const Story& story, const std::vector<Source>& sources) {
    if (body.find("**Update:**") != std::string::npos)
        return body;
    const std::string update = update_paragraph(story, sources);
    if (update.empty())
        return body;
    const std::size_t start = body.find_first_not_of('\n');
    if (start == std::string::npos)
        return update + "\n";
    const std::size_t end = body.find("\n\n", start);
    const std::string_view first = std::string_view(body).substr(
        start, end == std::string::npos ? std::string::npos : end - start);
    if (!is_prose(first))
        return body.insert(start, update + "\n\n");
    if (end == std::string::npos)
        return body + "\n\n" + update + "\n";
    return body.insert(end, "\n\n" + update);
}

} // namespace trend::draft
