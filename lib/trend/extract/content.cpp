// SPDX-License-Identifier: MIT
#include "trend/extract/content.hpp"

#include "trend/extract/metadata.hpp"
#include "trend/util/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace trend::extract::detail {

namespace {

constexpr unsigned k_strip_unlikely = 1;
constexpr unsigned k_weight_classes = 2;
constexpr unsigned k_clean_conditionally = 4;
constexpr std::size_t k_char_threshold = 500;
constexpr std::size_t k_top_candidates = 5;
constexpr std::size_t k_share_threshold = 500;

/** The text length of a run of nodes: code points with every run of white space counted
 *  once, and whether it starts and ends with white space (so that runs can be joined). */
struct Span {
    std::uint32_t length = 0;
    bool leading = false;
    bool trailing = false;

    void add(const Span& b) {
        if (b.length == 0)
            return;
        if (length == 0) {
            *this = b;
            return;
        }
        length += b.length - (trailing && b.leading ? 1 : 0);
        trailing = b.trailing;
    }
    /** Readability's getInnerText(e).length: trimmed, white space normalised. */
    [[nodiscard]] std::uint32_t trimmed() const {
        std::uint32_t n = length;
        if (leading && n > 0)
            --n;
        if (trailing && n > 0 && !(leading && length == 1))
            --n;
        return n;
    }
};

bool is_heading(GumboTag t) {
    return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6;
}

bool is_phrasing_tag(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BDO:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_DATA:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_I:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_METER:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_PROGRESS:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_RUBY:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_WBR:
        return true;
    default:
        return false;
    }
}

/** Readability's DIV_TO_P_ELEMS: children that keep a <div> from being a paragraph. */
bool is_div_to_p_block(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_UL:
        return true;
    default:
        return false;
    }
}

/** Elements that start a new paragraph of the output: the block elements, table parts and
 *  line breaks. */
bool is_block(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TR:
        return true;
    default:
        return closes_paragraph(t);
    }
}

/** Elements that are never article text (removed with the unlikely candidates). */
bool is_boilerplate_tag(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_MENU:
        return true;
    default:
        return false;
    }
}

