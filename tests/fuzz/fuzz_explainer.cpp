// SPDX-License-Identifier: MIT
// The built-in drafter's explainer on any page text: the draft has no live markup (no tag, no
// link but encoded http(s) ones), every quotation find_quote takes is the sentence's own words,
// and the same story gives the same draft.
#include "fuzz_support.hpp"
#include "markdown_check.hpp"
#include "trend/draft/builtin_drafter.hpp"
#include "trend/draft/explainer.hpp"

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::text_of(data, size);

    if (const auto q = draft::explainer::find_quote(in))
        fuzz::check(in.find(q->words) != std::string_view::npos, "quotes are verbatim", q->words);

    // Two sources: the input's halves, paragraphs at blank lines.
    draft::Story s;
    s.term = "deal";
    s.geo = "US";
    s.traffic = 20000;
    s.traffic_label = "20,000+";
    const std::size_t cut = in.size() / 2;
    for (const std::string_view half : {in.substr(0, cut), in.substr(cut)}) {
        draft::StoryArticle a;
        a.title = std::string(half.substr(0, 80));
        a.url = "https://news.example/" + std::to_string(s.articles.size());
        a.source = "Outlet";
        draft::PageText p;
        for (std::size_t from = 0; from <= half.size();) {
            const std::size_t to = std::min(half.find("\n\n", from), half.size());
            p.paragraphs.emplace_back(half.substr(from, to - from));
            from = to + 2;
        }
        a.page = std::move(p);
        s.articles.push_back(std::move(a));
    }
    const draft::Draft d = draft::draft_builtin(s);
    if (const auto why = fuzz::unsafe_markup(d.body))
        fuzz::fail(why->c_str(), d.body);
    fuzz::check(draft::draft_builtin(s).body == d.body, "deterministic", d.body);
    return 0;
}
