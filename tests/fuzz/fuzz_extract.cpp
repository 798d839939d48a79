// SPDX-License-Identifier: MIT
// libFuzzer target: extract::extract on arbitrary bytes. The first byte picks the declared
// Content-Type (none, text/html, a legacy charset, a wrong one); the rest is the body.
#include "trend/extract/extract.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    static constexpr const char* k_types[] = {"", "text/html", "text/html; charset=windows-1252",
                                              "text/html; charset=shift_jis", "text/plain",
                                              "application/xhtml+xml; charset=utf-16"};
    const char* type = k_types[data[0] % (sizeof k_types / sizeof k_types[0])];
    const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
    const trend::extract::Article a =
        trend::extract::extract({body, "https://news.example.org/a/b?c=d", type});
    // Invariants: text only for articles, and word_count agrees with it.
    if (a.outcome != trend::extract::Outcome::article && !a.text.empty())
        std::abort();
    if (a.word_count != trend::extract::word_count(a.text))
        std::abort();
    if ((a.outcome == trend::extract::Outcome::article) != a.reason.empty())
        std::abort();
    return 0;
}
