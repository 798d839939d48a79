// SPDX-License-Identifier: MIT
#include "trend/feed/term.hpp"

#include "trend/util/text.hpp"

#include <fmt/format.h>
#include <openssl/sha.h>

namespace trend::feed {

namespace {

constexpr std::string_view k_mark = "\u2026#"; // "…#"
constexpr std::size_t k_hash_hex = 16;
constexpr std::size_t k_quoted_bytes = 60;

// SHA-256, so nobody can craft a second long term that lands on an existing one.
std::string hash_hex(std::string_view s) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), digest);
    std::string out;
    for (std::size_t i = 0; i < k_hash_hex / 2; ++i)
        out += fmt::format("{:02x}", digest[i]);
    return out;
}

} // namespace

GuardedTerm guard_term(std::string_view raw, std::string_view where) {
    std::string term = text::collapse_whitespace(text::repair_utf8(raw));
    if (term.size() <= k_max_term_bytes)
        return {std::move(term), std::nullopt};
    std::string prefix{text::utf8_prefix(term, k_max_term_bytes - k_mark.size() - k_hash_hex)};
    while (!prefix.empty() && prefix.back() == ' ')
        prefix.pop_back();
    std::string cut = fmt::format("{}{}{}", prefix, k_mark, hash_hex(text::normalize_term(term)));
    const std::string_view quoted = text::utf8_prefix(term, k_quoted_bytes);
    std::string warning = fmt::format(
        "{} \"{}…\": term of {} bytes cut to {} (a hash of the whole term keeps it distinct)",
        where, quoted, term.size(), cut.size());
    return {std::move(cut), std::move(warning)};
}

} // namespace trend::feed
