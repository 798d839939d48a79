// SPDX-License-Identifier: MIT
#include "trend/extract/dom.hpp"

#include <array>
#include <cstring>
#include <new>
#include <string>

namespace trend::extract::detail {

namespace {

const GumboOptions& options() {
    static const GumboOptions opts = [] {
        GumboOptions o = kGumboDefaultOptions;
        o.max_errors = 0; // never read; recording them costs time and memory
        return o;
    }();
    return opts;
}

// Readability's class/id regular expressions, as substrings of the lower-cased attribute,
// plus our own boilerplate, paywall and consent words (hint::).
struct Pattern {
    std::string_view text;
    std::uint32_t bits;
};

constexpr std::uint32_t U = hint::unlikely;
constexpr std::uint32_t M = hint::maybe;
constexpr std::uint32_t P = hint::positive_class;
constexpr std::uint32_t N = hint::negative_class;
constexpr std::uint32_t B = hint::byline;
constexpr std::uint32_t X = hint::boilerplate;

constexpr std::array k_patterns = {
    Pattern{"-ad-", U | N},
    Pattern{"ai2html", U},
    Pattern{"banner", U | N},
    Pattern{"breadcrumbs", U},
    Pattern{"combx", U | N},
    Pattern{"comment", U | N},
    Pattern{"community", U},
    Pattern{"cover-wrap", U},
    Pattern{"disqus", U},
    Pattern{"extra", U},
    Pattern{"footer", U | N},
    Pattern{"gdpr", U | N},
    Pattern{"header", U},
    Pattern{"legends", U},
    Pattern{"menu", U},
    Pattern{"related", U | N},
    Pattern{"remark", U},
    Pattern{"replies", U},
    Pattern{"rss", U},
    Pattern{"shoutbox", U | N},
    Pattern{"sidebar", U | N},
    Pattern{"skyscraper", U | N},
    Pattern{"social", U},
    Pattern{"sponsor", U | N},
    Pattern{"supplemental", U},
    Pattern{"ad-break", U},
    Pattern{"agegate", U},
    Pattern{"pagination", U | P},
    Pattern{"pager", U},
    Pattern{"popup", U},
    Pattern{"yom-remote", U},
    Pattern{"and", M},
    Pattern{"article", M | P},
    Pattern{"body", M | P},
    Pattern{"column", M},
    Pattern{"content", M | P},
    Pattern{"main", M | P},
    Pattern{"mathjax", M},
    Pattern{"shadow", M},
    Pattern{"entry", P},
    Pattern{"hentry", P},
    Pattern{"h-entry", P},
    Pattern{"page", P},
    Pattern{"post", P},
    Pattern{"text", P},
    Pattern{"blog", P},
    Pattern{"story", P},
    Pattern{"hidden", N},
    Pattern{"com-", N},
    Pattern{"contact", N},
    Pattern{"masthead", N},
    Pattern{"media", N},
    Pattern{"meta", N},
    Pattern{"outbrain", N | X},
    Pattern{"promo", N},
    Pattern{"scroll", N},
    Pattern{"share", N},
    Pattern{"shopping", N},
    Pattern{"tags", N},
    Pattern{"widget", N},
    Pattern{"byline", B},
    Pattern{"author", B},
    Pattern{"dateline", B},
    Pattern{"writtenby", B},
    Pattern{"p-author", B},
    // Ours: boilerplate Readability leaves in.
    Pattern{"caption", X},
    Pattern{"newsletter", X},
    Pattern{"taboola", X},
    Pattern{"recirc", X},
    Pattern{"most-popular", X},
    Pattern{"mostpopular", X},
    Pattern{"most-read", X},
    Pattern{"more-stories", X},
    Pattern{"signup", X},
    Pattern{"sign-up", X},
    Pattern{"paywall", hint::paywall},
    Pattern{"subscriber-only", hint::paywall},
    Pattern{"subscribers-only", hint::paywall},
    Pattern{"premium-content", hint::paywall},
    Pattern{"metered", hint::paywall},
    Pattern{"regwall", hint::paywall},
    Pattern{"cookie", hint::consent},
    Pattern{"consent", hint::consent},
    Pattern{"gdpr", hint::consent},
    Pattern{"fallback-image", hint::fallback_image},
};

/** k_patterns by first letter, for one pass over the attribute. */
const std::array<std::vector<std::uint8_t>, 128>& patterns_by_letter() {
    static const auto table = [] {
        std::array<std::vector<std::uint8_t>, 128> t;
        for (std::size_t i = 0; i < k_patterns.size(); ++i)
            t[static_cast<unsigned char>(k_patterns[i].text[0])].push_back(
                static_cast<std::uint8_t>(i));
        return t;
    }();
    return table;
}

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/** Readability's shareElements: "share" or "sharedaddy" between word boundaries or '_'. */
bool is_share_word(std::string_view s, std::size_t at, std::size_t len) {
    const bool before = at == 0 || !is_word_char(s[at - 1]) || s[at - 1] == '_';
    const bool after = at + len >= s.size() || !is_word_char(s[at + len]) || s[at + len] == '_';
    return before && after;
}

/** Tokens of a class list split at anything but letters and digits: "nav", "ad"... */
std::uint32_t token_hints(std::string_view s) {
    std::uint32_t bits = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
            ++i;
        const std::size_t b = i;
        while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
            ++i;
        const std::string_view token = s.substr(b, i - b);
        if (token == "ad" || token == "ads" || token == "advert" || token == "advertisement" ||
            token == "nav" || token == "navbar" || token == "navigation" || token == "promo" ||
            token == "sponsored" || token == "related")
            bits |= hint::boilerplate;
    }
    return bits;
}

/** Readability's "^hid$| hid$| hid |^hid ": "hid" as a space-separated class. */
bool has_hid_class(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t sp = s.find(' ', i);
        const std::string_view token = s.substr(i, sp == std::string_view::npos ? sp : sp - i);
        if (token == "hid")
            return true;
        if (sp == std::string_view::npos)
            break;
        i = sp + 1;
    }
    return false;
}