/** Readability's /\W+/ tokens, lower case. */
std::vector<std::string> ascii_tokens(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (const char c : s) {
        const bool word =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (word) {
            cur += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
    }
    if (!cur.empty())
        out.push_back(std::move(cur));
    return out;
}

/** Readability's _textSimilarity: how much of `b`'s text is made of `a`'s words. */
double text_similarity(std::string_view a, std::string_view b) {
    const auto ta = ascii_tokens(a);
    const auto tb = ascii_tokens(b);
    if (ta.empty() || tb.empty())
        return 0;
    std::size_t unique_len = 0;
    std::size_t unique_count = 0;
    std::size_t all_len = 0;
    for (const std::string& t : tb) {
        all_len += t.size();
        if (std::find(ta.begin(), ta.end(), t) == ta.end()) {
            unique_len += t.size();
            ++unique_count;
        }
    }
    all_len += tb.size() - 1;
    if (unique_count > 0)
        unique_len += unique_count - 1;
    return 1.0 - static_cast<double>(unique_len) / static_cast<double>(all_len);
}

bool is_ad_or_loading_word(const std::string& text) {
    std::string t = text::normalize_term(text);
    for (const std::string_view suffix : {"\xE2\x80\xA6", "..."})
        if (t.ends_with(suffix))
            t.resize(t.size() - suffix.size());
    static constexpr std::array<std::string_view, 16> k_words = {
        "ad",
        "advertising",
        "advertisement",
        "pub",
        "publicit\xC3\xA9",
        "werb",
        "werbung",
        "\xE5\xB9\xBF\xE5\x91\x8A",                                 // 广告
        "\xD1\x80\xD0\xB5\xD0\xBA\xD0\xBB\xD0\xB0\xD0\xBC\xD0\xB0", // реклама
        "anuncio",
        "loading",
        "\xE6\xAD\xA3\xE5\x9C\xA8\xE5\x8A\xA0\xE8\xBD\xBD",                 // 正在加载
        "\xD0\xB7\xD0\xB0\xD0\xB3\xD1\x80\xD1\x83\xD0\xB7\xD0\xBA\xD0\xB0", // загрузка
        "chargement",
        "cargando",
        "publicite"};
    return std::find(k_words.begin(), k_words.end(), t) != k_words.end();
}

/** Counts Readability's cleaning checks need, over a subtree. */
struct Census {
    Span text;
    double link_length = 0;
    std::size_t ascii_commas = 0;
    std::size_t p = 0, img = 0, li = 0, input = 0, embed = 0;
    std::uint32_t heading_length = 0; ///< text inside h1-h6 (nested ones counted again)
    std::uint32_t list_length = 0;    ///< text inside ul/ol (nested ones counted again)
    bool textish = false;             ///< any span/li/td/block descendant with text
};

class Grabber {
    Dom& m_dom;
    std::string_view m_title;
    std::vector<Node> m_pristine;
    unsigned m_flags = k_strip_unlikely | k_weight_classes | k_clean_conditionally;

    // Per attempt.
    std::vector<double> m_score;
    std::vector<char> m_scored;
    std::vector<Span> m_span;   ///< subtree text, filled by measure()
    std::vector<double> m_link; ///< subtree link text, filled by measure()
    std::vector<std::uint32_t> m_commas;
    std::vector<char> m_data_table;
    std::string m_byline;

public:
    Grabber(Dom& dom, std::string_view title) : m_dom(dom), m_title(title) {}

    Content run() {
        prepare_document();
        m_byline = byline_under_headline();
        m_pristine = m_dom.nodes;
        struct Attempt {
            std::vector<std::string> paragraphs;
            std::size_t length;
            double link_density;
            std::size_t teasers;
        };
        std::vector<Attempt> attempts;
        while (true) {
            const NodeId article = grab();
            Census c = census(article);
            const std::size_t length = c.text.trimmed();
            const double density = c.text.trimmed() == 0 ? 0 : c.link_length / c.text.trimmed();
            if (length >= k_char_threshold)
                return {paragraphs_of(m_dom, article), length, m_byline, density,
                        teasers_in(article)};
            attempts.push_back(
                {paragraphs_of(m_dom, article), length, density, teasers_in(article)});
            if (m_flags & k_strip_unlikely)
                m_flags &= ~k_strip_unlikely;
            else if (m_flags & k_weight_classes)
                m_flags &= ~k_weight_classes;
            else if (m_flags & k_clean_conditionally)
                m_flags &= ~k_clean_conditionally;
            else
                break;
            m_dom.nodes = m_pristine;
        }
        const auto best =
            std::max_element(attempts.begin(), attempts.end(),
                             [](const auto& a, const auto& b) { return a.length < b.length; });
        return {std::move(best->paragraphs), best->length, m_byline, best->link_density,
                best->teasers};
    }

private:
    Node& at(NodeId id) { return m_dom[id]; }
    [[nodiscard]] const Node& at(NodeId id) const { return m_dom[id]; }

    void grow() {
        const std::size_t n = m_dom.nodes.size();
        if (m_score.size() < n) {
            m_score.resize(n, 0);
            m_scored.resize(n, 0);
            m_data_table.resize(n, 0);
        }
    }

    // ---- traversal ----------------------------------------------------------------------

    NodeId first_element_child(NodeId id) const {
        for (NodeId c = at(id).first; c != k_none; c = at(c).next)
            if (!at(c).is_text())
                return c;
        return k_none;
    }

    NodeId next_element_sibling(NodeId id) const {
        for (NodeId c = at(id).next; c != k_none; c = at(c).next)
            if (!at(c).is_text())
                return c;
        return k_none;
    }

    /** Readability's _getNextNode over elements, bounded by the body. */
    NodeId next_node(NodeId id, bool skip_children) const {
        if (!skip_children)
            if (const NodeId c = first_element_child(id); c != k_none)
                return c;
        while (id != k_none && id != m_dom.body) {
            if (const NodeId s = next_element_sibling(id); s != k_none)
                return s;
            id = at(id).parent;
        }
        return k_none;
    }

    NodeId remove_and_next(NodeId id) {
        const NodeId next = next_node(id, true);
        m_dom.detach(id);
        return next;
    }

    template <typename F>
    void for_each_in(NodeId root, F f) const {
        for (NodeId n = at(root).first; n != k_none; n = m_dom.following(n, root))
            f(n);
    }

    std::vector<NodeId> descendants_with(NodeId root, std::initializer_list<GumboTag> tags) const {
        std::vector<NodeId> out;
        for_each_in(root, [&](NodeId n) {
            if (std::find(tags.begin(), tags.end(), at(n).tag) != tags.end())
                out.push_back(n);
        });
        return out;
    }

    bool has_ancestor(NodeId id, GumboTag tag, int max_depth, bool data_table = false) const {
        int depth = 0;
        for (NodeId p = at(id).parent; p != k_none; p = at(p).parent, ++depth) {
            if (max_depth > 0 && depth > max_depth)
                return false;
            if (at(p).tag == tag && (!data_table || m_data_table[p]))
                return true;
        }
        return false;
    }

    // ---- text ---------------------------------------------------------------------------

    Span span_of(NodeId root) const {
        Span s;
        if (at(root).is_text())
            return {at(root).length, at(root).leading_space, at(root).trailing_space};
        for_each_in(root, [&](NodeId n) {
            if (at(n).is_text())
                s.add({at(n).length, at(n).leading_space, at(n).trailing_space});
        });
        return s;
    }

    /** Whether the subtree has text other than white space. */
    bool has_text(NodeId root) const {
        for (NodeId n = root; n != k_none; n = m_dom.following(n, root)) {
            const Node& node = at(n);
            if (node.is_text() && (node.length > 1 || (node.length == 1 && !node.leading_space)))
                return true;
        }
        return false;
    }

    /** Whether `id` is (still) inside `root`. */
    bool under(NodeId id, NodeId root) const {
        for (; id != k_none; id = at(id).parent)
            if (id == root)
                return true;
        return false;
    }

    double link_weight(NodeId a) const {
        const std::string_view href = m_dom.attr(a, "href");
        return href.size() > 1 && href[0] == '#' ? 0.3 : 1.0;
    }

    /** Text, link text and commas of every subtree under the body, bottom-up. */
    void measure() {
        const std::size_t n = m_dom.nodes.size();
        m_span.assign(n, Span{});
        m_link.assign(n, 0);
        m_commas.assign(n, 0);
        std::vector<NodeId> order;
        for (NodeId x = m_dom.body; x != k_none; x = m_dom.following(x, m_dom.body))
            order.push_back(x);
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            const NodeId x = *it;
            const Node& node = at(x);
            if (node.is_text()) {
                m_span[x] = {node.length, node.leading_space, node.trailing_space};
                m_commas[x] = node.commas;
                continue;
            }
            Span s;
            double link = 0;
            std::uint32_t commas = 0;
            for (NodeId c = node.first; c != k_none; c = at(c).next) {
                s.add(m_span[c]);
                link += m_link[c];
                commas += m_commas[c];
            }
            m_span[x] = s;
            m_commas[x] = commas;
            m_link[x] = node.tag == GUMBO_TAG_A ? s.trimmed() * link_weight(x) : link;
        }
    }

    double link_density_measured(NodeId id) const {
        const std::uint32_t len = m_span[id].trimmed();
        return len == 0 ? 0 : m_link[id] / len;
    }

    /** The same, computed now (the tree changed since measure()). */
    double link_density_now(NodeId id) const {
        const Census c = census(id);
        const std::uint32_t len = c.text.trimmed();
        return len == 0 ? 0 : c.link_length / len;
    }

    Census census(NodeId root) const {
        Census c;
        if (root == k_none)
            return c;
        // Text inside links and headings is counted by walking each once more: they are small.
        for_each_in(root, [&](NodeId n) {
            const Node& node = at(n);
            if (node.is_text()) {
                c.text.add({node.length, node.leading_space, node.trailing_space});
                c.ascii_commas += node.ascii_commas;
                return;
            }
            switch (node.tag) {
            case GUMBO_TAG_A:
                c.link_length += span_of(n).trimmed() * link_weight(n);
                break;
            case GUMBO_TAG_P:
                ++c.p;
                break;
            case GUMBO_TAG_IMG:
                ++c.img;
                break;
            case GUMBO_TAG_LI:
                ++c.li;
                break;
            case GUMBO_TAG_INPUT:
                ++c.input;
                break;
            case GUMBO_TAG_OBJECT:
            case GUMBO_TAG_EMBED:
            case GUMBO_TAG_IFRAME:
                ++c.embed;
                break;
            case GUMBO_TAG_UL:
            case GUMBO_TAG_OL:
                c.list_length += span_of(n).trimmed();
                break;
            default:
                if (is_heading(node.tag))
                    c.heading_length += span_of(n).trimmed();
                break;
            }
            if (!c.textish &&
                (node.tag == GUMBO_TAG_SPAN || node.tag == GUMBO_TAG_LI ||
                 node.tag == GUMBO_TAG_TD || is_div_to_p_block(node.tag)) &&
                span_of(n).trimmed() > 0)
                c.textish = true;
        });
        return c;
    }

    // ---- preparation --------------------------------------------------------------------

    bool is_phrasing(NodeId id) const {
        const Node& n = at(id);
        if (n.is_text() || is_phrasing_tag(n.tag))
            return true;
        if (n.tag != GUMBO_TAG_A && n.tag != GUMBO_TAG_DEL && n.tag != GUMBO_TAG_INS)
            return false;
        for (NodeId c = n.first; c != k_none; c = at(c).next)
            if (!is_phrasing(c))
                return false;
        return true;
    }

    bool is_whitespace(NodeId id) const {
        const Node& n = at(id);
        return n.tag == GUMBO_TAG_BR || (n.is_text() && !has_text(id));
    }

    /** The next sibling that is an element or non-blank text (Readability's _nextNode). */
    NodeId next_significant(NodeId id) const {
        while (id != k_none && at(id).is_text() && !has_text(id))
            id = at(id).next;
        return id;
    }

    /** Readability's _prepDocument: <br><br> chains become paragraphs, <font> a <span>. */
    void prepare_document() {
        for (const NodeId n : m_dom.noscripts)
            m_dom.detach(n);
        std::vector<NodeId> brs;
        for (NodeId n = m_dom.body; n != k_none; n = m_dom.following(n, m_dom.body)) {
            if (at(n).tag == GUMBO_TAG_BR)
                brs.push_back(n);
            else if (at(n).tag == GUMBO_TAG_FONT)
                at(n).tag = GUMBO_TAG_SPAN;
        }
        for (const NodeId br : brs) {
            if (at(br).parent == k_none)
                continue;
            bool replaced = false;
            NodeId next = next_significant(at(br).next);
            while (next != k_none && at(next).tag == GUMBO_TAG_BR) {
                replaced = true;
                const NodeId after = at(next).next;
                m_dom.detach(next);
                next = next_significant(after);
            }
            if (!replaced)
                continue;
            const NodeId p = m_dom.create_element(GUMBO_TAG_P);
            m_dom.replace(br, p);
            next = at(p).next;
            while (next != k_none) {
                if (at(next).tag == GUMBO_TAG_BR) {
                    const NodeId after = next_significant(at(next).next);
                    if (after != k_none && at(after).tag == GUMBO_TAG_BR)
                        break;
                }
                if (!is_phrasing(next))
                    break;
                const NodeId sibling = at(next).next;
                m_dom.append_child(p, next);
                next = sibling;
            }
            while (at(p).last != k_none && is_whitespace(at(p).last))
                m_dom.detach(at(p).last);
            if (at(p).parent != k_none && at(at(p).parent).tag == GUMBO_TAG_P)
                at(at(p).parent).tag = GUMBO_TAG_DIV;
        }
    }

    // ---- scoring ------------------------------------------------------------------------

    int class_weight(NodeId id) const {
        if (!(m_flags & k_weight_classes))
            return 0;
        const std::uint32_t h = at(id).hints;
        int w = 0;
        w -= (h & hint::negative_class) ? 25 : 0;
        w += (h & hint::positive_class) ? 25 : 0;
        w -= (h & hint::negative_id) ? 25 : 0;
        w += (h & hint::positive_id) ? 25 : 0;
        w -= (h & hint::boilerplate) ? 25 : 0;
        return w;
    }

    void initialize(NodeId id) {
        grow();
        double s = 0;
        switch (at(id).tag) {
        case GUMBO_TAG_DIV:
            s = 5;
            break;
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_TD:
        case GUMBO_TAG_BLOCKQUOTE:
            s = 3;
            break;
        case GUMBO_TAG_ADDRESS:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_DL:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_FORM:
            s = -3;
            break;
        case GUMBO_TAG_TH:
            s = -5;
            break;
        default:
            if (is_heading(at(id).tag))
                s = -5;
            break;
        }
        m_score[id] = s + class_weight(id);
        m_scored[id] = 1;
    }

    /** Readability's _isValidByline: marked as the author, with 1 to 99 characters of raw
     *  text (white space included, so a container of more than the name fails); and ours:
     *  not a dateline. */
    bool is_byline(NodeId id) const {
        if (!(at(id).hints & (hint::author | hint::byline)))
            return false;
        std::string raw;
        for (NodeId n = id; n != k_none && raw.size() < 1024; n = m_dom.following(n, id))
            if (at(n).is_text())
                raw.append(at(n).text);
        const std::string trimmed = text::collapse_whitespace(raw).empty() ? std::string() : raw;
        std::string_view t = trimmed;
        while (!t.empty() && static_cast<unsigned char>(t.front()) <= ' ')
            t.remove_prefix(1);
        while (!t.empty() && static_cast<unsigned char>(t.back()) <= ' ')
            t.remove_suffix(1);
        const std::size_t len = text::utf8_length(t);
        return len > 0 && len < 100 && !looks_like_date(t);
    }

    /**
     * The byline between the headline and the first long paragraph: where pages put the
     * article's own. Readability takes the first byline of the page, which on many pages is
     * that of a teaser in a "most read" list or a dateline. "" when there is none.
     */
    std::string byline_under_headline() const {
        NodeId headline = k_none;
        for (NodeId n = m_dom.body; n != k_none; n = m_dom.following(n, m_dom.body))
            if (at(n).tag == GUMBO_TAG_H1 &&
                (headline == k_none || text_similarity(m_title, m_dom.text_of(n)) > 0.75)) {
                const bool first = headline == k_none;
                headline = n;
                if (!first || text_similarity(m_title, m_dom.text_of(n)) > 0.75)
                    break;
            }
        if (headline == k_none)
            return {};
        std::size_t budget = 400;
        for (NodeId n = m_dom.following_skip(headline, m_dom.body); n != k_none && budget > 0;
             --budget) {
            const Node& node = at(n);
            if (!node.is_text() && (node.hints & hint::hidden)) {
                n = m_dom.following_skip(n, m_dom.body);
                continue;
            }
            if (node.tag == GUMBO_TAG_P && span_of(n).trimmed() >= 150)
                break;
            if (!node.is_text() && is_byline(n))
                return byline_text(n);
            n = m_dom.following(n, m_dom.body);
        }
        return {};
    }

    bool contains_byline(NodeId id) const {
        for (NodeId n = at(id).first; n != k_none; n = m_dom.following(n, id))
            if (!at(n).is_text() && (at(n).hints & (hint::author | hint::byline)))
                return true;
        return false;
    }

    std::string byline_text(NodeId id) const {
        for (NodeId n = at(id).first; n != k_none; n = m_dom.following(n, id))
            if (!at(n).is_text() &&
                m_dom.attr(n, "itemprop").find("name") != std::string_view::npos)
                return m_dom.text_of(n);
        return m_dom.text_of(id);
    }

    bool without_content(NodeId id) const {
        if (has_text(id))
            return false;
        for (NodeId c = at(id).first; c != k_none; c = at(c).next)
            if (!at(c).is_text() && at(c).tag != GUMBO_TAG_BR && at(c).tag != GUMBO_TAG_HR)
                return false;
        // Readability compares children with *all* br/hr descendants; direct ones suffice.
        return true;
    }

    bool has_block_descendant(NodeId id) const {
        for (NodeId n = at(id).first; n != k_none; n = m_dom.following(n, id))
            if (!at(n).is_text() && is_div_to_p_block(at(n).tag))
                return true;
        return false;
    }

    /** Exactly one element child, a `tag`, and no other text. */
    bool single_child(NodeId id, GumboTag tag) const {
        NodeId only = k_none;
        for (NodeId c = at(id).first; c != k_none; c = at(c).next) {
            if (at(c).is_text()) {
                if (has_text(c))
                    return false;
                continue;
            }
            if (only != k_none)
                return false;
            only = c;
        }
        return only != k_none && at(only).tag == tag;
    }

    /** Readability: runs of phrasing content directly in a <div> become paragraphs. */
    void wrap_phrasing(NodeId div) {
        NodeId child = at(div).first;
        while (child != k_none) {
            if (!is_phrasing(child)) {
                child = at(child).next;
                continue;
            }
            std::vector<NodeId> run;
            NodeId next = child;
            while (next != k_none && is_phrasing(next)) {
                run.push_back(next);
                next = at(next).next;
            }
            std::size_t b = 0;
            std::size_t e = run.size();
            while (b < e && is_whitespace(run[b]))
                m_dom.detach(run[b++]);
            while (e > b && is_whitespace(run[e - 1]))
                m_dom.detach(run[--e]);
            if (b < e) {
                const NodeId p = m_dom.create_element(GUMBO_TAG_P);
                m_dom.insert_before(div, p, next);
                for (std::size_t i = b; i < e; ++i)
                    m_dom.append_child(p, run[i]);
            }
            child = next;
        }
    }

    /** Readability's unlikely candidates (class/id, role), and ours: boilerplate elements
     *  and classes, unless they hold the byline (it is looked for inside them first). */
    bool strip_unlikely(NodeId id) const {
        const Node& n = at(id);
        if (n.tag == GUMBO_TAG_BODY || n.tag == GUMBO_TAG_A)
            return false;
        if (n.hints & hint::unlikely_role)
            return true;
        const bool unlikely = (n.hints & hint::unlikely) && !(n.hints & hint::maybe);
        const bool boilerplate = is_boilerplate_tag(n.tag) ||
                                 ((n.hints & hint::boilerplate) && !(n.hints & hint::maybe));
        if (!unlikely && !(boilerplate && !contains_byline(id)))
            return false;
        return !has_ancestor(id, GUMBO_TAG_TABLE, 3) && !has_ancestor(id, GUMBO_TAG_CODE, 3);
    }

    /** Headings that are (mostly) one link: the teasers of an index page. */
    std::size_t teasers_in(NodeId root) const {
        std::size_t teasers = 0;
        for (const NodeId h : descendants_with(root, {GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4})) {
            const Census c = census(h);
            if (c.text.trimmed() > 10 && c.link_length >= 0.8 * c.text.trimmed())
                ++teasers;
        }
        return teasers;
    }

    /** One pass of Readability's _grabArticle; returns the new article container. */
    NodeId grab() {
        m_score.assign(m_dom.nodes.size(), 0);
        m_scored.assign(m_dom.nodes.size(), 0);
        m_data_table.assign(m_dom.nodes.size(), 0);
        std::vector<NodeId> to_score;
        bool title_header_pending = true;
        NodeId node = m_dom.body;
        while (node != k_none) {
            const GumboTag tag = at(node).tag;
            if (node != m_dom.body && (at(node).hints & hint::hidden)) {
                node = remove_and_next(node);
                continue;
            }
            if (node != m_dom.body && is_byline(node)) {
                if (m_byline.empty())
                    m_byline = byline_text(node);
                node = remove_and_next(node);
                continue;
            }
            if (title_header_pending && (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2) &&
                text_similarity(m_title, m_dom.text_of(node)) > 0.75) {
                title_header_pending = false;
                node = remove_and_next(node);
                continue;
            }
            if ((m_flags & k_strip_unlikely) && strip_unlikely(node)) {
                node = remove_and_next(node);
                continue;
            }
            if ((tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_HEADER ||
                 is_heading(tag)) &&
                without_content(node)) {
                node = remove_and_next(node);
                continue;
            }
            switch (tag) {
            case GUMBO_TAG_SECTION:
            case GUMBO_TAG_H2:
            case GUMBO_TAG_H3:
            case GUMBO_TAG_H4:
            case GUMBO_TAG_H5:
            case GUMBO_TAG_H6:
            case GUMBO_TAG_P:
            case GUMBO_TAG_TD:
            case GUMBO_TAG_PRE:
                to_score.push_back(node);
                break;
            default:
                break;
            }
            if (tag == GUMBO_TAG_DIV) {
                wrap_phrasing(node);
                if (single_child(node, GUMBO_TAG_P) && link_density_now(node) < 0.25) {
                    const NodeId p = first_element_child(node);
                    m_dom.replace(node, p);
                    node = p;
                    to_score.push_back(node);
                } else if (!has_block_descendant(node)) {
                    at(node).tag = GUMBO_TAG_P;
                    to_score.push_back(node);
                }
            }
            node = next_node(node, false);
        }
        grow();
        measure();
        return choose(to_score);
    }

    NodeId choose(const std::vector<NodeId>& to_score) {
        std::vector<NodeId> candidates;
        for (const NodeId e : to_score) {
            if (at(e).parent == k_none || !m_dom.attached(e))
                continue;
            const std::uint32_t len = m_span[e].trimmed();
            if (len < 25)
                continue;
            const double content_score = 1.0 + (m_commas[e] + 1.0) + std::min(len / 100u, 3u);
            NodeId ancestor = at(e).parent;
            for (int level = 0; level < 5 && ancestor != k_none; ++level) {
                if (!m_scored[ancestor]) {
                    initialize(ancestor);
                    candidates.push_back(ancestor);
                }
                const double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;
                m_score[ancestor] += content_score / divider;
                ancestor = at(ancestor).parent;
            }
        }
        std::vector<NodeId> top;
        for (const NodeId c : candidates) {
            m_score[c] *= 1 - link_density_measured(c);
            for (std::size_t t = 0; t < k_top_candidates; ++t) {
                if (t >= top.size() || m_score[c] > m_score[top[t]]) {
                    top.insert(top.begin() + static_cast<std::ptrdiff_t>(t), c);
                    if (top.size() > k_top_candidates)
                        top.pop_back();
                    break;
                }
            }
        }
        NodeId best = top.empty() ? k_none : top.front();
        if (best == k_none || best == m_dom.body) {
            const NodeId div = m_dom.create_element(GUMBO_TAG_DIV);
            while (at(m_dom.body).first != k_none)
                m_dom.append_child(div, at(m_dom.body).first);
            m_dom.append_child(m_dom.body, div);
            initialize(div);
            const NodeId article = m_dom.create_element(GUMBO_TAG_DIV);
            m_dom.append_child(article, div);
            prepare_article(article);
            return article;
        }
        best = shared_ancestor(best, top);
        if (!m_scored[best])
            initialize(best);
        best = climb(best);
        // The only child of its parent: the parent holds the same content plus its siblings.
        while (at(best).parent != k_none && at(best).parent != m_dom.body &&
               m_dom.element_child_count(at(best).parent) == 1)
            best = at(best).parent;
        if (!m_scored[best])
            initialize(best);
        const NodeId article = gather_siblings(best);
        prepare_article(article);
        return article;
    }

    /** When three of the other top candidates score close to the best and sit under one of
     *  its ancestors, that ancestor is the article. */
    NodeId shared_ancestor(NodeId best, const std::vector<NodeId>& top) const {
        std::vector<std::vector<NodeId>> lists;
        if (m_score[best] <= 0)
            return best;
        for (std::size_t i = 1; i < top.size(); ++i)
            if (m_score[top[i]] / m_score[best] >= 0.75) {
                std::vector<NodeId> ancestors;
                for (NodeId p = at(top[i]).parent; p != k_none; p = at(p).parent)
                    ancestors.push_back(p);
                lists.push_back(std::move(ancestors));
            }
        if (lists.size() < 3)
            return best;
        for (NodeId p = at(best).parent; p != k_none && at(p).tag != GUMBO_TAG_BODY;
             p = at(p).parent) {
            std::size_t containing = 0;
            for (const auto& l : lists)
                containing += std::find(l.begin(), l.end(), p) != l.end() ? 1 : 0;
            if (containing >= 3)
                return p;
        }
        return best;
    }

    /** A parent whose score rises above the best's is a better container. */
    NodeId climb(NodeId best) const {
        double last = m_score[best];
        const double threshold = last / 3;
        for (NodeId p = at(best).parent; p != k_none && at(p).tag != GUMBO_TAG_BODY;
             p = at(p).parent) {
            if (!m_scored[p])
                continue;
            if (m_score[p] < threshold)
                break;
            if (m_score[p] > last)
                return p;
            last = m_score[p];
        }
        return best;
    }

    NodeId gather_siblings(NodeId best) {
        const NodeId article = m_dom.create_element(GUMBO_TAG_DIV);
        grow();
        const double threshold = std::max(10.0, m_score[best] * 0.2);
        const NodeId parent = at(best).parent;
        const std::string_view best_class = m_dom.attr(best, "class");
        for (const NodeId s : m_dom.element_children(parent)) {
            bool append = s == best;
            if (!append) {
                const double bonus = !best_class.empty() && m_dom.attr(s, "class") == best_class
                                         ? m_score[best] * 0.2
                                         : 0;
                if (m_scored[s] && m_score[s] + bonus >= threshold) {
                    append = true;
                } else if (at(s).tag == GUMBO_TAG_P) {
                    const double density = link_density_measured(s);
                    const std::uint32_t len = m_span[s].trimmed();
                    if (len > 80 && density < 0.25)
                        append = true;
                    else if (len < 80 && len > 0 && density == 0 && ends_sentence(s))
                        append = true;
                }
            }
            if (!append)
                continue;
            const GumboTag t = at(s).tag;
            if (t != GUMBO_TAG_DIV && t != GUMBO_TAG_ARTICLE && t != GUMBO_TAG_SECTION &&
                t != GUMBO_TAG_P && t != GUMBO_TAG_OL && t != GUMBO_TAG_UL)
                at(s).tag = GUMBO_TAG_DIV;
            m_dom.append_child(article, s);
        }
        return article;
    }

    /** Readability: the text has a full stop followed by a space or the end. */
    bool ends_sentence(NodeId id) const {
        const std::string t = m_dom.text_of(id);
        for (std::size_t i = t.find('.'); i != std::string::npos; i = t.find('.', i + 1))
            if (i + 1 == t.size() || t[i + 1] == ' ')
                return true;
        return false;
    }

    // ---- cleaning (Readability's _prepArticle) ------------------------------------------

    void mark_data_tables(NodeId root) {
        grow();
        for (const NodeId table : descendants_with(root, {GUMBO_TAG_TABLE}))
            m_data_table[table] = is_data_table(table) ? 1 : 0;
    }

    bool is_data_table(NodeId table) const {
        if (m_dom.attr(table, "role") == "presentation" || m_dom.attr(table, "datatable") == "0")
            return false;
        if (!m_dom.attr(table, "summary").empty())
            return true;
        const auto captions = descendants_with(table, {GUMBO_TAG_CAPTION});
        if (!captions.empty() && at(captions.front()).first != k_none)
            return true;
        if (!descendants_with(table, {GUMBO_TAG_COL, GUMBO_TAG_COLGROUP, GUMBO_TAG_TFOOT,
                                      GUMBO_TAG_THEAD, GUMBO_TAG_TH})
                 .empty())
            return true;
        if (!descendants_with(table, {GUMBO_TAG_TABLE}).empty())
            return false;
        std::size_t rows = 0;
        std::size_t columns = 0;
        for (const NodeId tr : descendants_with(table, {GUMBO_TAG_TR})) {
            rows += std::max(1, std::atoi(std::string(m_dom.attr(tr, "rowspan")).c_str()));
            std::size_t in_row = 0;
            for (const NodeId td : descendants_with(tr, {GUMBO_TAG_TD}))
                in_row += static_cast<std::size_t>(
                    std::max(1, std::atoi(std::string(m_dom.attr(td, "colspan")).c_str())));
            columns = std::max(columns, in_row);
        }
        if (columns == 1 || rows == 1)
            return false;
        if (rows >= 10 || columns > 4)
            return true;
        return rows * columns > 10;
    }

    void remove_all(NodeId root, std::initializer_list<GumboTag> tags) {
        for (const NodeId n : descendants_with(root, tags))
            m_dom.detach(n);
    }

    /** Readability's _cleanConditionally: removes `tag` elements that look like widgets. */
    void clean_conditionally(NodeId root, GumboTag tag) {
        if (!(m_flags & k_clean_conditionally))
            return;
        const auto nodes = descendants_with(root, {tag});
        for (auto it = nodes.rbegin(); it != nodes.rend(); ++it)
            if (should_clean(*it, tag))
                m_dom.detach(*it);
    }

    bool should_clean(NodeId node, GumboTag tag) const {
        if (tag == GUMBO_TAG_TABLE && m_data_table[node])
            return false;
        if (has_ancestor(node, GUMBO_TAG_TABLE, -1, true) || has_ancestor(node, GUMBO_TAG_CODE, 3))
            return false;
        for (const NodeId t : descendants_with(node, {GUMBO_TAG_TABLE}))
            if (m_data_table[t])
                return false;
        const Census c = census(node);
        const std::uint32_t length = c.text.trimmed();
        bool is_list = tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL;
        if (!is_list && length > 0)
            is_list = static_cast<double>(c.list_length) / length > 0.9;
        const int weight = class_weight(node);
        if (weight < 0)
            return true;
        if (c.ascii_commas >= 10)
            return false;
        if (c.embed > 0)
            for (const NodeId e :
                 descendants_with(node, {GUMBO_TAG_OBJECT, GUMBO_TAG_EMBED, GUMBO_TAG_IFRAME}))
                if (is_allowed_video(e))
                    return false;
        if (length < 40 && is_ad_or_loading_word(m_dom.text_of(node)))
            return true;
        const double link_density = length == 0 ? 0 : c.link_length / length;
        const double heading_density =
            length == 0 ? 0 : static_cast<double>(c.heading_length) / length;
        const bool figure_child = has_ancestor(node, GUMBO_TAG_FIGURE, 3);
        const auto p = static_cast<double>(c.p);
        const auto img = static_cast<double>(c.img);
        const double li = static_cast<double>(c.li) - 100;
        bool remove = false;
        remove |= !figure_child && img > 1 && p / img < 0.5;
        remove |= !is_list && li > p;
        remove |= static_cast<double>(c.input) > std::floor(p / 3);
        remove |= !is_list && !figure_child && heading_density < 0.9 && length < 25 &&
                  (img == 0 || img > 2) && link_density > 0;
        remove |= !is_list && weight < 25 && link_density > 0.2;
        remove |= weight >= 25 && link_density > 0.5;
        remove |= (c.embed == 1 && length < 75) || c.embed > 1;
        remove |= img == 0 && !c.textish;
        if (is_list && remove) {
            // A list of images stays.
            for (const NodeId child : m_dom.element_children(node))
                if (m_dom.element_child_count(child) > 1)
                    return true;
            if (c.img == descendants_with(node, {GUMBO_TAG_LI}).size())
                return false;
        }
        return remove;
    }

    bool is_allowed_video(NodeId e) const {
        static constexpr std::array<std::string_view, 9> k_hosts = {
            "youtube.com",     "youtube-nocookie.com", "player.vimeo.com", "dailymotion.com",
            "v.qq.com",        "bilibili.com",         "archive.org",      "upload.wikimedia.org",
            "player.twitch.tv"};
        const GumboElement* el = at(e).element;
        if (el == nullptr)
            return false;
        for (unsigned i = 0; i < el->attributes.length; ++i) {
            const auto* a = static_cast<const GumboAttribute*>(el->attributes.data[i]);
            const std::string_view v = a->value != nullptr ? a->value : "";
            for (const std::string_view h : k_hosts)
                if (v.find(h) != std::string_view::npos && v.find("//") != std::string_view::npos)
                    return true;
        }
        return false;
    }

    void prepare_article(NodeId article) {
        grow();
        mark_data_tables(article);
        clean_conditionally(article, GUMBO_TAG_FORM);
        clean_conditionally(article, GUMBO_TAG_FIELDSET);
        remove_all(article, {GUMBO_TAG_OBJECT, GUMBO_TAG_EMBED, GUMBO_TAG_FOOTER, GUMBO_TAG_LINK,
                             GUMBO_TAG_ASIDE});
        for (const NodeId child : m_dom.element_children(article)) {
            std::vector<NodeId> shares;
            for_each_in(child, [&](NodeId n) {
                if (!at(n).is_text() && (at(n).hints & hint::share))
                    shares.push_back(n);
            });
            for (const NodeId n : shares)
                if (under(n, child) && span_of(n).length < k_share_threshold)
                    m_dom.detach(n);
        }
        remove_all(article, {GUMBO_TAG_IFRAME, GUMBO_TAG_INPUT, GUMBO_TAG_TEXTAREA,
                             GUMBO_TAG_SELECT, GUMBO_TAG_BUTTON});
        for (const NodeId h : descendants_with(article, {GUMBO_TAG_H1, GUMBO_TAG_H2}))
            if (class_weight(h) < 0)
                m_dom.detach(h);
        clean_conditionally(article, GUMBO_TAG_TABLE);
        clean_conditionally(article, GUMBO_TAG_UL);
        clean_conditionally(article, GUMBO_TAG_DIV);
        for (const NodeId p : descendants_with(article, {GUMBO_TAG_P}))
            if (!has_text(p) && descendants_with(p, {GUMBO_TAG_IMG, GUMBO_TAG_EMBED,
                                                     GUMBO_TAG_OBJECT, GUMBO_TAG_IFRAME})
                                    .empty())
                m_dom.detach(p);
    }
};

