// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

/** What the fuzz targets share: the input as text, and property checks that abort loudly, so
 *  both libFuzzer and the corpus replay (replay_main.cpp) report a broken property as a crash. */
namespace trend::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

[[noreturn]] inline void fail(const char* what, std::string_view detail) {
    std::fprintf(stderr, "fuzz property broken: %s\n", what);
    if (!detail.empty()) {
        std::fputs("  value: ", stderr);
        std::fwrite(detail.data(), 1, std::min<std::size_t>(detail.size(), 2000), stderr);
        std::fputc('\n', stderr);
    }
    std::abort();
}

/** Aborts with `what` (and the offending value) when `ok` is false. */
inline void check(bool ok, const char* what, std::string_view detail = {}) {
    if (!ok)
        fail(what, detail);
}

inline bool is_valid_utf8(std::string_view s) {
    return text::repair_utf8(s) == s;
}

} // namespace trend::fuzz
