// SPDX-License-Identifier: MIT
#include "trend/draft/builtin_drafter.hpp"

#include "trend/detect/detector.hpp"
#include "trend/draft/explainer.hpp"
#include "trend/draft/markdown.hpp"
#include "trend/draft/sources.hpp"
#include "trend/draft/story.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

namespace trend::draft {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 24> k_places{{
    {"AR", "Argentina"},       {"AU", "Australia"},       {"BD", "Bangladesh"}, {"BR", "Brazil"},
    {"CA", "Canada"},          {"DE", "Germany"},         {"ES", "Spain"},      {"FR", "France"},
    {"GB", "the UK"},          {"HK", "Hong Kong"},       {"IN", "India"},      {"IT", "Italy"},
    {"JP", "Japan"},           {"KR", "South Korea"},     {"MX", "Mexico"},     {"NG", "Nigeria"},
    {"NL", "the Netherlands"}, {"PH", "the Philippines"}, {"PT", "Portugal"},   {"SG", "Singapore"},
    {"TW", "Taiwan"},          {"UA", "Ukraine"},         {"US", "the US"},     {"VN", "Vietnam"},
}};

namespace md = markdown;

/** Plain text in curly quotes (titles, summaries, front matter). */
std::string in_quotes(std::string_view s) {
    return fmt::format("“{}”", s);
}

/** Untrusted text in curly quotes, for the Markdown body. */
std::string quoted_text(std::string_view s) {
    return in_quotes(md::text(s));
}

std::string day_and_time(Timestamp t) {
    const std::string iso = format_iso(t);
    return fmt::format("{} {} UTC", iso.substr(0, 10), format_hhmm(t));
}

/** Lower-case words of a headline, for spotting the same story told twice. */
std::set<std::string> title_words(std::string_view title) {
    std::set<std::string> words;
    std::string w;
    for (char c : text::normalize_term(title)) {
        if (std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80)) {
            w += c;
        } else if (!w.empty()) {
            words.insert(std::move(w));
            w.clear();
        }
    }
    if (!w.empty())
        words.insert(std::move(w));
    return words;
}

bool near_duplicate(const std::set<std::string>& a, const std::set<std::string>& b) {
    if (a.empty() || b.empty())
        return false;
    std::size_t common = 0;
    for (const auto& w : a)
        common += b.count(w);
    const std::size_t uni = a.size() + b.size() - common;
    return static_cast<double>(common) / static_cast<double>(uni) >= 0.8;
}

} // namespace

std::vector<StoryArticle> select_articles(const std::vector<StoryArticle>& in) {
    std::vector<StoryArticle> out;
    std::vector<std::set<std::string>> seen;
    for (const StoryArticle& a : in) {
        if (a.title.empty())
            continue;
        auto words = title_words(a.title);
        if (std::any_of(seen.begin(), seen.end(),
                        [&](const auto& s) { return near_duplicate(s, words); }))
            continue;
        seen.push_back(std::move(words));
        out.push_back(a);
        if (out.size() == 8)
            break;
    }
    return out;
}

std::vector<Source> sources_of(const std::vector<StoryArticle>& articles) {
    std::vector<Source> out;
    for (const StoryArticle& a : articles) {
        Source s{a.title, a.url, a.source};
        s.platform = a.platform;
        // What the feed said first; else what the page itself says (its byline, its date).
        s.author = a.author.empty() && a.page ? a.page->byline : a.author;
        s.published_at = a.published_at || !a.page ? a.published_at : a.page->published_at;
        out.push_back(std::move(s));
    }
    return out;
}

std::string sources_section(const std::vector<Source>& sources, const Story& s) {
    std::string b = "## Sources\n\n";
    for (std::size_t i = 0; i < sources.size(); ++i) {
        b += fmt::format("{}. {}", i + 1, md::link(sources[i].title, sources[i].url));
        if (!sources[i].source.empty())
            b += fmt::format(", {}", md::text(sources[i].source));
        b += source_note(sources[i]) + '\n';
    }
    b += fmt::format("{}Search interest: Google Trends “Trending now” ({}), as observed by "
                     "trendd; figures are Google's approximate search buckets.\n",
                     sources.empty() ? "" : "\n", md::text(s.geo.empty() ? s.feed : s.geo));
    return b;
}