void strip_invisible(std::string& s) {
    // Soft hyphen, zero-width space, word joiner, BOM: invisible, and they split words.
    for (const std::string_view c : {"\xC2\xAD", "\xE2\x80\x8B", "\xE2\x81\xA0", "\xEF\xBB\xBF"}) {
        std::size_t at = 0;
        while ((at = s.find(c, at)) != std::string::npos)
            s.erase(at, c.size());
    }
}

} // namespace

std::vector<std::string> paragraphs_of(const Dom& dom, NodeId root) {
    std::vector<std::string> out;
    std::string current;
    const auto flush = [&] {
        std::string p = text::collapse_whitespace(text::repair_utf8(current));
        current.clear();
        strip_invisible(p);
        if (!p.empty())
            out.push_back(std::move(p));
    };
    if (root == k_none)
        return out;
    // Depth-first with explicit exits, so that a block's end also ends its paragraph.
    NodeId n = dom[root].first;
    while (n != k_none) {
        const Node& node = dom[n];
        if (node.is_text()) {
            current.append(node.text);
        } else if (is_block(node.tag)) {
            flush();
        }
        if (!node.is_text() && node.first != k_none) {
            n = node.first;
            continue;
        }
        // Leave n and every ancestor whose last child we just finished.
        while (n != k_none && n != root) {
            if (!dom[n].is_text() && is_block(dom[n].tag))
                flush();
            if (dom[n].next != k_none) {
                n = dom[n].next;
                break;
            }
            n = dom[n].parent;
        }
        if (n == root)
            break;
    }
    flush();
    return out;
}

Content grab_content(Dom& dom, std::string_view title) {
    return Grabber(dom, title).run();
}

} // namespace trend::extract::detail
