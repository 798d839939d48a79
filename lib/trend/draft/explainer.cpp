// SPDX-License-Identifier: MIT
#include "trend/draft/explainer.hpp"

#include "trend/draft/sentences.hpp"
#include "trend/util/text.hpp"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <set>

namespace trend::draft::explainer {

namespace {

constexpr std::size_t k_max_text_bytes = 200'000; // of one page: hostile pages are capped
constexpr std::size_t k_max_sentences = 400;      // per source
constexpr std::size_t k_max_quote_bytes = 300;

using Words = std::set<std::string>;

constexpr std::array<std::string_view, 60> k_stop{
    "the",  "and",   "for",   "that", "with", "this",  "from",  "was",   "are",   "has",
    "have", "had",   "its",   "his",  "her",  "their", "they",  "them",  "you",   "your",
    "our",  "not",   "but",   "all",  "any",  "can",   "will",  "would", "could", "been",
    "were", "which", "who",   "whom", "what", "when",  "where", "how",   "why",   "also",
    "into", "about", "after", "than", "then", "there", "these", "those", "said",  "says",
    "more", "most",  "one",   "out",  "over", "she",   "him",   "just",  "like",  "being",
};

bool is_stop(std::string_view w) {
    return std::find(k_stop.begin(), k_stop.end(), w) != k_stop.end();
}

/** Lower-case content words: ASCII letters and digits, or any non-ASCII byte; 3+ bytes (any
 *  number), stop words left out. */
Words words_of(std::string_view s) {
    Words out;
    std::string w;
    auto flush = [&] {
        const bool number = !w.empty() && std::isdigit(static_cast<unsigned char>(w[0]));
        if ((w.size() >= 3 || number) && !is_stop(w))
            out.insert(w);
        w.clear();
    };
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80)
            w += static_cast<char>(std::tolower(u));
        else if (!w.empty())
            flush();
    }
    if (!w.empty())
        flush();
    return out;
}

std::size_t overlap(const Words& a, const Words& b) {
    std::size_t n = 0;
    for (const auto& w : a)
        n += b.count(w);
    return n;
}

double jaccard(const Words& a, const Words& b) {
    if (a.empty() || b.empty())
        return 0;
    const std::size_t common = overlap(a, b);
    return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

bool contains_ci(std::string_view hay, std::string_view needle) {
    if (needle.size() > hay.size())
        return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
        if (text::istarts_with(hay.substr(i), needle))
            return true;
    return false;
}

bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}

std::size_t count(std::string_view s, std::string_view what) {
    std::size_t n = 0;
    for (auto p = s.find(what); p != std::string_view::npos; p = s.find(what, p + what.size()))
        ++n;
    return n;
}

bool has_quote_mark(std::string_view s) {
    return s.find('"') != std::string_view::npos || s.find("\u201C") != std::string_view::npos ||
           s.find("\u201D") != std::string_view::npos;
}

bool balanced_quotes(std::string_view s) {
    return count(s, "\"") % 2 == 0 && count(s, "\u201C") == count(s, "\u201D");
}

constexpr std::array<std::string_view, 12> k_months{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

/** How much a sentence states checkable facts: numbers, dates, names and places. */
double fact_weight(std::string_view s) {
    double w = 0;
    if (std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        w += 3;
    for (const auto m : k_months)
        if (s.find(m) != std::string_view::npos) {
            w += 1;
            break;
        }
    // Capitalised words after the first: names, places, organisations.
    std::size_t names = 0;
    for (std::size_t i = 1; i < s.size(); ++i)
        if (is_upper(s[i]) && s[i - 1] == ' ')
            ++names;
    w += static_cast<double>(std::min<std::size_t>(names, 4)) * 0.5;
    return w;
}

constexpr std::array<std::string_view, 22> k_analysis_cues{
    " means ",       " meaning ",    " could ",     "expected to", "analysts say",
    "analysts said", "will likely",  "likely to",   " may ",       " might ",
    "would ",        "implications", "as a result", "suggests",    "raises questions",
    " signal",       "is set to",    "are set to",  "in order to", "the impact",
    "because",       "which would"};

bool is_analysis(std::string_view s) {
    return std::any_of(k_analysis_cues.begin(), k_analysis_cues.end(),
                       [&](std::string_view cue) { return contains_ci(s, cue); });
}

/** A sentence that leans on the one before it ("He said ...", "But it ...") or on the
 *  reporter ("I asked him"): it reads badly on its own. */
bool needs_context(std::string_view s) {
    constexpr std::array<std::string_view, 16> k_openers{
        "He ",  "She ", "It ", "They ",   "This ", "That ", "These ", "Those ",
        "But ", "And ", "So ", "Still, ", "I ",    "We ",   "His ",   "Her "};
    for (const auto o : k_openers)
        if (s.starts_with(o))
            return true;
    return s.find(" I ") != std::string_view::npos || s.find(" me ") != std::string_view::npos;
}

struct Candidate {
    std::size_t source = 0;
    std::size_t order = 0; ///< the sentence's position in its source
    std::size_t paragraph = 0;
    std::string text;
    Words words;
    double corroboration = 0; ///< words found in the other sources' texts
    double topical = 0;       ///< words of the term and the headlines
    bool quoting = false;     ///< has quote marks: only "Who said what" uses it
    bool dependent = false;   ///< needs_context
};

struct SourceText {
    std::size_t index = 0;
    std::string text;
    std::string lang;
    Words all_words; ///< title, snippet and page
};

std::string_view primary(std::string_view lang) {
    return lang.substr(0, lang.find_first_of("-_"));
}

} // namespace

std::size_t word_count(std::string_view s) {
    std::size_t n = 0;
    bool in = false;
    for (const char c : s) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        n += !space && !in ? 1 : 0;
        in = !space;
    }
    return n;
}

