// SPDX-License-Identifier: MIT
#include "trend/draft/markdown.hpp"

#include "trend/draft/scan.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace trend::draft::markdown {

namespace {

constexpr std::size_t k_max_url_bytes = 2048;
constexpr std::size_t k_max_link_text_bytes = 2048; // bounds the search for a link's '['
constexpr std::string_view k_always_escaped = "\\`*_{}[]()|~";

// Embedding, override and isolate controls and the direction marks: they reorder what an editor
// sees (CVE-2021-42574, "Trojan Source").
bool is_bidi_control(char32_t cp) {
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

bool is_ascii_punct(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/** True when s[i] == '&' starts what a renderer would read as a character reference. */
bool starts_entity(std::string_view s, std::size_t i) {
    std::size_t k = i + 1;
    const std::size_t limit = std::min(s.size(), i + 40);
    if (k < limit && s[k] == '#') {
        ++k;
        const bool hex = k < limit && (s[k] == 'x' || s[k] == 'X');
        k += hex ? 1 : 0;
        const std::size_t digits = k;
        while (k < limit && (hex ? is_hex(s[k]) : (s[k] >= '0' && s[k] <= '9')))
            ++k;
        return k > digits && k < limit && s[k] == ';';
    }
    const std::size_t name = k;
    while (k < limit && is_ascii_alnum(s[k]))
        ++k;
    return k > name && k < limit && s[k] == ';';
}

/** Valid UTF-8 without bidi controls, with every line break made a space when `one_line`. */
std::string clean(std::string_view s, bool one_line) {
    const std::string repaired = text::repair_utf8(s);
    std::string out;
    out.reserve(repaired.size());
    for (std::size_t i = 0; i < repaired.size();) {
        const CodePoint cp = decode_utf8(repaired, i);
        if (one_line && (cp.value == '\n' || cp.value == '\r' || cp.value == '\t' ||
                         cp.value == 0x2028 || cp.value == 0x2029 || cp.value == 0x85))
            out += ' ';
        else if (!is_bidi_control(cp.value))
            out.append(repaired, i, cp.size);
        i += cp.size;
    }
    return out;
}

bool url_byte_is_safe(char c) {
    constexpr std::string_view k_allowed = "-._~:/?#[]@!$&'*+,;=";
    return is_ascii_alnum(c) || k_allowed.find(c) != std::string_view::npos;
}

/** True when out[k] is preceded by an odd number of backslashes. */
bool is_escaped(std::string_view out, std::size_t k) {
    std::size_t n = 0;
    while (k > n && out[k - n - 1] == '\\')
        ++n;
    return n % 2 == 1;
}

/** The index of the '[' that opens the link text ending at the end of `out`, if any. */
std::optional<std::size_t> link_opener(std::string_view out) {
    const std::size_t floor =
        out.size() > k_max_link_text_bytes ? out.size() - k_max_link_text_bytes : 0;
    int depth = 0;
    for (std::size_t k = out.size(); k > floor;) {
        --k;
        if ((out[k] != '[' && out[k] != ']') || is_escaped(out, k))
            continue;
        if (out[k] == ']')
            ++depth;
        else if (depth-- == 0)
            return k;
    }
    return std::nullopt;
}

/** Skips spaces and tabs and at most one line break. */
std::size_t skip_link_space(std::string_view s, std::size_t j) {
    bool newline = false;
    while (j < s.size() && (s[j] == ' ' || s[j] == '\t' || (s[j] == '\n' && !newline))) {
        newline = newline || s[j] == '\n';
        ++j;
    }
    return j;
}

struct Target {
    std::string destination; ///< backslash escapes removed
    std::size_t end = 0;     ///< just past the closing ')'
};

/** Reads "(destination "title")" after a link's "]", starting at the '('. */
std::optional<Target> link_target(std::string_view s, std::size_t open) {
    std::size_t j = skip_link_space(s, open + 1);
    Target t;
    int depth = 0;
    const std::size_t limit = std::min(s.size(), j + k_max_url_bytes);
    for (; j < limit; ++j) {
        const char c = s[j];
        if (c == '\\' && j + 1 < limit && is_ascii_punct(s[j + 1])) {
            t.destination += s[++j];
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c == ')' && depth == 0))
            break;
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        t.destination += c;
    }
    j = skip_link_space(s, j);
    if (j < s.size() && (s[j] == '"' || s[j] == '\'' || s[j] == '(')) {
        const char close = s[j] == '(' ? ')' : s[j];
        const std::size_t title_limit = std::min(s.size(), j + k_max_url_bytes);
        for (++j; j < title_limit && s[j] != close; ++j)
            j += s[j] == '\\' ? 1 : 0; // an escaped quote does not end the title
        if (j >= title_limit)
            return std::nullopt;
        j = skip_link_space(s, j + 1);
    }
    if (j >= s.size() || s[j] != ')')
        return std::nullopt;
    t.end = j + 1;
    return t;
}

/** Inline links and images keep http(s) destinations only; any other "](" is broken up. */
std::string rewrite_links(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '(' && !out.empty() && out.back() == ']' && !is_escaped(out, out.size() - 1)) {
            out += "\\("; // a "](" that this loop did not check, e.g. after a refused link
            ++i;
            continue;
        }
        if (!(s[i] == ']' && i + 1 < s.size() && s[i + 1] == '(') || is_escaped(s, i)) {
            out += s[i++];
            continue;
        }
        const auto opener = link_opener(out);
        const auto target = opener ? link_target(s, i + 1) : std::nullopt;
        if (!target) {
            out += "]\\(";
            i += 2;
            continue;
        }
        const bool image = *opener > 0 && out[*opener - 1] == '!' && !is_escaped(out, *opener - 1);
        const std::string label = out.substr(*opener + 1);
        out.resize(*opener - (image ? 1 : 0));
        if (const auto safe = url(target->destination)) {
            out += fmt::format("{}[{}]({})", image ? "!" : "", label, *safe);
        } else {
            // The text alone, and it must not start a "](" with what came before it.
            if (label.starts_with('(') && !out.empty() && out.back() == ']' &&
                !is_escaped(out, out.size() - 1))
                out += '\\';
            out += label;
        }
        i = target->end;
    }
    return out;
}