std::vector<std::string> story_facts(const Story& s) {
    std::vector<std::string> facts;
    for (const StoryPoint& p : s.timeline)
        facts.push_back(fmt::format("{} {} {}", day_and_time(p.at), p.geo, display_label(p.label)));
    facts.push_back(fmt::format("detected {} at {}", day_and_time(s.detected_at),
                                display_label(s.traffic_label)));
    for (const auto& g : s.other_geos)
        facts.push_back(fmt::format("also trending in {} ({}), peak {}", place_name(g.geo), g.geo,
                                    display_label(g.peak_label)));
    for (const auto& r : s.related)
        facts.push_back(fmt::format("related term trending at the same time: {} ({} shared news "
                                    "items)",
                                    r.term, r.shared_articles));
    for (std::string& f : signal_facts(s))
        facts.push_back(std::move(f));
    for (const EarlierSpike& e : s.earlier_spikes)
        facts.push_back(fmt::format("trended earlier: {} in {} ({}) at {}",
                                    format_iso(e.detected_at).substr(0, 10), place_name(e.geo),
                                    e.geo, display_label(e.traffic_label)));
    return facts;
}

namespace {

/** "A, B and C" */
std::string join_names(const std::vector<std::string>& names) {
    if (names.empty())
        return {};
    if (names.size() == 1)
        return names.front();
    return fmt::format("{} and {}", fmt::join(names.begin(), names.end() - 1, ", "), names.back());
}

std::vector<std::string> outlets_of(const std::vector<StoryArticle>& articles) {
    std::vector<std::string> out;
    for (const auto& a : articles)
        if (!a.source.empty() && std::find(out.begin(), out.end(), a.source) == out.end())
            out.push_back(a.source);
    return out;
}

/** The news item a picture came with: the one with that picture, else the one from the
 *  picture's credited source, else the first. */
const StoryArticle* item_of_picture(std::string_view image, std::string_view credit,
                                    const std::vector<StoryArticle>& articles) {
    for (const StoryArticle& a : articles)
        if (a.picture == image)
            return &a;
    for (const StoryArticle& a : articles)
        if (!credit.empty() && a.source == credit)
            return &a;
    return articles.empty() ? nullptr : &articles.front();
}

/** The trend's picture, else the first news item's; its alt text is the headline of the news
 *  item it came with, its credit that item's source (Google's credit when it gives one). */
std::optional<Cover> cover_of(const Story& s, const std::vector<StoryArticle>& articles) {
    std::string image = s.picture;
    std::string credit = s.picture_source;
    if (image.empty()) {
        const auto it = std::find_if(articles.begin(), articles.end(),
                                     [](const StoryArticle& a) { return !a.picture.empty(); });
        if (it == articles.end())
            return std::nullopt;
        image = it->picture;
        credit = it->source;
    }
    const StoryArticle* item = item_of_picture(image, credit, articles);
    if (item == nullptr)
        return Cover{image, s.term, credit};
    return Cover{image, item->title, credit.empty() ? item->source : credit};
}

/** The spike geo's points where the bucket changed (and the first one). */
std::vector<StoryPoint> turning_points(const Story& s) {
    std::vector<StoryPoint> out;
    for (const StoryPoint& p : s.timeline) {
        if (p.geo != s.geo)
            continue;
        if (out.empty() || out.back().label != p.label)
            out.push_back(p);
    }
    return out;
}

std::string outlet_name(const StoryArticle& a) {
    if (!a.source.empty())
        return a.source;
    if (a.page && !a.page->site_name.empty())
        return a.page->site_name;
    return "the source";
}

bool has_page(const StoryArticle& a) {
    return a.page && !a.page->paragraphs.empty();
}

constexpr std::size_t k_min_words = 400;
constexpr std::size_t k_max_words = 1200;

struct Writer {
    const Story& s;
    Draft& d;
    std::vector<StoryArticle> articles;
    std::vector<StoryPoint> points;
    std::vector<std::string> outlets;
    std::string place;
    std::string label; ///< the spike's traffic label, display_label'd

