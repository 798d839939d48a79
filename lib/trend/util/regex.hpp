// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace re2 {
class RE2;
}

namespace trend::text {

/**
 * A case-insensitive regular expression that matches in time linear in the text, whatever the
 * pattern (RE2: no backtracking, so `^(a+)+$` cannot freeze the caller). RE2 syntax is Perl's
 * without backreferences (`\1`) and lookaround (`(?=`, `(?!`, `(?<=`); such patterns, repetition
 * counts over 1000 and patterns whose program exceeds RE2's memory budget are refused at
 * compile(). Immutable and cheap to copy; safe to share across threads.
 */
class Regex final {
    std::shared_ptr<const re2::RE2> m_re;

    explicit Regex(std::shared_ptr<const re2::RE2> re) : m_re(std::move(re)) {}

public:
    /** The compiled pattern, or why RE2 refuses it ("invalid perl operator: (?="). */
    [[nodiscard]] static std::variant<Regex, std::string> compile(std::string_view pattern);

    /** True when the pattern matches somewhere in `text` (UTF-8). */
    [[nodiscard]] bool search(std::string_view text) const;

    /** The pattern as written. */
    [[nodiscard]] const std::string& pattern() const;
};

} // namespace trend::text