std::uint32_t scan(std::string_view attr, bool is_class) {
    if (attr.empty())
        return 0;
    std::string s(attr);
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    const auto& table = patterns_by_letter();
    std::uint32_t bits = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 128)
            continue;
        for (const std::uint8_t p : table[c]) {
            const Pattern& pat = k_patterns[p];
            if (s.compare(i, pat.text.size(), pat.text) != 0)
                continue;
            bits |= pat.bits;
            if (pat.text == "share" &&
                (is_share_word(s, i, 5) ||
                 (s.compare(i, 10, "sharedaddy") == 0 && is_share_word(s, i, 10))))
                bits |= hint::share;
        }
    }
    if (has_hid_class(s))
        bits |= hint::negative_class;
    bits |= token_hints(s);
    if (!is_class) { // the same words, counted for the id
        if (bits & hint::negative_class)
            bits = (bits & ~hint::negative_class) | hint::negative_id;
        if (bits & hint::positive_class)
            bits = (bits & ~hint::positive_class) | hint::positive_id;
    }
    return bits;
}

bool is_space_byte(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::string_view attribute(const GumboElement* e, const char* name) {
    if (e == nullptr)
        return {};
    const GumboAttribute* a = gumbo_get_attribute(&e->attributes, name);
    return a != nullptr && a->value != nullptr ? std::string_view(a->value) : std::string_view{};
}

bool hides(std::string_view style) {
    std::string s;
    s.reserve(style.size());
    for (const char c : style)
        if (!is_space_byte(static_cast<unsigned char>(c)))
            s += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    return s.find("display:none") != std::string::npos ||
           s.find("visibility:hidden") != std::string::npos;
}

bool is_unlikely_role(std::string_view role) {
    static constexpr std::array<std::string_view, 7> k_roles = {
        "menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"};
    for (const std::string_view r : k_roles)
        if (r == role)
            return true;
    return false;
}

/** hint:: bits of an element, from one pass over its attributes. */
std::uint32_t element_hints(const GumboElement* e) {
    std::string_view class_attr;
    std::string_view id_attr;
    std::uint32_t bits = 0;
    bool aria_hidden = false;
    bool aria_modal = false;
    bool dialog = false;
    for (unsigned i = 0; i < e->attributes.length; ++i) {
        const auto* a = static_cast<const GumboAttribute*>(e->attributes.data[i]);
        const std::string_view name = a->name;
        const std::string_view value = a->value != nullptr ? a->value : "";
        if (name == "class")
            class_attr = value;
        else if (name == "id")
            id_attr = value;
        else if (name == "style" && hides(value))
            bits |= hint::hidden;
        else if (name == "hidden")
            bits |= hint::hidden;
        else if (name == "aria-hidden")
            aria_hidden = value == "true";
        else if (name == "aria-modal")
            aria_modal = value == "true";
        else if (name == "role") {
            dialog = value == "dialog";
            if (is_unlikely_role(value))
                bits |= hint::unlikely_role;
        } else if ((name == "rel" && value == "author") ||
                   (name == "itemprop" && value.find("author") != std::string_view::npos))
            bits |= hint::author;
    }
    bits |= hints_of(class_attr, id_attr);
    if ((aria_hidden && !(bits & hint::fallback_image)) || (aria_modal && dialog))
        bits |= hint::hidden;
    return bits;
}

std::string_view first_text(const GumboNode* n) {
    const GumboVector& children = n->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
        const auto* c = static_cast<const GumboNode*>(children.data[i]);
        if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE ||
            c->type == GUMBO_NODE_CDATA)
            return c->v.text.text;
    }
    return {};
}

} // namespace

