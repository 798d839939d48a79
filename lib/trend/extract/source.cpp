// SPDX-License-Identifier: MIT
#include "trend/extract/source.hpp"

#include "trend/extract/dom.hpp"
#include "trend/util/charset.hpp"
#include "trend/util/text.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace trend::extract::detail {

namespace {

constexpr std::size_t k_max_attributes = 1000;
constexpr std::size_t k_prescan_bytes = 4096;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && text::istarts_with(a, b);
}

/** Position of the first case-insensitive occurrence of `needle` (lower case, starting with a
 *  character that has no case, such as '<') at or after `from`, or npos. */
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
    while (from + needle.size() <= hay.size()) {
        const void* hit = std::memchr(hay.data() + from, needle.front(), hay.size() - from);
        if (hit == nullptr)
            return std::string_view::npos;
        const auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - hay.data());
        if (at + needle.size() > hay.size())
            return std::string_view::npos;
        if (text::istarts_with(hay.substr(at), needle))
            return at;
        from = at + 1;
    }
    return std::string_view::npos;
}

/** A start or end tag as the HTML tokenizer would read it (quotes respected). */
struct Tag {
    std::string_view name; ///< as written
    std::size_t end = 0;   ///< just past '>'; 0 when the tag runs to the end of the input
    bool closing = false;  ///< "</name"
    bool self_closing = false;
    std::size_t attributes = 0;
};

/** Reads the tag at `at` (s[at] == '<', followed by a letter or "/letter"). Calls
 *  on_attribute(name, value) for each attribute. */
template <typename F>
Tag read_tag(std::string_view s, std::size_t at, F on_attribute) {
    Tag t;
    std::size_t i = at + 1;
    if (s[i] == '/') {
        t.closing = true;
        ++i;
    }
    const std::size_t name_begin = i;
    while (i < s.size() && !is_space(s[i]) && s[i] != '/' && s[i] != '>')
        ++i;
    t.name = s.substr(name_begin, i - name_begin);
    while (i < s.size()) {
        while (i < s.size() && (is_space(s[i]) || s[i] == '/')) {
            t.self_closing = s[i] == '/';
            ++i;
        }
        if (i >= s.size())
            break;
        if (s[i] == '>') {
            t.end = i + 1;
            return t;
        }
        t.self_closing = false;
        const std::size_t attr_begin = i++; // a leading '=' belongs to the name
        while (i < s.size() && !is_space(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=')
            ++i;
        const std::string_view attr_name = s.substr(attr_begin, i - attr_begin);
        std::size_t j = i;
        while (j < s.size() && is_space(s[j]))
            ++j;
        std::string_view value;
        if (j < s.size() && s[j] == '=') {
            ++j;
            while (j < s.size() && is_space(s[j]))
                ++j;
            if (j < s.size() && (s[j] == '"' || s[j] == '\'')) {
                const std::size_t close = s.find(s[j], j + 1);
                if (close == std::string_view::npos)
                    return t; // end of input inside a quoted value
                value = s.substr(j + 1, close - j - 1);
                j = close + 1;
            } else {
                const std::size_t v = j;
                while (j < s.size() && !is_space(s[j]) && s[j] != '>')
                    ++j;
                value = s.substr(v, j - v);
            }
            i = j;
        }
        ++t.attributes;
        on_attribute(attr_name, value);
    }
    return t;
}

bool starts_tag(std::string_view s, std::size_t at) {
    if (at + 1 >= s.size())
        return false;
    if (is_alpha(s[at + 1]))
        return true;
    return s[at + 1] == '/' && at + 2 < s.size() && is_alpha(s[at + 2]);
}

/** Where the comment starting at `at` ("<!--") ends: just past "-->", or the input's end. */
std::size_t comment_end(std::string_view s, std::size_t at) {
    const std::size_t body = at + 4;
    if (s.substr(body, 1) == ">")
        return body + 1;
    if (s.substr(body, 2) == "->")
        return body + 2;
    const std::size_t close = s.find("-->", body);
    return close == std::string_view::npos ? s.size() : close + 3;
}

/** Where the raw text of element `name` starting at `from` ends: at its "</name" end tag
 *  (followed by space, '/' or '>'), or the input's end. */
std::size_t raw_text_end(std::string_view s, std::string_view name, std::size_t from) {
    std::string needle = "</";
    needle += text::ascii_lower(name);
    while (true) {
        const std::size_t at = ifind(s, needle, from);
        if (at == std::string_view::npos)
            return s.size();
        const std::size_t after = at + needle.size();
        if (after >= s.size() || is_space(s[after]) || s[after] == '/' || s[after] == '>')
            return at;
        from = at + 1;
    }
}

/** Where an <svg> element whose content starts at `from` ends, counting nested <svg>s. */
std::size_t svg_end(std::string_view s, std::size_t from) {
    int depth = 1;
    while (true) {
        const std::size_t close = raw_text_end(s, "svg", from);
        std::size_t open = ifind(s.substr(0, close), "<svg", from);
        while (open != std::string_view::npos) {
            ++depth;
            open = ifind(s.substr(0, close), "<svg", open + 4);
        }
        if (close >= s.size() || --depth == 0)
            return close;
        from = close + 5;
    }
}

GumboTag tag_of(std::string_view name) {
    if (name.empty() || name.size() > 16)
        return GUMBO_TAG_UNKNOWN;
    return gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size()));
}