std::string language_name(std::string_view lang) {
    const std::string code = text::ascii_lower(primary(lang));
    if (code.size() < 2 || code.size() > 3 || code == "en" ||
        !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return {};
    // ICU's English names of languages; a code ICU does not know comes back unchanged.
    icu::UnicodeString name;
    icu::Locale(code.c_str()).getDisplayLanguage(icu::Locale::getEnglish(), name);
    std::string out;
    name.toUTF8String(out);
    return out == code ? std::string() : out;
}

bool is_boilerplate(std::string_view s) {
    constexpr std::array<std::string_view, 22> k_phrases{"click here",
                                                         "sign up",
                                                         "subscribe",
                                                         "advertisement",
                                                         "cookie",
                                                         "\u00A9",
                                                         "all rights reserved",
                                                         "newsletter",
                                                         "read more",
                                                         "follow us",
                                                         "related:",
                                                         "share this",
                                                         "getty images",
                                                         "photo:",
                                                         "image:",
                                                         "log in",
                                                         "terms of use",
                                                         "privacy policy",
                                                         "download the app",
                                                         "watch:",
                                                         "(c) ",
                                                         "copyright"};
    for (const auto p : k_phrases)
        if (contains_ci(s, p))
            return true;
    std::size_t letters = 0;
    std::size_t lower = 0;
    for (const char c : s) {
        if (std::isalpha(static_cast<unsigned char>(c))) {
            ++letters;
            lower += std::islower(static_cast<unsigned char>(c)) ? 1 : 0;
        }
    }
    return letters >= 4 && lower == 0;
}

std::string best_headline(const std::vector<StoryArticle>& articles) {
    std::vector<Words> titles;
    for (const auto& a : articles)
        titles.push_back(words_of(a.title));
    std::string best;
    std::size_t best_score = 0;
    for (std::size_t i = 0; i < articles.size(); ++i) {
        if (articles[i].title.empty())
            continue;
        std::size_t score = 0;
        for (std::size_t j = 0; j < articles.size(); ++j)
            if (j != i)
                score += overlap(titles[i], titles[j]);
        if (best.empty() || score > best_score) {
            best = articles[i].title;
            best_score = score;
        }
    }
    return best;
}

std::string term_as_written(const Story& s) {
    const std::string& term = s.term;
    if (term.empty())
        return term;
    auto find_in = [&](std::string_view hay) -> std::optional<std::string> {
        hay = hay.substr(0, k_max_text_bytes);
        for (std::size_t i = 0; i + term.size() <= hay.size(); ++i) {
            if (!text::istarts_with(hay.substr(i), term))
                continue;
            const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)); };
            if ((i > 0 && word(hay[i - 1])) ||
                (i + term.size() < hay.size() && word(hay[i + term.size()])))
                continue;
            return std::string(hay.substr(i, term.size()));
        }
        return std::nullopt;
    };
    for (const auto& a : s.articles) {
        for (const std::string_view t : {std::string_view(a.title), std::string_view(a.snippet)})
            if (auto found = find_in(t))
                return *found;
        if (a.page)
            for (const auto& p : a.page->paragraphs)
                if (auto found = find_in(p))
                    return *found;
    }
    return term;
}

