// SPDX-License-Identifier: MIT
#include "trend/draft/yaml.hpp"

#include "trend/draft/scan.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <iterator>

namespace trend::draft::yaml {

namespace {

bool is_noncharacter(char32_t cp) {
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

// Code points a parser would not read back verbatim: controls, line and paragraph separators
// (YAML 1.1 folds them like newlines), the BOM and non-characters (outside YAML's printable set).
bool needs_escape(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0xFEFF || is_noncharacter(cp);
}

void append_escape(std::string& out, char32_t cp) {
    switch (cp) {
    case '\n':
        out += "\\n";
        break;
    case '\t':
        out += "\\t";
        break;
    case '\r':
        out += "\\r";
        break;
    default:
        if (cp > 0xFFFF)
            fmt::format_to(std::back_inserter(out), "\\U{:08X}", static_cast<std::uint32_t>(cp));
        else
            fmt::format_to(std::back_inserter(out), "\\u{:04X}", static_cast<std::uint32_t>(cp));
    }
}

} // namespace

std::string quote(std::string_view s) {
    const std::string clean = text::repair_utf8(s);
    std::string out;
    out.reserve(clean.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < clean.size();) {
        const CodePoint cp = decode_utf8(clean, i);
        if (cp.value == '"' || cp.value == '\\') {
            out += '\\';
            out += static_cast<char>(cp.value);
        } else if (needs_escape(cp.value)) {
            append_escape(out, cp.value);
        } else {
            out.append(clean, i, cp.size);
        }
        i += cp.size;
    }
    out += '"';
    return out;
}

} // namespace trend::draft::yaml