    void fact(std::string f) { d.facts.push_back(std::move(f)); }

    /** How many times its first bucket the spike's traffic is, when it rose at least twofold. */
    std::optional<std::int64_t> rise_factor() const {
        if (points.size() < 2 || !points.front().traffic || *points.front().traffic <= 0)
            return std::nullopt;
        const std::int64_t factor = s.traffic / *points.front().traffic;
        return factor >= 2 ? std::optional{factor} : std::nullopt;
    }

    std::string rise_sentence() {
        if (points.size() < 2 || !points.front().traffic || *points.front().traffic <= 0)
            return fmt::format("It entered the feed at {} at {}.", md::text(label),
                               day_and_time(s.detected_at));
        const StoryPoint& first = points.front();
        std::string out = fmt::format("It was first seen at {} at {} and reached {} by {}",
                                      md::text(display_label(first.label)), day_and_time(first.at),
                                      md::text(label), day_and_time(s.detected_at));
        if (const auto factor = rise_factor())
            out += fmt::format(", about {} times its first bucket", *factor);
        return out + ".";
    }

    static std::optional<Timestamp> published(const StoryArticle& a) {
        if (a.published_at)
            return a.published_at;
        return a.page ? a.page->published_at : std::nullopt;
    }

    /** The numbers of our own the timeline writes, for the grounding check. */
    void own_facts() {
        if (const auto factor = rise_factor())
            fact(std::to_string(*factor));
        for (const StoryArticle& a : articles)
            if (const auto at = published(a))
                fact(fmt::format("published {}", day_and_time(*at)));
    }

    // ---- the short brief (no extracted page) -------------------------------------------

    // No H1: themes print the front matter's title above the body already.
    void takeaways(std::string& b) {
        b += "**Key takeaways**\n\n";
        b += fmt::format("- Searches for {} in {} reached {} ({}).\n", quoted_text(s.term),
                         md::text(place), md::text(label), day_and_time(s.detected_at));
        if (!articles.empty()) {
            std::vector<std::string> names;
            for (const auto& o : outlets)
                names.push_back(md::text(o));
            b += fmt::format("- {} {} covering it; the lead headline: {}.\n", join_names(names),
                             outlets.size() == 1 ? "is" : "are",
                             quoted_text(articles.front().title));
        } else
            b += "- The feed carried no news coverage with it yet, so the reason is unconfirmed.\n";
        b += '\n';
    }

    void headlines(std::string& b) {
        b += "## What happened\n\n";
        if (articles.empty()) {
            b += fmt::format("No news item came with the trend, so the feed does not say why "
                             "people are searching for {}. Treat it as a lead to check before "
                             "writing anything.\n\n",
                             quoted_text(s.term));
            return;
        }
        b += articles.size() == 1 ? "One report explains the interest:\n\n"
                                  : "The coverage behind the searches, as the outlets put it:\n\n";
        for (std::size_t i = 0; i < articles.size(); ++i) {
            const StoryArticle& a = articles[i];
            b += "- ";
            if (!a.source.empty())
                b += fmt::format("**{}**: ", md::text(a.source));
            b += quoted_text(a.title);
            if (!a.snippet.empty())
                b += fmt::format(" ({})", md::text(a.snippet));
            b += fmt::format(" [{}]\n", i + 1);
        }
        b += '\n';
    }

    // ---- the explainer (extracted pages) -----------------------------------------------

    std::string outlet(std::size_t i) const { return md::text(outlet_name(articles[i])); }

    std::string language_note(std::size_t i) const {
        const auto& a = articles[i];
        const std::string name = a.page ? explainer::language_name(a.page->lang) : "";
        return name.empty() ? "" : " in " + name;
    }

