// SPDX-License-Identifier: MIT
#include "trend/detect/topic.hpp"

#include "trend/util/text.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <set>

namespace trend::detect {

namespace {

constexpr std::size_t k_max_text_bytes = 2000;

// Function words of English, headline fillers, and the commonest articles and prepositions of
// the languages the feeds carry most. They say nothing about which story a text tells.
constexpr auto k_stop_words = std::to_array<std::string_view>({
    // English
    "a", "about", "after", "against", "all", "amid", "an", "and", "any", "are", "as", "at",
    "be", "been", "before", "but", "by", "can", "could", "did", "do", "does", "for", "from",
    "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "may", "more", "most", "my", "no", "not", "of", "off", "on", "or", "our", "out", "over",
    "says", "said", "she", "so", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "to", "up", "us", "vs", "was", "we", "were", "what",
    "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
    // Hacker News
    "hn", "ask", "show", "tell",
    // German, French, Spanish, Portuguese, Italian, Dutch
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "und", "mit", "von", "zu", "im",
    "le", "la", "les", "un", "une", "du", "et", "au", "aux", "pour", "sur", "el", "los", "las",
    "y", "en", "con", "por", "para", "da", "do", "dos", "das", "em", "no", "na", "um", "uma",
    "il", "lo", "gli", "di", "del", "della", "per", "het", "een", "van", "op",
});

// Words too common in news to identify a story on their own (they still count as words of a
// longer term).
constexpr auto k_generic_words = std::to_array<std::string_view>({
    "breaking", "business", "city", "day", "dead", "death", "dies", "election", "film", "food",
    "game", "games", "health", "home", "latest", "life", "live", "love", "market", "markets",
    "match", "money", "movie", "music", "news", "people", "police", "politics", "price",
    "prices", "report", "school", "score", "show", "sport", "sports", "state", "stock",
    "stocks", "storm", "tech", "time", "today", "tonight", "update", "updates", "video",
    "war", "weather", "week", "world", "year",
});

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view w) {
    return std::find(list.begin(), list.end(), w) != list.end();
}

bool is_cjk(UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
           script == USCRIPT_HANGUL;
}

/** "#OpenAIAmazon" -> " Open AI Amazon": hashtags split where their case changes. */
icu::UnicodeString split_hashtags(const icu::UnicodeString& in) {
    icu::UnicodeString out;
    bool in_tag = false;
    int tag_letters = 0; // letters of the current hashtag so far
    UChar32 prev = 0;
    for (int32_t i = 0; i < in.length();) {
        const UChar32 c = in.char32At(i);
        const int32_t next_i = i + U16_LENGTH(c);
        const UChar32 next = next_i < in.length() ? in.char32At(next_i) : 0;
        if (c == '#' && (i == 0 || u_isUWhiteSpace(prev))) {
            in_tag = true;
            tag_letters = 0;
            out.append(static_cast<UChar32>(' '));
        } else {
            if (in_tag && !u_isalnum(c))
                in_tag = false;
            if (in_tag && tag_letters > 0 && u_isupper(c)) {
                const bool lower_to_upper = u_islower(prev) && tag_letters > 1;
                const bool acronym_end = u_isupper(prev) && u_islower(next);
                if (lower_to_upper || acronym_end)
                    out.append(static_cast<UChar32>(' '));
            }
            if (in_tag)
                ++tag_letters;
            out.append(c);
        }
        prev = c;
        i = next_i;
    }
    return out;
}

/** Case-folded, accents removed (NFD, drop non-spacing marks, NFC). */
icu::UnicodeString fold(const icu::UnicodeString& word) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    icu::UnicodeString folded = word;
    folded.foldCase();
    if (U_FAILURE(status))
        return folded;
    const icu::UnicodeString decomposed = nfd->normalize(folded, status);
    if (U_FAILURE(status))
        return folded;
    icu::UnicodeString bare;
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        if (u_charType(c) != U_NON_SPACING_MARK)
            bare.append(c);
        i += U16_LENGTH(c);
    }
    const icu::UnicodeString composed = nfc->normalize(bare, status);
    return U_FAILURE(status) ? bare : composed;
}

/** "openai's" -> "openai", "o'neill" -> "oneill". */
icu::UnicodeString drop_apostrophes(icu::UnicodeString w) {
    for (const char16_t apostrophe : {u'\'', u'\u2019'}) {
        const icu::UnicodeString possessive = icu::UnicodeString(apostrophe) + u"s";
        if (w.endsWith(possessive))
            w.truncate(w.length() - 2);
        w.findAndReplace(icu::UnicodeString(apostrophe), icu::UnicodeString());
    }
    return w;
}

icu::BreakIterator* word_breaker() {
    thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> b(
            icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        return U_FAILURE(status) ? nullptr : std::move(b);
    }();
    return breaker.get();
}

