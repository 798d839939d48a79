// SPDX-License-Identifier: MIT
#include "trend/util/html_text.hpp"

#include "trend/util/text.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <vector>

namespace trend::text {

namespace {

constexpr std::size_t k_max_html_bytes = 64 * 1024;
// gumbo's tree building costs about (tags x nesting depth); hostile input nests deeply.
constexpr std::size_t k_max_depth = 256;

bool is_void_element(std::string_view name) {
    static constexpr std::array<std::string_view, 14> k_void{
        "area",  "base", "br",   "col",   "embed",  "hr",    "img",
        "input", "link", "meta", "param", "source", "track", "wbr"};
    return std::find(k_void.begin(), k_void.end(), name) != k_void.end();
}

/** How much of `html` keeps the nesting (estimated from start and end tags, without
 *  parsing) within k_max_depth. */
std::size_t shallow_prefix(std::string_view html) {
    std::size_t depth = 0;
    for (std::size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
        if (i + 1 >= html.size())
            break;
        const char next = html[i + 1];
        if (next == '/') {
            depth -= depth > 0 ? 1 : 0;
            continue;
        }
        if (!((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')))
            continue;
        std::size_t end = i + 1;
        while (end < html.size() && std::isalnum(static_cast<unsigned char>(html[end])))
            ++end;
        // "<span/>" opens a span in HTML: only void elements never nest.
        if (is_void_element(ascii_lower(html.substr(i + 1, end - i - 1))))
            continue;
        if (++depth > k_max_depth)
            return i;
    }
    return html.size();
}

bool is_hidden(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_SELECT:
        return true;
    default:
        return false;
    }
}

// Elements whose edges separate words: "<p>a</p><p>b</p>" is "a b", "un<b>til</b>" is "until".
bool is_break(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_BR:
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
        return true;
    default:
        return false;
    }
}

struct Output {
    const GumboOptions* options;
    GumboOutput* output;
    Output(const GumboOptions* o, std::string_view html)
        : options(o), output(gumbo_parse_with_options(o, html.data(), html.size())) {}
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;
    ~Output() {
        if (output != nullptr)
            gumbo_destroy_output(options, output);
    }
};

// Tracking pixels are declared 0 or 1 pixel wide or high.
bool is_tracker(const GumboElement& img) {
    for (const char* dimension : {"width", "height"}) {
        const GumboAttribute* a = gumbo_get_attribute(&img.attributes, dimension);
        if (a != nullptr) {
            const std::string_view v = a->value;
            if (v == "0" || v == "1" || v == "0px" || v == "1px")
                return true;
        }
    }
    return false;
}

// One space between blocks, however many end or start there: empty blocks cost nothing.
void separate(std::string& raw, std::size_t budget) {
    if (!raw.empty() && raw.back() != ' ' && raw.size() <= budget)
        raw += ' ';
}

/** Walks the tree without recursion: gumbo builds arbitrarily deep trees from hostile input. */
void collect(const GumboNode* root, std::size_t budget, HtmlText& out, std::string& raw) {
    std::vector<const GumboNode*> stack{root};
    while (!stack.empty()) {
        const GumboNode* node = stack.back();
        stack.pop_back();
        if (node == nullptr) { // the end of a block element
            separate(raw, budget);
            continue;
        }
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
            node->type == GUMBO_NODE_CDATA) {
            if (raw.size() <= budget)
                raw += node->v.text.text;
            if (raw.size() > budget) {
                out.truncated = true;
                if (!out.first_image.empty())
                    return; // the rest could only add text, which is full
            }
            continue;
        }
        if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE &&
            node->type != GUMBO_NODE_DOCUMENT)
            continue;
        const GumboVector* children = node->type == GUMBO_NODE_DOCUMENT ? &node->v.document.children
                                                                        : &node->v.element.children;
        if (node->type != GUMBO_NODE_DOCUMENT) {
            const GumboElement& e = node->v.element;
            if (is_hidden(e.tag))
                continue;
            if (e.tag == GUMBO_TAG_IMG && out.first_image.empty() && !is_tracker(e))
                if (const GumboAttribute* src = gumbo_get_attribute(&e.attributes, "src"))
                    out.first_image = src->value;
            if (is_break(e.tag)) {
                separate(raw, budget);
                stack.push_back(nullptr);
            }
        }
        for (unsigned i = children->length; i > 0; --i)
            stack.push_back(static_cast<const GumboNode*>(children->data[i - 1]));
    }
}

} // namespace

HtmlText html_to_text(std::string_view html, std::size_t max_bytes) {
    HtmlText out;
    std::string input = repair_utf8(utf8_prefix(html, k_max_html_bytes));
    out.truncated = html.size() > k_max_html_bytes;
    if (const std::size_t keep = shallow_prefix(input); keep < input.size()) {
        input.resize(keep);
        out.truncated = true;
    }
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0; // errors are not wanted, only the tree
    options.fragment_context = GUMBO_TAG_DIV;
    const Output parsed{&options, input};
    if (parsed.output == nullptr)
        return out;
    std::string raw;
    // Collapsing white space only shrinks the text, so a few times the wanted size suffices.
    collect(parsed.output->root, max_bytes * 4 + 64, out, raw);
    out.text = collapse_whitespace(repair_utf8(raw));
    if (out.text.size() > max_bytes) {
        out.text.resize(utf8_prefix(out.text, max_bytes).size());
        while (!out.text.empty() && out.text.back() == ' ')
            out.text.pop_back();
        out.truncated = true;
    }
    return out;
}

bool looks_like_html(std::string_view s) {
    for (std::size_t i = s.find_first_of("<&"); i != std::string_view::npos;
         i = s.find_first_of("<&", i + 1)) {
        const std::string_view rest = s.substr(i + 1);
        if (rest.empty())
            break;
        const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
        if (s[i] == '<') {
            if (alpha(rest[0]) || rest[0] == '/' || rest[0] == '!')
                return true;
            continue;
        }
        // A reference: &name; &#123; &#x1F;
        std::size_t n = 0;
        if (rest[0] == '#') {
            n = 1;
            if (n < rest.size() && (rest[n] == 'x' || rest[n] == 'X'))
                ++n;
        }
        const std::size_t start = n;
        while (n < rest.size() && n < 40 && (alpha(rest[n]) || (rest[n] >= '0' && rest[n] <= '9')))
            ++n;
        if (n > start && n < rest.size() && rest[n] == ';')
            return true;
    }
    return false;
}

} // namespace trend::text