    /** "CNN reported [1]" or "reported by CNN [1] and BBC News [2]". */
    std::string credit(const explainer::Pick& p, std::string_view verb) const {
        if (p.also.empty())
            return fmt::format("{} {}{} [{}]", outlet(p.source), verb, language_note(p.source),
                               p.source + 1);
        std::vector<std::string> names{fmt::format("{} [{}]", outlet(p.source), p.source + 1)};
        for (const std::size_t o : p.also)
            names.push_back(fmt::format("{} [{}]", outlet(o), o + 1));
        return fmt::format("reported by {}{}", join_names(names), language_note(p.source));
    }

    /** The sentence verbatim, then who reported it: "…, CNN reported [1]." */
    std::string attributed(const explainer::Pick& p, std::string_view verb = "reported") const {
        std::string_view t = p.text;
        // "... the U.S." keeps its period: the credit goes in parentheses.
        const bool abbreviation = t.size() >= 3 && t[t.size() - 3] == '.';
        if (t.ends_with('.') && !abbreviation) {
            t.remove_suffix(1);
            return fmt::format("{}, {}.", md::text(t), credit(p, verb));
        }
        return fmt::format("{} ({})", md::text(t), credit(p, verb));
    }

    void lead(std::string& b, const explainer::Selection& sel) {
        std::vector<std::string> parts;
        for (const auto& p : sel.lead)
            parts.push_back(attributed(p));
        b += fmt::format("{}\n\n", fmt::join(parts, " "));
    }

    void update(std::string& b, const explainer::Selection& sel) {
        if (s.revision <= 1 || sel.update.empty())
            return;
        std::vector<std::string> names;
        for (const auto& p : sel.update)
            names.push_back(fmt::format("{} [{}]", outlet(p.source), p.source + 1));
        b += fmt::format("**Update:** new coverage from {}. ", join_names(names));
        std::vector<std::string> parts;
        for (const auto& p : sel.update)
            parts.push_back(attributed(p));
        b += fmt::format("{}\n\n", fmt::join(parts, " "));
    }

    void facts(std::string& b, const explainer::Selection& sel, std::size_t n) {
        b += "## What happened\n\n";
        for (std::size_t i = 0; i < n && i < sel.facts.size(); ++i)
            b += fmt::format("- {}\n", attributed(sel.facts[i]));
        b += '\n';
    }

    void quotes(std::string& b, const explainer::Selection& sel, std::size_t n) {
        if (sel.quotes.empty() || n == 0)
            return;
        b += "## Who said what\n\n";
        for (std::size_t i = 0; i < n && i < sel.quotes.size(); ++i) {
            const explainer::Quote& q = sel.quotes[i];
            const std::string by = q.speaker.empty()
                                       ? std::string("quoted by ")
                                       : fmt::format("{}, quoted by ", md::text(q.speaker));
            b += fmt::format("- {} — {}{}{} [{}]\n", quoted_text(q.words), by, outlet(q.source),
                             language_note(q.source), q.source + 1);
        }
        b += '\n';
    }

    void analysis(std::string& b, const explainer::Selection& sel, std::size_t n) {
        if (sel.analysis.empty() || n == 0)
            return;
        b += "## Why it matters\n\n";
        for (std::size_t i = 0; i < n && i < sel.analysis.size(); ++i)
            b += fmt::format("- {}\n", attributed(sel.analysis[i], "wrote"));
        b += '\n';
    }

    // ---- shared sections ----------------------------------------------------------------

