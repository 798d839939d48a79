// SPDX-License-Identifier: MIT
#include "trend/util/regex.hpp"

#include <re2/re2.h>

namespace trend::text {

namespace {

constexpr std::size_t k_max_pattern_bytes = 4096;

} // namespace

std::variant<Regex, std::string> Regex::compile(std::string_view pattern) {
    if (pattern.size() > k_max_pattern_bytes)
        return "pattern is over " + std::to_string(k_max_pattern_bytes) + " bytes";
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    auto re =
        std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
    if (!re->ok())
        return re->error();
    return Regex(std::move(re));
}

bool Regex::search(std::string_view text) const {
    return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *m_re);
}

const std::string& Regex::pattern() const {
    return m_re->pattern();
}

} // namespace trend::text