namespace {

constexpr std::array<std::string_view, 16> k_speech_verbs{
    "said",  "says",   "told",     "added",  "wrote",   "explained", "stated",   "noted",
    "asked", "argued", "insisted", "warned", "tweeted", "continued", "recalled", "declared"};

bool is_speech_verb(std::string_view w) {
    return std::find(k_speech_verbs.begin(), k_speech_verbs.end(), w) != k_speech_verbs.end();
}

/** Words of `s` split at spaces, with their punctuation. */
std::vector<std::string_view> tokens(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ')
            ++i;
        const std::size_t from = i;
        while (i < s.size() && s[i] != ' ')
            ++i;
        if (i > from)
            out.push_back(s.substr(from, i - from));
    }
    return out;
}

std::string_view bare(std::string_view w) {
    while (!w.empty() && std::string_view(",.;:!?").find(w.back()) != std::string_view::npos)
        w.remove_suffix(1);
    return w;
}

/** "Mr.", "Dr.", "D.A.": a period that does not end a name. */
bool abbreviation(std::string_view w) {
    if (!w.ends_with('.'))
        return false;
    const std::string_view b = w.substr(0, w.size() - 1);
    return b.size() <= 3 || b.find('.') != std::string_view::npos;
}

/** Where a name ends: at a comma, or a period that is not an abbreviation's. */
bool ends_name(std::string_view w) {
    return bare(w).size() != w.size() && !abbreviation(w);
}

bool capitalised(std::string_view w) {
    if (w.empty())
        return false;
    if (is_upper(w[0]))
        return true;
    // Latin-1 capitals in UTF-8: "Á" .. "Þ"
    return w.size() >= 2 && static_cast<unsigned char>(w[0]) == 0xC3 &&
           static_cast<unsigned char>(w[1]) >= 0x80 && static_cast<unsigned char>(w[1]) <= 0x9E;
}

bool is_pronoun_or_article(std::string_view w) {
    constexpr std::array<std::string_view, 14> k{"He",   "She", "They",  "It", "We",
                                                 "I",    "The", "A",     "An", "This",
                                                 "That", "You", "There", "But"};
    return std::find(k.begin(), k.end(), w) != k.end();
}

/** A name: 1..5 capitalised words, not a lone pronoun or article. */
bool is_name(const std::vector<std::string_view>& words) {
    if (words.empty() || words.size() > 5)
        return false;
    for (const auto w : words)
        if (!capitalised(w))
            return false;
    return !(words.size() == 1 && is_pronoun_or_article(words[0])) &&
           !is_pronoun_or_article(words[0]);
}

std::string join(const std::vector<std::string_view>& words) {
    std::string out;
    for (const auto w : words) {
        if (!out.empty())
            out += ' ';
        out += w;
    }
    return out;
}

/** The text after a closing quote: "said Jane Doe, the company's CFO." or "Jane Doe said." */
std::string speaker_after(std::string_view rest) {
    auto t = tokens(rest);
    if (t.empty())
        return {};
    if (is_speech_verb(bare(t[0]))) {
        std::vector<std::string_view> name;
        std::size_t i = 1;
        bool ended = false;
        for (; i < t.size() && name.size() < 5; ++i) {
            if (!capitalised(t[i]))
                break;
            name.push_back(abbreviation(t[i]) ? t[i] : bare(t[i]));
            if (ends_name(t[i])) { // the name ends at a comma or a period
                ended = true;
                ++i;
                break;
            }
        }
        if (!is_name(name))
            return {};
        std::string out = join(name);
        // "..., the company's CFO." closes the sentence: the speaker's title.
        if (ended && t[i - 1].back() == ',' && i < t.size() && t.size() - i <= 8 &&
            bare(t.back()).size() + 1 == t.back().size() && t.back().back() == '.') {
            std::vector<std::string_view> title(t.begin() + static_cast<std::ptrdiff_t>(i),
                                                t.end());
            std::string appositive = join(title);
            appositive.pop_back();
            if (appositive.find(',') == std::string::npos)
                out += ", " + appositive;
        }
        return out;
    }
    std::vector<std::string_view> name;
    std::size_t i = 0;
    while (i < t.size() && name.size() < 5 && capitalised(t[i])) {
        name.push_back(abbreviation(t[i]) ? t[i] : bare(t[i]));
        const bool end = ends_name(t[i]);
        ++i;
        if (end)
            break;
    }
    if (i < t.size() && is_speech_verb(bare(t[i])) && is_name(name))
        return join(name);
    return {};
}