void Dom::OutputDeleter::operator()(GumboOutput* out) const noexcept {
    gumbo_destroy_output(&options(), out);
}

bool closes_paragraph(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_UL:
        return true;
    default:
        return false;
    }
}

std::uint32_t hints_of(std::string_view class_attr, std::string_view id_attr) {
    return scan(class_attr, true) | scan(id_attr, false);
}

void measure_text(Node& n) {
    const auto* s = reinterpret_cast<const unsigned char*>(n.text.data());
    const std::size_t size = n.text.size();
    std::uint32_t length = 0;
    std::uint32_t commas = 0;
    std::uint32_t ascii_commas = 0;
    bool in_space = false;
    for (std::size_t i = 0; i < size; ++i) {
        const unsigned char c = s[i];
        if ((c & 0xC0) == 0x80)
            continue; // continuation byte
        const bool space = is_space_byte(c) || (c == 0xC2 && i + 1 < size && s[i + 1] == 0xA0);
        if (space) {
            if (!in_space)
                ++length;
            in_space = true;
            continue;
        }
        in_space = false;
        ++length;
        if (c == ',') {
            ++commas;
            ++ascii_commas;
        } else if (c == 0xD8 || c == 0xE2 || c == 0xEF) {
            const std::string_view rest = n.text.substr(i, 3);
            if (rest.starts_with("\xD8\x8C") || rest == "\xEF\xB9\x90" || rest == "\xEF\xB8\x90" ||
                rest == "\xEF\xB8\x91" || rest == "\xE2\xB9\x81" || rest == "\xE2\xB8\xB4" ||
                rest == "\xE2\xB8\xB2" || rest == "\xEF\xBC\x8C")
                ++commas;
        }
    }
    n.length = length;
    n.leading_space = size > 0 && (is_space_byte(s[0]) || n.text.starts_with("\xC2\xA0"));
    n.trailing_space = size > 0 && (is_space_byte(s[size - 1]) || n.text.ends_with("\xC2\xA0"));
    n.commas = commas;
    n.ascii_commas = ascii_commas;
}

Dom::Dom(std::string_view html)
    : m_output(gumbo_parse_with_options(&options(), html.data(), html.size())) {
    if (!m_output)
        throw std::bad_alloc();
    nodes.reserve(html.size() / 40 + 16);
    struct Frame {
        const GumboNode* node;
        unsigned index;
        NodeId parent; ///< where its children go; k_none outside <body>
    };
    std::vector<Frame> stack;
    stack.push_back({m_output->document, 0, k_none});
    while (!stack.empty()) {
        Frame& f = stack.back();
        const GumboVector& children = f.node->type == GUMBO_NODE_DOCUMENT
                                          ? f.node->v.document.children
                                          : f.node->v.element.children;
        if (f.index >= children.length) {
            stack.pop_back();
            continue;
        }
        const auto* child = static_cast<const GumboNode*>(children.data[f.index++]);
        const NodeId parent = f.parent;
        switch (child->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA: {
            if (parent == k_none)
                break;
            Node n;
            n.text = child->v.text.text;
            measure_text(n);
            nodes.push_back(n);
            append_child(parent, static_cast<NodeId>(nodes.size() - 1));
            break;
        }
        case GUMBO_NODE_ELEMENT: {
            const GumboElement* e = &child->v.element;
            if (e->tag_namespace != GUMBO_NAMESPACE_HTML) // svg, math: no article text
                break;
            switch (e->tag) {
            case GUMBO_TAG_META:
                metas.push_back({attribute(e, "name"), attribute(e, "property"),
                                 attribute(e, "itemprop"), attribute(e, "content")});
                continue;
            case GUMBO_TAG_LINK:
                links.push_back({attribute(e, "rel"), attribute(e, "href")});
                continue;
            case GUMBO_TAG_TITLE:
                if (title.empty())
                    title = first_text(child);
                continue;
            case GUMBO_TAG_BASE:
                if (base_href.empty())
                    base_href = attribute(e, "href");
                continue;
            case GUMBO_TAG_SCRIPT:
                if (attribute(e, "type").find("ld+json") != std::string_view::npos)
                    json_ld.push_back(first_text(child));
                else
                    ++scripts;
                continue;
            case GUMBO_TAG_STYLE:
            case GUMBO_TAG_TEMPLATE:
                continue;
            case GUMBO_TAG_HTML:
                html_lang = attribute(e, "lang");
                stack.push_back({child, 0, k_none});
                continue;
            case GUMBO_TAG_HEAD:
                stack.push_back({child, 0, k_none});
                continue;
            default:
                break;
            }
            if (parent == k_none && e->tag != GUMBO_TAG_BODY) {
                stack.push_back({child, 0, k_none}); // e.g. <noscript> in <head>
                continue;
            }
            Node n;
            n.tag = e->tag;
            n.element = e;
            n.hints = element_hints(e);
            nodes.push_back(n);
            const auto id = static_cast<NodeId>(nodes.size() - 1);
            if (e->tag == GUMBO_TAG_BODY && body == k_none)
                body = id;
            else if (parent != k_none)
                append_child(parent, id);
            if (e->tag == GUMBO_TAG_NOSCRIPT)
                noscripts.push_back(id);
            stack.push_back({child, 0, id});
            break;
        }
        default: // comments, templates
            break;
        }
    }
    if (body == k_none) { // gumbo always makes one; a guard
        nodes.push_back(Node{});
        nodes.back().tag = GUMBO_TAG_BODY;
        body = static_cast<NodeId>(nodes.size() - 1);
    }
}