    void timeline(std::string& b) {
        b += "## Timeline\n\n";
        // The coverage, oldest first.
        std::vector<std::pair<Timestamp, std::size_t>> coverage;
        for (std::size_t i = 0; i < articles.size(); ++i)
            if (const auto at = published(articles[i]))
                coverage.emplace_back(*at, i);
        std::stable_sort(coverage.begin(), coverage.end(),
                         [](const auto& x, const auto& y) { return x.first < y.first; });
        for (const auto& [at, i] : coverage)
            b += fmt::format("- {}: {} published {} [{}]\n", day_and_time(at), outlet(i),
                             quoted_text(articles[i].title), i + 1);
        if (!coverage.empty())
            b += '\n';
        b += rise_sentence() + "\n\n";
        if (points.size() > 1) {
            b += "| Time (UTC) | Searches |\n|---|---|\n";
            for (const StoryPoint& p : points)
                b += fmt::format("| {} | {} |\n", day_and_time(p.at).substr(0, 16),
                                 md::text(display_label(p.label)));
            b += '\n';
        }
        if (!s.earlier_spikes.empty()) {
            std::vector<std::string> parts;
            for (const EarlierSpike& e : s.earlier_spikes)
                parts.push_back(fmt::format(
                    "on {} at {} in {}", format_iso(e.detected_at).substr(0, 10),
                    md::text(display_label(e.traffic_label)), md::text(place_name(e.geo))));
            b += fmt::format("It has trended before: last {}", parts.front());
            if (parts.size() > 1)
                b += fmt::format("; earlier {}", join_names({parts.begin() + 1, parts.end()}));
            b += ".\n\n";
        }
    }

    void where(std::string& b) {
        b += "## Where\n\n";
        if (!s.other_geos.empty()) {
            std::vector<std::string> geos;
            for (const auto& g : s.other_geos)
                geos.push_back(fmt::format("{} ({})", md::text(place_name(g.geo)),
                                           md::text(display_label(g.peak_label))));
            b += fmt::format("Besides {}, it is trending in {}.\n", md::text(place),
                             join_names(geos));
        } else {
            b += fmt::format("Of the feeds trendd watches, it trends in {} only.\n",
                             md::text(place));
        }
        if (!s.related.empty()) {
            std::vector<std::string> terms;
            for (const auto& r : s.related)
                terms.push_back(quoted_text(r.term));
            b += fmt::format("\nRelated searches: {}.\n", join_names(terms));
        }
        b += '\n';
    }

    void sources(std::string& b) {
        d.sources = sources_of(articles);
        for (Source& discussion : discussion_sources(s))
            d.sources.push_back(std::move(discussion));
        b += sources_section(d.sources, s);
    }

    std::string brief() {
        std::string b;
        takeaways(b);
        headlines(b);
        timeline(b);
        where(b);
        sources(b);
        return b;
    }

    struct Counts {
        std::size_t facts = 6, quotes = 4, analysis = 3;
    };

    std::string explainer_body(const explainer::Selection& sel, Counts n) {
        std::string b;
        lead(b, sel);
        update(b, sel);
        facts(b, sel, n.facts);
        quotes(b, sel, n.quotes);
        analysis(b, sel, n.analysis);
        timeline(b);
        where(b);
        sources(b);
        return b;
    }

    /** As many sentences as make 400 to 1,200 words, when the pages have them. */
    std::string explainer() {
        const explainer::Selection sel = explainer::select(s, articles, s.new_urls);
        Counts n;
        for (int round = 0; round < 64; ++round) {
            const std::size_t words = explainer::word_count(explainer_body(sel, n));
            if (words < k_min_words + 20) {
                if (n.facts < sel.facts.size())
                    ++n.facts;
                else if (n.quotes < sel.quotes.size())
                    ++n.quotes;
                else if (n.analysis < sel.analysis.size())
                    ++n.analysis;
                else
                    break;
            } else if (words > k_max_words) {
                if (n.facts > 3)
                    --n.facts;
                else if (n.quotes > 2)
                    --n.quotes;
                else if (n.analysis > 1)
                    --n.analysis;
                else
                    break;
            } else
                break;
        }
        if (!sel.lead.empty()) {
            const std::string& first = sel.lead.front().text;
            if (first.size() <= 300)
                d.summary =
                    fmt::format("{} ({})", first, outlet_name(articles[sel.lead.front().source]));
        }
        return explainer_body(sel, n);
    }
};

} // namespace

std::string place_name(std::string_view geo) {
    for (const auto& [code, name] : k_places)
        if (code == geo)
            return std::string(name);
    return std::string(geo);
}