bool is_void(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_IMAGE:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_WBR:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_ISINDEX:
    // These never nest: the parser merges repeated ones into the first.
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_FRAMESET:
        return true;
    default:
        return false;
    }
}

bool is_scope_boundary(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_MARQUEE:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_TEMPLATE:
        return true;
    default:
        return false;
    }
}

bool is_heading(GumboTag t) {
    return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6;
}

std::uint32_t name_hash(std::string_view name) {
    std::uint32_t h = 2166136261u;
    for (const char c : name)
        h = (h ^ static_cast<unsigned char>(lower(c))) * 16777619u;
    return h;
}

/**
 * An approximation of the HTML parser's stack of open elements: enough to bound how deep
 * the real parser will nest (its cost grows with depth × elements), with the implied end
 * tags of p, li, dd/dt, table rows and cells, options and headings, so that sloppy but
 * ordinary markup does not look deep.
 */
class OpenElements {
    struct Entry {
        GumboTag tag;
        std::uint32_t hash;
    };
    std::vector<Entry> m_stack;

    static constexpr std::size_t k_search = 64; ///< how far down an end tag looks

    /** Pops down to (and including) the topmost `tag` above any of `stop`, if there is one. */
    template <typename Stop>
    void close(GumboTag tag, Stop stop) {
        for (std::size_t i = m_stack.size(); i-- > 0;) {
            if (m_stack[i].tag == tag) {
                m_stack.resize(i);
                return;
            }
            if (stop(m_stack[i].tag) || m_stack.size() - i > k_search)
                return;
        }
    }

public:
    [[nodiscard]] std::size_t depth() const { return m_stack.size(); }

    void start(GumboTag tag, std::string_view name) {
        if (closes_paragraph(tag))
            close(GUMBO_TAG_P, is_scope_boundary);
        switch (tag) {
        case GUMBO_TAG_LI:
            close(GUMBO_TAG_LI, [](GumboTag t) {
                return t == GUMBO_TAG_UL || t == GUMBO_TAG_OL || is_scope_boundary(t);
            });
            break;
        case GUMBO_TAG_DD:
        case GUMBO_TAG_DT: {
            const auto stop = [](GumboTag t) { return t == GUMBO_TAG_DL || is_scope_boundary(t); };
            close(GUMBO_TAG_DD, stop);
            close(GUMBO_TAG_DT, stop);
            break;
        }
        case GUMBO_TAG_TR:
            close(GUMBO_TAG_TR, [](GumboTag t) { return t == GUMBO_TAG_TABLE; });
            break;
        case GUMBO_TAG_TD:
        case GUMBO_TAG_TH: {
            const auto stop = [](GumboTag t) { return t == GUMBO_TAG_TR || t == GUMBO_TAG_TABLE; };
            close(GUMBO_TAG_TD, stop);
            close(GUMBO_TAG_TH, stop);
            break;
        }
        case GUMBO_TAG_THEAD:
        case GUMBO_TAG_TBODY:
        case GUMBO_TAG_TFOOT: {
            const auto stop = [](GumboTag t) { return t == GUMBO_TAG_TABLE; };
            close(GUMBO_TAG_THEAD, stop);
            close(GUMBO_TAG_TBODY, stop);
            close(GUMBO_TAG_TFOOT, stop);
            break;
        }
        case GUMBO_TAG_OPTION:
        case GUMBO_TAG_OPTGROUP:
            if (!m_stack.empty() && m_stack.back().tag == GUMBO_TAG_OPTION)
                m_stack.pop_back();
            break;
        case GUMBO_TAG_A: // an <a> right in an <a> closes it; one under <b><i> is reopened
            if (!m_stack.empty() && m_stack.back().tag == GUMBO_TAG_A)
                m_stack.pop_back();
            break;
        default:
            if (is_heading(tag) && !m_stack.empty() && is_heading(m_stack.back().tag))
                m_stack.pop_back();
            break;
        }
        m_stack.push_back({tag, name_hash(name)});
    }