std::string_view Dom::attr(NodeId id, const char* name) const {
    return attribute(nodes[id].element, name);
}

bool Dom::has_attr(NodeId id, const char* name) const {
    const GumboElement* e = nodes[id].element;
    return e != nullptr && gumbo_get_attribute(&e->attributes, name) != nullptr;
}

std::string Dom::text_of(NodeId id) const {
    std::string out;
    bool space = false;
    for (NodeId n = id; n != k_none; n = following(n, id)) {
        const Node& node = nodes[n];
        if (!node.is_text())
            continue;
        for (const char c : node.text) {
            if (is_space_byte(static_cast<unsigned char>(c))) {
                space = !out.empty();
                continue;
            }
            if (space)
                out += ' ';
            space = false;
            out += c;
        }
    }
    return out;
}

NodeId Dom::following(NodeId id, NodeId root) const {
    if (nodes[id].first != k_none)
        return nodes[id].first;
    return following_skip(id, root);
}

NodeId Dom::following_skip(NodeId id, NodeId root) const {
    while (id != root && id != k_none) {
        if (nodes[id].next != k_none)
            return nodes[id].next;
        id = nodes[id].parent;
    }
    return k_none;
}

void Dom::detach(NodeId id) {
    Node& n = nodes[id];
    if (n.parent == k_none)
        return;
    Node& p = nodes[n.parent];
    if (n.prev != k_none)
        nodes[n.prev].next = n.next;
    else
        p.first = n.next;
    if (n.next != k_none)
        nodes[n.next].prev = n.prev;
    else
        p.last = n.prev;
    n.parent = n.prev = n.next = k_none;
}

void Dom::append_child(NodeId parent, NodeId child) {
    insert_before(parent, child, k_none);
}

void Dom::insert_before(NodeId parent, NodeId child, NodeId ref) {
    detach(child);
    Node& c = nodes[child];
    Node& p = nodes[parent];
    c.parent = parent;
    if (ref == k_none) {
        c.prev = p.last;
        if (p.last != k_none)
            nodes[p.last].next = child;
        else
            p.first = child;
        p.last = child;
        return;
    }
    Node& r = nodes[ref];
    c.next = ref;
    c.prev = r.prev;
    if (r.prev != k_none)
        nodes[r.prev].next = child;
    else
        p.first = child;
    r.prev = child;
}

NodeId Dom::create_element(GumboTag tag) {
    Node n;
    n.tag = tag;
    nodes.push_back(n);
    return static_cast<NodeId>(nodes.size() - 1);
}

void Dom::replace(NodeId old, NodeId replacement) {
    const NodeId parent = nodes[old].parent;
    if (parent == k_none)
        return;
    const NodeId next = nodes[old].next;
    detach(old);
    insert_before(parent, replacement, next);
}

bool Dom::attached(NodeId id) const {
    while (id != k_none) {
        if (id == body)
            return true;
        id = nodes[id].parent;
    }
    return false;
}

std::vector<NodeId> Dom::element_children(NodeId id) const {
    std::vector<NodeId> out;
    for (NodeId c = nodes[id].first; c != k_none; c = nodes[c].next)
        if (!nodes[c].is_text())
            out.push_back(c);
    return out;
}

std::size_t Dom::element_child_count(NodeId id) const {
    std::size_t n = 0;
    for (NodeId c = nodes[id].first; c != k_none; c = nodes[c].next)
        n += nodes[c].is_text() ? 0 : 1;
    return n;
}

} // namespace trend::extract::detail
