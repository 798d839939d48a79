// SPDX-License-Identifier: MIT
// words(), word_count() and word_f1(): one tokeniser for counting and for comparing.
#include "trend/extract/extract.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <unordered_map>

namespace trend::extract {

namespace {

enum class Kind { other, word, apostrophe, cjk };

Kind kind_of(UChar32 c) {
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            return Kind::word;
        return c == '\'' ? Kind::apostrophe : Kind::other;
    }
    if (c == 0x2019)
        return Kind::apostrophe;
    if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC))
        return Kind::cjk;
    const int32_t cat = u_charType(c);
    switch (cat) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER: {
        UErrorCode status = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &status);
        if (script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA || script == USCRIPT_HAN)
            return Kind::cjk;
        return Kind::word;
    }
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
        return Kind::word;
    default:
        return Kind::other;
    }
}

/** Calls on_word(begin, end) for each word of `text` (byte offsets). */
template <typename F>
void for_each_word(std::string_view text, F on_word) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const auto n = static_cast<int32_t>(text.size());
    int32_t i = 0;
    int32_t start = -1; // start of the word in progress
    int32_t last_end = 0;
    bool pending_apostrophe = false;
    while (i < n) {
        const int32_t begin = i;
        UChar32 c = 0;
        U8_NEXT(s, i, n, c);
        const Kind k = c < 0 ? Kind::other : kind_of(c);
        if (k == Kind::word) {
            if (start < 0)
                start = begin;
            pending_apostrophe = false;
            last_end = i;
            continue;
        }
        if (k == Kind::apostrophe && start >= 0 && !pending_apostrophe) {
            pending_apostrophe = true; // kept only when a letter follows
            continue;
        }
        if (start >= 0)
            on_word(start, last_end);
        start = -1;
        pending_apostrophe = false;
        if (k == Kind::cjk)
            on_word(begin, i);
    }
    if (start >= 0)
        on_word(start, last_end);
}

std::string folded(std::string_view word) {
    std::string out;
    out.reserve(word.size());
    const auto* s = reinterpret_cast<const uint8_t*>(word.data());
    const auto n = static_cast<int32_t>(word.size());
    for (int32_t i = 0; i < n;) {
        UChar32 c = 0;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            continue;
        if (c < 0x80) {
            out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            continue;
        }
        if (c == 0x2019)
            c = '\'';
        else
            c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        char buf[U8_MAX_LENGTH];
        int32_t len = 0;
        UBool error = false;
        U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, U8_MAX_LENGTH, c, error);
        if (!error)
            out.append(buf, static_cast<std::size_t>(len));
    }
    return out;
}

std::unordered_map<std::string, std::size_t> bag(std::string_view text, std::size_t& total) {
    std::unordered_map<std::string, std::size_t> counts;
    for_each_word(text, [&](int32_t b, int32_t e) {
        ++counts[folded(text.substr(static_cast<std::size_t>(b), static_cast<std::size_t>(e - b)))];
        ++total;
    });
    return counts;
}

} // namespace

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    for_each_word(text, [&](int32_t b, int32_t e) {
        out.push_back(
            folded(text.substr(static_cast<std::size_t>(b), static_cast<std::size_t>(e - b))));
    });
    return out;
}

std::size_t word_count(std::string_view text) {
    std::size_t n = 0;
    for_each_word(text, [&](int32_t, int32_t) { ++n; });
    return n;
}

double word_f1(std::string_view candidate, std::string_view reference) {
    std::size_t n_candidate = 0;
    std::size_t n_reference = 0;
    const auto a = bag(candidate, n_candidate);
    const auto b = bag(reference, n_reference);
    if (n_candidate == 0 && n_reference == 0)
        return 1.0;
    if (n_candidate == 0 || n_reference == 0)
        return 0.0;
    std::size_t common = 0;
    for (const auto& [word, count] : a)
        if (const auto it = b.find(word); it != b.end())
            common += std::min(count, it->second);
    if (common == 0)
        return 0.0;
    const double precision = static_cast<double>(common) / static_cast<double>(n_candidate);
    const double recall = static_cast<double>(common) / static_cast<double>(n_reference);
    return 2 * precision * recall / (precision + recall);
}

} // namespace trend::extract
