// SPDX-License-Identifier: MIT
#include "trend/draft/story.hpp"

#include "trend/detect/detector.hpp"

#include <algorithm>
#include <charconv>

namespace trend::draft {

std::string PageText::text() const {
    std::string out;
    for (const std::string& p : paragraphs) {
        if (!out.empty())
            out += "\n\n";
        out += p;
    }
    return out;
}

Timestamp story_started_at(const Story& story) {
    const Timestamp first = story.timeline.empty()
                                ? story.detected_at
                                : std::min(story.timeline.front().at, story.detected_at);
    std::optional<Timestamp> earliest;
    auto consider = [&](const std::optional<Timestamp>& t) {
        if (t && *t <= story.detected_at && *t >= first - k_max_story_lead &&
            (!earliest || *t < *earliest))
            earliest = t;
    };
    for (const StoryPoint& p : story.timeline)
        consider(p.started_at);
    for (const StoryArticle& a : story.articles)
        consider(a.published_at);
    return earliest.value_or(first);
}

std::string display_label(std::string_view label) {
    const bool plus = label.ends_with('+');
    std::string digits;
    for (const char c : label.substr(0, label.size() - (plus ? 1 : 0))) {
        if (c >= '0' && c <= '9')
            digits += c;
        else if (c != ',' || digits.empty())
            return std::string(label);
    }
    std::int64_t n = 0;
    const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || err != std::errc{} || end != digits.data() + digits.size())
        return std::string(label);
    return detect::group_thousands(n) + (plus ? "+" : "");
}

} // namespace trend::draft