/** The first ']' after line[k] that no backslash escapes, or npos. */
std::size_t unescaped_close(std::string_view line, std::size_t k) {
    for (std::size_t j = k + 1; j < line.size(); ++j) {
        if (line[j] == '\\')
            ++j;
        else if (line[j] == ']')
            return j;
    }
    return std::string_view::npos;
}

/** Where a line's content starts, generously: past anything that could be indentation, a
 *  blockquote marker or a list marker. */
std::size_t content_start(std::string_view line) {
    return std::min(line.size(), line.find_first_not_of(" \t>-*+0123456789.)"));
}

/** "[label]: url" lines (reference definitions, possibly inside a quote or list, or with the
 *  label running on to the next line) lose their power: their '[' is escaped. */
std::string neutralise_definitions(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    std::size_t start = 0;
    while (start <= s.size()) {
        const std::size_t nl = s.find('\n', start);
        const std::string_view line =
            s.substr(start, nl == std::string_view::npos ? nl : nl - start);
        const std::size_t k = content_start(line);
        if (k < line.size() && line[k] == '[') {
            const std::size_t close = unescaped_close(line, k);
            const bool definition = close == std::string_view::npos ||
                                    (close + 1 < line.size() && line[close + 1] == ':');
            out.append(line.substr(0, k));
            out += definition ? "\\[" : "[";
            out.append(line.substr(k + 1));
        } else {
            out.append(line);
        }
        if (nl == std::string_view::npos)
            break;
        out += '\n';
        start = nl + 1;
    }
    return out;
}

} // namespace

std::string text(std::string_view s) {
    const std::string in = clean(s, true);
    std::string out;
    out.reserve(in.size() + in.size() / 8);
    enum { leading_space, leading_digits, other } state = leading_space;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        const bool at_start = state == leading_space;
        if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '&')
            out += starts_entity(in, i) ? "&amp;" : "&";
        else if (k_always_escaped.find(c) != std::string_view::npos ||
                 (at_start && (c == '#' || c == '-' || c == '+' || c == '=')) ||
                 (state == leading_digits && c == '.' && (i + 1 == in.size() || in[i + 1] == ' ')))
            (out += '\\') += c;
        else
            out += c;
        if (c >= '0' && c <= '9')
            state = state == other ? other : leading_digits;
        else if (!(c == ' ' && at_start))
            state = other;
    }
    return out;
}

std::optional<std::string> url(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
        s.remove_suffix(1);
    if (s.size() > k_max_url_bytes)
        return std::nullopt;
    const std::size_t scheme = text::istarts_with(s, "https://")  ? 8
                               : text::istarts_with(s, "http://") ? 7
                                                                  : 0;
    if (scheme == 0 || s.size() == scheme || std::string_view("/?#\\@").find(s[scheme]) != s.npos)
        return std::nullopt;
    std::string out = scheme == 8 ? "https://" : "http://";
    for (std::size_t i = scheme; i < s.size(); ++i) {
        const char c = s[i];
        if (url_byte_is_safe(c) ||
            (c == '%' && i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])))
            out += c;
        else
            fmt::format_to(std::back_inserter(out), "%{:02X}", static_cast<unsigned char>(c));
    }
    if (out.size() > k_max_url_bytes) // the cap is on what a draft holds (found by fuzz_markdown)
        return std::nullopt;
    return out;
}

std::string link(std::string_view link_text, std::string_view target) {
    const auto safe = url(target);
    std::string label = text(link_text);
    if (!safe)
        return label;
    if (label.empty())
        label = text(*safe);
    return fmt::format("[{}]({})", label, *safe);
}

std::string heading(int level, std::string_view s) {
    return fmt::format("{} {}", std::string(std::clamp(level, 1, 6), '#'), text(s));
}

std::string sanitize(std::string_view markdown) {
    const std::string in = clean(markdown, false);
    std::string no_html;
    no_html.reserve(in.size() + 64);
    for (const char c : in) {
        if (c == '<')
            no_html += "&lt;";
        else if (c != '\r')
            no_html += c;
    }
    return neutralise_definitions(rewrite_links(no_html));
}

std::string front_matter_text(std::string_view s) {
    const std::string in = clean(s, true);
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '<')
            out += "\u2039";
        else if (c == '>')
            out += "\u203A";
        else if (c == ']' && i + 1 < in.size() && in[i + 1] == '(')
            out += "] "; // for themes that render titles as Markdown ("markdownify")
        else
            out += c;
    }
    return out;
}

std::string unescape(std::string_view markdown) {
    static constexpr std::pair<std::string_view, char> k_entities[] = {
        {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''}};
    std::string out;
    out.reserve(markdown.size());
    for (std::size_t i = 0; i < markdown.size(); ++i) {
        const char c = markdown[i];
        if (c == '\\' && i + 1 < markdown.size() && is_ascii_punct(markdown[i + 1])) {
            out += markdown[++i];
            continue;
        }
        if (c == '&') {
            const auto it =
                std::find_if(std::begin(k_entities), std::end(k_entities), [&](const auto& e) {
                    return markdown.substr(i).starts_with(e.first);
                });
            if (it != std::end(k_entities)) {
                out += it->second;
                i += it->first.size() - 1;
                continue;
            }
        }
        out += c;
    }
    return out;
}

} // namespace trend::draft::markdown