    void end(std::string_view name) {
        const std::uint32_t h = name_hash(name);
        for (std::size_t i = m_stack.size(); i-- > 0 && m_stack.size() - i <= k_search;) {
            if (m_stack[i].hash == h) {
                m_stack.resize(i);
                return;
            }
        }
    }
};

enum class Cap { none, elements, depth, attributes };

/** The cleaning pass (Source::html), with the caps. */
class Cleaner {
    std::string_view m_in;
    std::string m_out;
    OpenElements m_open;
    std::size_t m_elements = 0;
    Cap m_cap = Cap::none;

    /** Handles the start tag `t` at `at`; returns where scanning continues. */
    std::size_t start_tag(std::size_t at, const Tag& t, bool json_ld) {
        const GumboTag tag = tag_of(t.name);
        if (++m_elements > k_max_elements) {
            m_cap = Cap::elements;
            return m_in.size();
        }
        if (t.attributes > k_max_attributes) {
            m_cap = Cap::attributes;
            return m_in.size();
        }
        m_out.append(m_in.substr(at, t.end - at));
        if (!is_void(tag) && !(t.self_closing && tag == GUMBO_TAG_UNKNOWN)) {
            m_open.start(tag, t.name);
            if (m_open.depth() > k_max_depth) {
                m_cap = Cap::depth;
                return m_in.size();
            }
        }
        switch (tag) {
        case GUMBO_TAG_SCRIPT: {
            const std::size_t end = raw_text_end(m_in, "script", t.end);
            if (json_ld)
                m_out.append(m_in.substr(t.end, end - t.end));
            return end;
        }
        case GUMBO_TAG_STYLE:
            return raw_text_end(m_in, "style", t.end);
        case GUMBO_TAG_SVG:
            return t.self_closing ? t.end : svg_end(m_in, t.end);
        case GUMBO_TAG_TITLE:
        case GUMBO_TAG_TEXTAREA:
        case GUMBO_TAG_XMP:
        case GUMBO_TAG_IFRAME:
        case GUMBO_TAG_NOEMBED:
        case GUMBO_TAG_NOFRAMES: {
            const std::size_t end = raw_text_end(m_in, t.name, t.end);
            m_out.append(m_in.substr(t.end, end - t.end));
            return end;
        }
        case GUMBO_TAG_PLAINTEXT:
            m_out.append(m_in.substr(t.end));
            return m_in.size();
        default:
            return t.end;
        }
    }

public:
    explicit Cleaner(std::string_view in) : m_in(in) { m_out.reserve(in.size() / 2); }

    [[nodiscard]] Cap run() {
        std::size_t i = 0;
        while (i < m_in.size() && m_cap == Cap::none) {
            const void* lt = std::memchr(m_in.data() + i, '<', m_in.size() - i);
            if (lt == nullptr) {
                m_out.append(m_in.substr(i));
                break;
            }
            const auto at = static_cast<std::size_t>(static_cast<const char*>(lt) - m_in.data());
            m_out.append(m_in.substr(i, at - i));
            const std::string_view rest = m_in.substr(at);
            if (rest.starts_with("<!--")) {
                i = comment_end(m_in, at);
            } else if (rest.starts_with("<?")) { // a bogus comment
                const std::size_t gt = m_in.find('>', at);
                i = gt == std::string_view::npos ? m_in.size() : gt + 1;
            } else if (starts_tag(m_in, at)) {
                bool json_ld = false;
                const Tag t = read_tag(m_in, at, [&](std::string_view n, std::string_view v) {
                    if (iequals(n, "type") &&
                        text::ascii_lower(v).find("ld+json") != std::string::npos)
                        json_ld = true;
                });
                if (t.end == 0) // the input ends inside the tag: the parser drops it too
                    break;
                if (t.closing) {
                    m_open.end(t.name);
                    m_out.append(m_in.substr(at, t.end - at));
                    i = t.end;
                } else {
                    i = start_tag(at, t, json_ld);
                }
            } else {
                m_out += '<';
                i = at + 1;
            }
        }
        return m_cap;
    }

