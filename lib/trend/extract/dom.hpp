// SPDX-License-Identifier: MIT
#pragma once

#include <gumbo.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

/** Internal to extract/: a compact, mutable DOM built from gumbo's parse tree. */
namespace trend::extract::detail {

using NodeId = std::uint32_t;
inline constexpr NodeId k_none = 0xFFFFFFFFu;

/** What the class and id attributes of an element suggest (Node::hints). */
namespace hint {
inline constexpr std::uint32_t negative_class = 1u << 0; ///< Readability's "negative" regexp
inline constexpr std::uint32_t positive_class = 1u << 1; ///< ... "positive"
inline constexpr std::uint32_t negative_id = 1u << 2;
inline constexpr std::uint32_t positive_id = 1u << 3;
inline constexpr std::uint32_t unlikely = 1u << 4; ///< "unlikelyCandidates" (class or id)
inline constexpr std::uint32_t maybe = 1u << 5;    ///< "okMaybeItsACandidate"
inline constexpr std::uint32_t byline = 1u << 6;
inline constexpr std::uint32_t share = 1u << 7;       ///< a "share" word: share buttons
inline constexpr std::uint32_t boilerplate = 1u << 8; ///< navigation, ads, captions, newsletters...
inline constexpr std::uint32_t paywall = 1u << 9;     ///< paywall, subscriber-only, premium...
inline constexpr std::uint32_t consent = 1u << 10;    ///< cookie/consent banners and walls
inline constexpr std::uint32_t fallback_image = 1u << 11;
/** display:none, visibility:hidden, the hidden attribute, aria-hidden (except Wikimedia's
 *  fallback images), modal dialogs */
inline constexpr std::uint32_t hidden = 1u << 12;
inline constexpr std::uint32_t unlikely_role = 1u << 13; ///< role=menu, navigation, dialog...
inline constexpr std::uint32_t author = 1u << 14;        ///< rel=author, itemprop~=author
} // namespace hint

/** A node: an element, or a text node (tag == GUMBO_TAG_LAST). */
struct Node {
    NodeId parent = k_none;
    NodeId first = k_none; ///< first child
    NodeId last = k_none;  ///< last child
    NodeId prev = k_none;
    NodeId next = k_none;
    GumboTag tag = GUMBO_TAG_LAST;
    const GumboElement* element = nullptr; ///< attributes; null for text and created nodes
    std::string_view text;                 ///< text nodes: as decoded by gumbo
    std::uint32_t length = 0; ///< text nodes: code points, each run of white space counted once
    std::uint32_t commas = 0; ///< text nodes: commas of any script (Readability's `commas`)
    std::uint32_t ascii_commas = 0;
    bool leading_space = false;  ///< text nodes: starts with white space
    bool trailing_space = false; ///< text nodes: ends with white space
    std::uint32_t hints = 0;     ///< hint:: bits

    [[nodiscard]] bool is_text() const { return tag == GUMBO_TAG_LAST; }
};

/** A <meta> of the page. */
struct Meta {
    std::string_view name;     ///< name attribute, as written
    std::string_view property; ///< property attribute
    std::string_view itemprop;
    std::string_view content;
};

/** A <link> of the page. */
struct Link {
    std::string_view rel;
    std::string_view href;
};

/**
 * The parsed page: the <body> subtree as Nodes (the structure the extractor edits), and what
 * <head> (or anywhere) declares: metas, links, title, JSON-LD blocks, the html lang. Comments,
 * scripts, styles, templates and SVG content are not part of it.
 *
 * All string_views point into gumbo's output, which the Dom owns; they live as long as it.
 * Not copyable; the node vector may be saved and restored (Readability's retries).
 */
class Dom {
    struct OutputDeleter {
        void operator()(GumboOutput* out) const noexcept;
    };
    std::unique_ptr<GumboOutput, OutputDeleter> m_output;

public:
    /** Parses `html` (UTF-8). Throws std::bad_alloc only. */
    explicit Dom(std::string_view html);
    Dom(const Dom&) = delete;
    Dom& operator=(const Dom&) = delete;

    std::vector<Node> nodes;
    NodeId body = k_none; ///< always set: the parser creates a body

    std::vector<Meta> metas;
    std::vector<Link> links;
    std::vector<std::string_view> json_ld; ///< script type=application/ld+json texts
    std::string_view title;                ///< the first <title>'s text
    std::string_view html_lang;
    std::string_view base_href;
    std::size_t scripts = 0; ///< script elements other than JSON-LD
    std::vector<NodeId> noscripts;

    [[nodiscard]] Node& operator[](NodeId id) { return nodes[id]; }
    [[nodiscard]] const Node& operator[](NodeId id) const { return nodes[id]; }

    /** The value of attribute `name` (lower case) of element `id`, or "" when absent. */
    [[nodiscard]] std::string_view attr(NodeId id, const char* name) const;
    [[nodiscard]] bool has_attr(NodeId id, const char* name) const;

    /** The text of the subtree, white space collapsed, trimmed. */
    [[nodiscard]] std::string text_of(NodeId id) const;

    /** Next node in document order within the subtree of `root` (elements and text). */
    [[nodiscard]] NodeId following(NodeId id, NodeId root) const;
    /** Next node after the subtree of `id`, within `root`. */
    [[nodiscard]] NodeId following_skip(NodeId id, NodeId root) const;

    void detach(NodeId id);
    void append_child(NodeId parent, NodeId child);
    void insert_before(NodeId parent, NodeId child, NodeId ref); ///< ref k_none: append
    NodeId create_element(GumboTag tag);
    /** Puts `replacement` where `old` was (old is detached). */
    void replace(NodeId old, NodeId replacement);

    /** True while `id` is still under the body (not removed). */
    [[nodiscard]] bool attached(NodeId id) const;

    /** Element children of `id`. */
    [[nodiscard]] std::vector<NodeId> element_children(NodeId id) const;
    [[nodiscard]] std::size_t element_child_count(NodeId id) const;
};

/** HTML elements whose start tag closes an open <p> (the HTML standard's list, "in body"
 *  insertion mode): the block elements. */
[[nodiscard]] bool closes_paragraph(GumboTag tag);

/** The hint:: bits of an element with these class and id attributes (not `hidden`). */
[[nodiscard]] std::uint32_t hints_of(std::string_view class_attr, std::string_view id_attr);

/** Counts code points and commas of a text as Node::length etc. define them. */
void measure_text(Node& n);

} // namespace trend::extract::detail