/** The text before an opening quote: "Finance Minister Jane Doe said:" */
std::string speaker_before(std::string_view head) {
    auto t = tokens(head);
    if (t.size() < 2)
        return {};
    const std::string_view verb = bare(t.back());
    if (!is_speech_verb(verb))
        return {};
    std::vector<std::string_view> name;
    for (std::size_t k = t.size() - 1; k-- > 0 && name.size() < 5;) {
        if (!capitalised(t[k]) || ends_name(t[k]))
            break;
        name.insert(name.begin(), t[k]);
    }
    return is_name(name) ? join(name) : std::string{};
}

} // namespace

std::optional<Quote> find_quote(std::string_view s) {
    if (!balanced_quotes(s))
        return std::nullopt;
    struct Span {
        std::size_t open, from, to, close_end;
    };
    std::vector<Span> spans;
    for (std::size_t p = s.find('"'); p != std::string_view::npos;) {
        const std::size_t q = s.find('"', p + 1);
        if (q == std::string_view::npos)
            break;
        spans.push_back({p, p + 1, q, q + 1});
        p = s.find('"', q + 1);
    }
    constexpr std::string_view k_open = "\u201C";
    constexpr std::string_view k_close = "\u201D";
    for (std::size_t p = s.find(k_open); p != std::string_view::npos;) {
        const std::size_t q = s.find(k_close, p + k_open.size());
        if (q == std::string_view::npos)
            break;
        spans.push_back({p, p + k_open.size(), q, q + k_close.size()});
        p = s.find(k_open, q + k_close.size());
    }
    const Span* best = nullptr;
    for (const Span& sp : spans)
        if (best == nullptr || sp.to - sp.from > best->to - best->from)
            best = &sp;
    if (best == nullptr)
        return std::nullopt;
    std::string_view words = s.substr(best->from, best->to - best->from);
    while (!words.empty() && (words.back() == ',' || words.back() == ' '))
        words.remove_suffix(1);
    while (!words.empty() && words.front() == ' ')
        words.remove_prefix(1);
    if (words.size() > k_max_quote_bytes || has_quote_mark(words))
        return std::nullopt;
    Quote out;
    out.words = std::string(words);
    std::string_view rest = s.substr(best->close_end);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == ','))
        rest.remove_prefix(1);
    out.speaker = speaker_after(rest);
    if (out.speaker.empty()) {
        std::string_view head = s.substr(0, best->open);
        while (!head.empty() && (head.back() == ' ' || head.back() == ':' || head.back() == ','))
            head.remove_suffix(1);
        out.speaker = speaker_before(head);
    }
    const std::size_t n = word_count(out.words);
    if (n < 4 || (out.speaker.empty() && n < 6))
        return std::nullopt;
    return out;
}