bool all_digits(std::string_view w) {
    return !w.empty() &&
           std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/** Where `w` occurs in `l`: as a word, or as two adjacent words written together. Returns
 *  whether it occurs, and whether one occurrence is written as a name. */
std::pair<bool, bool> occurs(const std::string& w, const Topic& l) {
    bool found = false, named = false;
    for (std::size_t i = 0; i < l.words.size(); ++i) {
        if (l.words[i] == w) {
            found = true;
            named = named || l.named[i];
        } else if (i + 1 < l.words.size() && l.words[i].size() + l.words[i + 1].size() == w.size() &&
                   w.starts_with(l.words[i]) && w.ends_with(l.words[i + 1])) {
            found = true;
            named = named || l.named[i] || l.named[i + 1];
        }
    }
    return {found, named};
}

/** Every word of `s` is in `l` (a pair of s's words may also be one word of l). */
bool contained(const Topic& s, const Topic& l) {
    std::size_t i = 0;
    while (i < s.words.size()) {
        if (occurs(s.words[i], l).first) {
            ++i;
            continue;
        }
        if (i + 1 < s.words.size() && occurs(s.words[i] + s.words[i + 1], l).first) {
            i += 2;
            continue;
        }
        return false;
    }
    return true;
}

std::size_t code_points(std::string_view w) {
    return text::utf8_length(w);
}

bool cjk_word(std::string_view w) {
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(w);
    return u.length() > 0 && is_cjk(u.char32At(0));
}

/** A side of one word identifies a story only when that word is a name (see the header). */
bool specific(const Topic& s, const Topic& l) {
    if (std::all_of(s.words.begin(), s.words.end(), all_digits))
        return false;
    if (std::set<std::string>(s.words.begin(), s.words.end()).size() >= 2)
        return true;
    const std::string& w = s.words.front();
    if (code_points(w) < (cjk_word(w) ? 2U : 3U) || listed(k_generic_words, w))
        return false;
    if (l.cased && l.words.size() >= 4)
        return occurs(w, l).second;
    return true;
}

bool similar(const Topic& a, const Topic& b) {
    if (a.words.size() < 3 || b.words.size() < 3)
        return false;
    const std::set<std::string> sa(a.words.begin(), a.words.end());
    const std::set<std::string> sb(b.words.begin(), b.words.end());
    std::size_t common = 0;
    for (const std::string& w : sa)
        common += sb.count(w);
    const std::size_t all = sa.size() + sb.size() - common;
    return common >= 3 && static_cast<double>(common) >= 0.6 * static_cast<double>(all);
}

} // namespace

Topic read_topic(std::string_view raw) {
    Topic t;
    const std::string clean = text::repair_utf8(text::utf8_prefix(raw, k_max_text_bytes));
    const icu::UnicodeString text = split_hashtags(icu::UnicodeString::fromUTF8(clean));
    icu::BreakIterator* breaker = word_breaker();
    if (breaker == nullptr)
        return t;
    breaker->setText(text);
    int32_t start = breaker->first();
    for (int32_t end = breaker->next(); end != icu::BreakIterator::DONE;
         start = end, end = breaker->next()) {
        if (breaker->getRuleStatus() < UBRK_WORD_NONE_LIMIT)
            continue; // spaces, punctuation, symbols
        const icu::UnicodeString word = text.tempSubStringBetween(start, end);
        bool named = false;
        for (int32_t i = 0; i < word.length();) {
            const UChar32 c = word.char32At(i);
            const bool upper = u_isupper(c) || u_istitle(c);
            t.cased = t.cased || upper;
            named = named || upper || u_isdigit(c);
            i += U16_LENGTH(c);
        }
        std::string folded;
        drop_apostrophes(fold(word)).toUTF8String(folded);
        if (folded.empty() || listed(k_stop_words, folded))
            continue;
        if (code_points(folded) < 2 && !cjk_word(folded))
            continue;
        t.words.push_back(std::move(folded));
        t.named.push_back(named);
    }
    return t;
}

std::string_view to_string(TopicMatch m) noexcept {
    switch (m) {
    case TopicMatch::same_words:
        return "same words";
    case TopicMatch::contained:
        return "contained";
    case TopicMatch::similar:
        return "similar headlines";
    case TopicMatch::none:
        break;
    }
    return "none";
}

TopicMatch match_topics(const Topic& a, const Topic& b) {
    if (a.words.empty() || b.words.empty())
        return TopicMatch::none;
    const std::set<std::string> sa(a.words.begin(), a.words.end());
    const std::set<std::string> sb(b.words.begin(), b.words.end());
    const bool a_shorter = sa.size() < sb.size() || (sa.size() == sb.size() && a.words.size() <= b.words.size());
    const Topic& s = a_shorter ? a : b;
    const Topic& l = a_shorter ? b : a;
    if (sa == sb && !std::all_of(a.words.begin(), a.words.end(), all_digits))
        return TopicMatch::same_words;
    if (specific(s, l) && contained(s, l))
        return TopicMatch::contained;
    // Equal sizes: "open ai" in "openai amazon"'s place may be contained the other way round.
    if (sa.size() == sb.size() && specific(l, s) && contained(l, s))
        return TopicMatch::contained;
    if (similar(a, b))
        return TopicMatch::similar;
    return TopicMatch::none;
}

std::vector<std::string> topic_keys(const Topic& t) {
    std::vector<std::string> keys = t.words;
    for (std::size_t i = 0; i + 1 < t.words.size(); ++i)
        keys.push_back(t.words[i] + t.words[i + 1]);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

double signal_level(std::string_view kind, std::optional<std::int64_t> traffic, int rank) {
    constexpr double k_floor = 0.1;
    if (kind == "rank")
        return rank >= 1 ? std::max(k_floor, 1.0 - (rank - 1) / 10.0) : k_floor;
    double reference = 0;
    if (kind == "searches")
        reference = 100000;
    else if (kind == "points" || kind == "uses")
        reference = 1000;
    else if (kind == "shares")
        reference = 100;
    else if (kind == "views")
        reference = 1000000;
    if (reference == 0 || !traffic || *traffic <= 1)
        return k_floor;
    const double level = std::log10(static_cast<double>(*traffic)) / std::log10(reference);
    return std::clamp(level, k_floor, 1.0);
}

} // namespace trend::detect
