// SPDX-License-Identifier: MIT
// yaml::quote on any bytes: one line, inside double quotes, and reading the YAML escapes back
// gives the (UTF-8 repaired) input exactly.
#include "fuzz_support.hpp"
#include "trend/draft/scan.hpp"
#include "trend/draft/yaml.hpp"

#include <optional>

using namespace trend;

namespace {

/** The code points of valid UTF-8. */
std::u32string code_points(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        const draft::CodePoint cp = draft::decode_utf8(s, i);
        out += cp.value;
        i += cp.size;
    }
    return out;
}

/** A YAML double-quoted scalar's value (the escapes YAML 1.2 defines that quote() may use). */
std::optional<std::u32string> unquote(std::string_view q) {
    if (q.size() < 2 || q.front() != '"' || q.back() != '"')
        return std::nullopt;
    q = q.substr(1, q.size() - 2);
    std::u32string out;
    for (std::size_t i = 0; i < q.size(); ++i) {
        if (q[i] == '"')
            return std::nullopt; // an unescaped quote ends the scalar early
        if (q[i] != '\\') {
            const draft::CodePoint cp = draft::decode_utf8(q, i);
            out += cp.value;
            i += cp.size - 1;
            continue;
        }
        if (++i == q.size())
            return std::nullopt;
        const char e = q[i];
        std::size_t hex = e == 'u' ? 4 : e == 'U' ? 8 : e == 'x' ? 2 : 0;
        if (hex > 0) {
            if (i + hex >= q.size())
                return std::nullopt;
            const std::string digits(q.substr(i + 1, hex));
            if (digits.size() != hex ||
                digits.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
                return std::nullopt;
            out += static_cast<char32_t>(std::stoul(digits, nullptr, 16));
            i += hex;
            continue;
        }
        switch (e) {
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case 'r':
            out += '\r';
            break;
        case '"':
            out += '"';
            break;
        case '\\':
            out += '\\';
            break;
        case '/':
            out += '/';
            break;
        case '0':
            out += '\0';
            break;
        default:
            return std::nullopt;
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::text_of(data, size);
    const std::string quoted = draft::yaml::quote(in);
    fuzz::check(quoted.find_first_of("\n\r") == std::string::npos, "a quoted scalar is one line",
                quoted);
    fuzz::check(fuzz::is_valid_utf8(quoted), "a quoted scalar is UTF-8", quoted);
    const auto back = unquote(quoted);
    fuzz::check(back.has_value(), "a quoted scalar is well formed", quoted);
    fuzz::check(*back == code_points(text::repair_utf8(in)), "quote round trip", quoted);
    return 0;
}