    [[nodiscard]] std::string take() { return std::move(m_out); }
};

std::string media_type(std::string_view content_type) {
    const std::size_t semi = content_type.find(';');
    std::string_view m = content_type.substr(0, semi);
    while (!m.empty() && is_space(m.front()))
        m.remove_prefix(1);
    while (!m.empty() && is_space(m.back()))
        m.remove_suffix(1);
    return text::ascii_lower(m);
}

bool has_markup(std::string_view head) {
    static constexpr std::array<std::string_view, 9> k_markers = {
        "<!doctype html", "<html", "<head", "<body", "<title", "<meta", "<p", "<div", "<br"};
    return std::any_of(k_markers.begin(), k_markers.end(), [&](std::string_view m) {
        return ifind(head, m, 0) != std::string_view::npos;
    });
}

/** Why `body` is not an HTML page, or "" when it may be one. */
std::string not_html_reason(std::string_view body, std::string_view content_type) {
    const std::string type = media_type(content_type);
    const bool declared_html = type == "text/html" || type == "application/xhtml+xml";
    const bool ambiguous = type.empty() || type == "text/plain" ||
                           type == "application/octet-stream" || type == "application/xml" ||
                           type == "text/xml" || type == "binary/octet-stream";
    if (!declared_html && !ambiguous)
        return "Content-Type " + type + " is not HTML";
    std::string_view head = body.substr(0, 1024);
    if (text::bom_of(head))
        head.remove_prefix(text::bom_of(head)->length);
    const bool utf16 = text::bom_of(body) && text::bom_of(body)->charset != "UTF-8";
    std::string_view start = head;
    while (!start.empty() && is_space(start.front()))
        start.remove_prefix(1);
    if (start.starts_with("%PDF-"))
        return "the body is a PDF document";
    if (start.starts_with("\x89PNG") || start.starts_with("GIF8") ||
        start.starts_with("\xFF\xD8\xFF") || start.starts_with("PK\x03\x04") ||
        start.starts_with("\x1F\x8B") || (!utf16 && head.find('\0') != std::string_view::npos))
        return "the body is binary data";
    if (declared_html || utf16)
        return {};
    const std::string_view sniff = body.substr(0, k_prescan_bytes);
    if (start.starts_with("{") || start.starts_with("["))
        return "the body is JSON";
    if (has_markup(sniff))
        return {};
    if (start.starts_with("<?xml") || start.starts_with("<rss") || start.starts_with("<feed"))
        return "the body is an XML document, not HTML";
    return type.empty() ? "the body has no HTML markup"
                        : "Content-Type " + type + " and the body has no HTML markup";
}

/** UTF-8 text: a view of the body itself when it is valid UTF-8, else a converted copy. */
struct Decoded {
    std::string storage;
    std::string_view body; ///< when not converted
    std::string charset;
    bool owned = false;
    [[nodiscard]] std::string_view text() const { return owned ? storage : body; }
};

Decoded converted(std::string utf8, std::string charset) {
    return {std::move(utf8), {}, std::move(charset), true};
}