Selection select(const Story& story, const std::vector<StoryArticle>& articles,
                 const std::vector<std::string>& new_urls) {
    std::vector<SourceText> sources;
    for (std::size_t i = 0; i < articles.size(); ++i) {
        const StoryArticle& a = articles[i];
        SourceText st;
        st.index = i;
        if (a.page) {
            st.text = text::repair_utf8(a.page->text().substr(0, k_max_text_bytes));
            st.lang = a.page->lang;
        }
        st.all_words = words_of(a.title + "\n" + a.snippet + "\n" + st.text);
        sources.push_back(std::move(st));
    }
    Words topical = words_of(story.term);
    Words headlines;
    for (const auto& a : articles)
        for (const auto& w : words_of(a.title))
            headlines.insert(w);

    std::vector<Candidate> cands;
    for (const SourceText& st : sources) {
        if (st.text.empty())
            continue;
        Words others;
        for (const SourceText& o : sources)
            if (o.index != st.index)
                others.insert(o.all_words.begin(), o.all_words.end());
        std::size_t order = 0;
        for (const Sentence& sen : split_sentences(st.text, st.lang.empty() ? "en" : st.lang)) {
            if (order >= k_max_sentences)
                break;
            const std::string_view t = sen.text;
            if (t.size() > k_max_sentence_bytes || word_count(t) < k_min_sentence_words ||
                is_boilerplate(t) || !balanced_quotes(t))
                continue;
            Candidate c;
            c.source = st.index;
            c.order = order++;
            c.paragraph = sen.paragraph;
            c.text = std::string(t);
            c.words = words_of(t);
            c.corroboration = static_cast<double>(overlap(c.words, others));
            c.topical = 3.0 * static_cast<double>(overlap(c.words, topical)) +
                        static_cast<double>(overlap(c.words, headlines));
            c.quoting = has_quote_mark(t);
            c.dependent = needs_context(t);
            cands.push_back(std::move(c));
        }
    }

    std::vector<bool> used(cands.size(), false);
    auto near_used = [&](const Candidate& c) {
        for (std::size_t k = 0; k < cands.size(); ++k)
            if (used[k] && jaccard(cands[k].words, c.words) >= 0.6)
                return true;
        return false;
    };
    // Best first by `score`, ties by source and position: deterministic.
    auto ranked = [&](auto score, auto keep) {
        std::vector<std::pair<double, std::size_t>> order;
        for (std::size_t k = 0; k < cands.size(); ++k)
            if (!used[k] && !cands[k].quoting && keep(cands[k]))
                order.emplace_back(score(cands[k]), k);
        std::stable_sort(order.begin(), order.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        return order;
    };
    auto also_of = [&](const Candidate& c) {
        std::vector<std::size_t> also;
        for (const Candidate& o : cands)
            if (o.source != c.source && jaccard(o.words, c.words) >= 0.5 &&
                std::find(also.begin(), also.end(), o.source) == also.end())
                also.push_back(o.source);
        std::sort(also.begin(), also.end());
        return also;
    };
    auto take = [&](std::size_t k, double score) {
        used[k] = true;
        return Pick{cands[k].source, cands[k].text, also_of(cands[k]), score};
    };

    Selection sel;
    // The lead: the most corroborated of the opening sentences.
    {
        const auto order = ranked(
            [](const Candidate& c) {
                return 2.0 * c.corroboration + c.topical +
                       std::max(0.0, 4.0 - static_cast<double>(c.paragraph));
            },
            [](const Candidate& c) {
                return c.paragraph < 6 && word_count(c.text) >= 10 && !c.dependent;
            });
        for (const auto& [score, k] : order) {
            if (sel.lead.size() == 2)
                break;
            if (near_used(cands[k]))
                continue;
            sel.lead.push_back(take(k, score));
        }
    }
    // Quotes before facts, so the quoting sentences are not left to the rest.
    {
        std::vector<std::pair<double, std::size_t>> order;
        std::vector<Quote> found(cands.size());
        for (std::size_t k = 0; k < cands.size(); ++k) {
            if (!cands[k].quoting)
                continue;
            if (auto q = find_quote(cands[k].text)) {
                q->source = cands[k].source;
                found[k] = std::move(*q);
                order.emplace_back((found[k].speaker.empty() ? 0.0 : 100.0) +
                                       cands[k].corroboration + cands[k].topical,
                                   k);
            }
        }
        std::stable_sort(order.begin(), order.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        std::set<std::string> seen;
        for (const auto& [score, k] : order) {
            if (!seen.insert(text::normalize_term(found[k].words)).second)
                continue;
            used[k] = true;
            sel.quotes.push_back(std::move(found[k]));
        }
    }
    // The update: the best sentence of each new source.
    for (const std::string& url : new_urls) {
        const auto it = std::find_if(articles.begin(), articles.end(),
                                     [&](const StoryArticle& a) { return a.url == url; });
        if (it == articles.end())
            continue;
        const auto src = static_cast<std::size_t>(it - articles.begin());
        const auto order = ranked(
            [](const Candidate& c) {
                return 2.0 * c.corroboration + c.topical + fact_weight(c.text) -
                       (c.dependent ? 6.0 : 0.0) - 0.05 * static_cast<double>(c.order);
            },
            [&](const Candidate& c) { return c.source == src; });
        for (const auto& [score, k] : order)
            if (!near_used(cands[k])) {
                sel.update.push_back(take(k, score));
                break;
            }
    }
    // Analysis before facts: a sentence with a cue phrase and a number is analysis.
    {
        const auto order = ranked(
            [](const Candidate& c) {
                return 2.0 * c.corroboration + c.topical - (c.dependent ? 6.0 : 0.0) -
                       0.02 * static_cast<double>(c.order);
            },
            [](const Candidate& c) { return is_analysis(c.text); });
        for (const auto& [score, k] : order)
            if (sel.analysis.size() < 5 && !near_used(cands[k]))
                sel.analysis.push_back(take(k, score));
    }
    {
        const auto order = ranked(
            [](const Candidate& c) {
                return 2.0 * c.corroboration + c.topical + 2.0 * fact_weight(c.text) -
                       (c.dependent ? 6.0 : 0.0) - 0.02 * static_cast<double>(c.order);
            },
            [](const Candidate& c) { return fact_weight(c.text) >= 1.0; });
        for (const auto& [score, k] : order)
            if (sel.facts.size() < 24 && !near_used(cands[k]))
                sel.facts.push_back(take(k, score));
    }
    return sel;
}

} // namespace trend::draft::explainer
