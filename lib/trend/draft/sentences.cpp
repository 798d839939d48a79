// SPDX-License-Identifier: MIT
#include "trend/draft/sentences.hpp"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/utext.h>

#include <memory>
#include <string>

namespace trend::draft {

namespace {

bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/** Appends the trimmed [begin, end) of `text` unless it is blank. */
void push_trimmed(std::vector<Sentence>& out, std::string_view text, std::size_t begin,
                  std::size_t end, std::size_t paragraph) {
    while (begin < end && is_space(text[begin]))
        ++begin;
    while (end > begin && is_space(text[end - 1]))
        --end;
    if (end > begin)
        out.push_back({text.substr(begin, end - begin), begin, paragraph});
}

/** A sentence iterator for `lang` that does not break after the locale's abbreviations
 *  ("@ss=standard"); one per thread and language in use, built on first use. */
icu::BreakIterator* iterator_for(std::string_view lang) {
    thread_local std::string cached_lang;
    thread_local std::unique_ptr<icu::BreakIterator> cached;
    if (cached && cached_lang == lang)
        return cached.get();
    cached.reset();
    cached_lang = std::string(lang);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale locale(
        (cached_lang.empty() ? std::string("en") : cached_lang + "@ss=standard").c_str());
    cached.reset(icu::BreakIterator::createSentenceInstance(locale, status));
    if (U_FAILURE(status))
        cached.reset();
    return cached.get();
}

/** True when [begin, end) of `text` ends with a middle initial: a lone capital letter and a
 *  full stop after a space ("Donald J."). ICU ends a sentence there; a name goes on. */
bool ends_with_initial(std::string_view text, std::size_t begin, std::size_t end) {
    while (end > begin && is_space(text[end - 1]))
        --end;
    if (end - begin < 3 || text[end - 1] != '.')
        return false;
    const char letter = text[end - 2];
    return letter >= 'A' && letter <= 'Z' && text[end - 3] == ' ';
}

} // namespace

std::vector<Sentence> split_sentences(std::string_view text, std::string_view lang) {
    std::vector<Sentence> out;
    icu::BreakIterator* it = iterator_for(lang);
    std::size_t paragraph = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find("\n\n", start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view para = text.substr(start, end - start);
        UErrorCode status = U_ZERO_ERROR;
        UText* ut = it == nullptr ? nullptr
                                  : utext_openUTF8(nullptr, para.data(),
                                                   static_cast<std::int64_t>(para.size()), &status);
        if (ut != nullptr && U_SUCCESS(status)) {
            // UTF-8 UText indices are byte offsets into `para`.
            it->setText(ut, status);
            std::int32_t from = it->first();
            for (std::int32_t to = it->next(); to != icu::BreakIterator::DONE; to = it->next()) {
                const std::size_t b = start + static_cast<std::size_t>(from);
                const std::size_t e = start + static_cast<std::size_t>(to);
                if (e < end && ends_with_initial(text, b, e))
                    continue; // the sentence goes on after the initial
                push_trimmed(out, text, b, e, paragraph);
                from = to;
            }
            // The iterator must not keep pointing at the UText we close.
            UText* empty = utext_openUTF8(nullptr, "", 0, &status);
            it->setText(empty, status);
            utext_close(empty);
        } else {
            push_trimmed(out, text, start, end, paragraph);
        }
        if (ut != nullptr)
            utext_close(ut);
        if (!para.empty())
            ++paragraph;
        start = end + 2;
    }
    return out;
}

} // namespace trend::draft