Decoded decode(std::string_view body, std::string_view content_type) {
    if (const auto bom = text::bom_of(body)) {
        const std::string charset = text::ascii_lower(bom->charset);
        const std::string_view rest = body.substr(bom->length);
        if (auto utf8 = text::to_utf8(rest, charset))
            return converted(std::move(*utf8), charset);
        return converted(text::repair_utf8(rest), "utf-8");
    }
    bool multibyte = false;
    const bool valid = valid_utf8(body, multibyte);
    if (valid && multibyte)
        return {{}, body, "utf-8"};
    std::string declared = text::charset_of_content_type(content_type);
    if (declared.empty())
        declared = meta_charset(body);
    // A declared UTF-16 without a BOM is a mislabelled ASCII-compatible page (WHATWG).
    if (declared.starts_with("utf-16") || declared == "unicode")
        declared = "utf-8";
    if (!declared.empty() && declared != "utf-8")
        if (auto utf8 = text::to_utf8(body, declared))
            return converted(std::move(*utf8), declared);
    if (valid)
        return {{}, body, "utf-8"};
    if (declared == "utf-8") // declared, but invalid: repaired, as browsers do
        return converted(text::repair_utf8(body), "utf-8");
    return converted(text::to_utf8(body, "windows-1252").value_or(text::repair_utf8(body)),
                     "windows-1252");
}

} // namespace

bool valid_utf8(std::string_view bytes, bool& multibyte) noexcept {
    multibyte = false;
    const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    std::size_t i = 0;
    while (i < n) {
        // Eight ASCII bytes at a time.
        if (i + 8 <= n) {
            std::uint64_t w = 0;
            std::memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char b = s[i];
        if (b < 0x80) {
            ++i;
            continue;
        }
        multibyte = true;
        std::size_t need = 0;
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            need = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            need = 2;
            lo = b == 0xE0 ? 0xA0 : 0x80;
            hi = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
            need = 3;
            lo = b == 0xF0 ? 0x90 : 0x80;
            hi = b == 0xF4 ? 0x8F : 0xBF;
        } else {
            return false;
        }
        if (i + need >= n)
            return false;
        for (std::size_t k = 1; k <= need; ++k) {
            if (s[i + k] < lo || s[i + k] > hi)
                return false;
            lo = 0x80;
            hi = 0xBF;
        }
        i += need + 1;
    }
    return true;
}

std::string meta_charset(std::string_view bytes) {
    const std::string_view s = bytes.substr(0, k_prescan_bytes);
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t lt = s.find('<', i);
        if (lt == std::string_view::npos)
            break;
        if (s.substr(lt).starts_with("<!--")) {
            i = comment_end(s, lt);
            continue;
        }
        if (!starts_tag(s, lt)) {
            i = lt + 1;
            continue;
        }
        std::string charset;
        std::string content;
        bool http_equiv = false;
        const Tag t = read_tag(s, lt, [&](std::string_view n, std::string_view v) {
            if (iequals(n, "charset"))
                charset = text::ascii_lower(v);
            else if (iequals(n, "content"))
                content = v;
            else if (iequals(n, "http-equiv"))
                http_equiv = iequals(v, "content-type");
        });
        if (t.end == 0)
            break;
        if (!t.closing && iequals(t.name, "meta")) {
            if (!charset.empty())
                return text::charset_of_content_type("; charset=" + charset);
            if (http_equiv) {
                std::string from_content = text::charset_of_content_type(content);
                if (!from_content.empty())
                    return from_content;
            }
        }
        i = t.end;
    }
    return {};
}

std::variant<Source, Refusal> prepare(std::string_view body, std::string_view content_type) {
    if (body.empty())
        return Refusal{Outcome::malformed, "the body is empty"};
    if (body.size() > k_max_body_bytes)
        return Refusal{Outcome::malformed, "the body is larger than " +
                                               std::to_string(k_max_body_bytes >> 20) + " MiB"};
    if (std::string reason = not_html_reason(body, content_type); !reason.empty())
        return Refusal{Outcome::not_html, std::move(reason)};
    Decoded decoded = decode(body, content_type);
    Cleaner cleaner(decoded.text());
    switch (cleaner.run()) {
    case Cap::elements:
        return Refusal{Outcome::malformed,
                       "the page has more than " + std::to_string(k_max_elements) + " elements"};
    case Cap::depth:
        return Refusal{Outcome::malformed, "the page nests elements deeper than " +
                                               std::to_string(k_max_depth) + " levels"};
    case Cap::attributes:
        return Refusal{Outcome::malformed,
                       "a tag has more than " + std::to_string(k_max_attributes) + " attributes"};
    case Cap::none:
        break;
    }
    return Source{cleaner.take(), std::move(decoded.charset)};
}

} // namespace trend::extract::detail
