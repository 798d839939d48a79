// SPDX-License-Identifier: MIT
// yaml::quote on any bytes: one line, inside double quotes, and reading the YAML escapes back
// gives the (UTF-8 repaired) input exactly.
#include "fuzz_support.hpp"
#include "trend/draft/yaml.hpp"

#include <optional>

using namespace trend;

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/** A YAML double-quoted scalar's value (the escapes YAML 1.2 defines that quote() may use). */
std::optional<std::string> unquote(std::string_view q) {
    if (q.size() < 2 || q.front() != '"' || q.back() != '"')
        return std::nullopt;
    q = q.substr(1, q.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < q.size(); ++i) {
        if (q[i] == '"')
            return std::nullopt; // an unescaped quote ends the scalar early
        if (q[i] != '\\') {
            out += q[i];
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
            append_utf8(out, static_cast<std::uint32_t>(std::stoul(digits, nullptr, 16)));
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
    fuzz::check(*back == text::repair_utf8(in), "quote round trip", quoted);
    return 0;
}