Draft draft_builtin(const Story& s) {
    Draft d;
    Writer w{s,
             d,
             select_articles(s.articles),
             turning_points(s),
             {},
             place_name(s.geo),
             display_label(s.traffic_label)};
    w.outlets = outlets_of(w.articles);
    if (w.place.empty())
        w.place = "its feed";

    const std::string headline = explainer::best_headline(w.articles);
    d.title = headline.empty() ? fmt::format("Why {} is trending in {}",
                                             in_quotes(explainer::term_as_written(s)), w.place)
                               : headline;
    d.summary = fmt::format("Searches for {} reached {} in {} on {}", in_quotes(s.term), w.label,
                            w.place, format_iso(s.detected_at).substr(0, 10));
    d.summary += w.articles.empty()
                     ? "; no news coverage came with the trend yet."
                     : fmt::format(", with {} leading the coverage: {}.",
                                   w.outlets.empty() ? std::string("the press") : w.outlets.front(),
                                   in_quotes(w.articles.front().title));

    d.tags.push_back(text::normalize_term(s.term));
    for (const auto& r : s.related)
        if (d.tags.size() < 5)
            d.tags.push_back(text::normalize_term(r.term));
    if (!s.geo.empty())
        d.tags.push_back(text::ascii_lower(s.geo));

    d.cover = cover_of(s, w.articles);

    for (std::string& f : story_facts(s))
        w.fact(std::move(f));
    w.own_facts();

    const bool pages = std::any_of(w.articles.begin(), w.articles.end(), has_page);
    // The rule, its threshold and the reason are the editor's, in the front matter.
    d.body = pages ? w.explainer() : w.brief();
    return d;
}

std::vector<std::string> source_names(const Story& s) {
    std::vector<std::string> out;
    auto add = [&](const std::string& name) {
        if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end())
            out.push_back(name);
    };
    for (const StoryArticle& a : s.articles) {
        add(a.source);
        add(a.author);
        if (a.page) {
            add(a.page->site_name);
            add(a.page->byline);
        }
    }
    return out;
}

std::vector<std::string> evidence_of(const Story& s, const Draft& d) {
    std::vector<std::string> out;
    for (const StoryArticle& a : s.articles) {
        out.push_back(a.title);
        if (!a.snippet.empty())
            out.push_back(a.snippet);
    }
    for (const StoryArticle& a : s.articles)
        if (a.page)
            out.push_back(a.page->text());
    out.push_back(s.term);
    for (const auto& r : s.related)
        out.push_back(r.term);
    out.insert(out.end(), d.facts.begin(), d.facts.end());
    return out;
}

std::vector<grounding::EvidenceText> evidence_texts(const Story& s, const Draft& d) {
    std::vector<grounding::EvidenceText> out;
    auto add_article = [&](int n, const StoryArticle& a) {
        if (a.page)
            out.push_back({n, a.page->id, a.url, a.page->text()});
        out.push_back({n, 0, a.url, a.title});
        if (!a.snippet.empty())
            out.push_back({n, 0, a.url, a.snippet});
    };
    std::vector<bool> cited(s.articles.size(), false);
    for (std::size_t i = 0; i < d.sources.size(); ++i) {
        const int n = static_cast<int>(i) + 1;
        bool found = false;
        for (std::size_t k = 0; k < s.articles.size(); ++k)
            if (s.articles[k].url == d.sources[i].url && !cited[k]) {
                cited[k] = found = true;
                add_article(n, s.articles[k]);
                break;
            }
        if (!found) // a discussion or a source without an article: its title
            out.push_back({n, 0, d.sources[i].url, d.sources[i].title});
    }
    for (std::size_t k = 0; k < s.articles.size(); ++k)
        if (!cited[k])
            add_article(0, s.articles[k]);
    out.push_back({0, 0, "", s.term});
    for (const auto& r : s.related)
        out.push_back({0, 0, "", r.term});
    for (const std::string& f : d.facts)
        out.push_back({0, 0, "", f});
    std::string own = "Google Trends. Hacker News. " + place_name(s.geo) + ".";
    for (const auto& g : s.other_geos)
        own += " " + place_name(g.geo) + ".";
    out.push_back({0, 0, "", own});
    return out;
}

} // namespace trend::draft
