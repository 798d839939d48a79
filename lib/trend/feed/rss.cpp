// SPDX-License-Identifier: MIT
// `rss`: RSS 0.9x, RSS 1.0 (RDF), RSS 2.0, Atom 0.3 and Atom 1.0 (RFC 4287).
#include "trend/feed/document.hpp"
#include "trend/feed/parser.hpp"
#include "trend/feed/xml.hpp"
#include "trend/util/charset.hpp"
#include "trend/util/html_text.hpp"
#include "trend/util/text.hpp"
#include "trend/util/url.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <array>
#include <optional>

namespace trend::feed {

namespace {

using detail::quote;
using detail::Warnings;

/** The vocabularies a news feed mixes, by namespace. */
enum class Ns { none, atom, rss, rdf, dc, dcterms, content, media, slash, thr, feedburner, other };

struct KnownNs {
    std::string_view uri;
    std::string_view usual_prefix; // for documents that use a prefix without declaring it
    Ns ns;
};

constexpr std::array<KnownNs, 13> k_namespaces{{
    {"http://www.w3.org/2005/Atom", "atom", Ns::atom},
    {"http://purl.org/atom/ns#", "", Ns::atom}, // Atom 0.3
    {"http://purl.org/rss/1.0/", "", Ns::rss},
    {"http://my.netscape.com/rdf/simple/0.9/", "", Ns::rss}, // RSS 0.90
    {"http://backend.userland.com/rss2", "", Ns::none},      // RSS 2.0 as some wrote it
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf", Ns::rdf},
    {"http://purl.org/dc/elements/1.1/", "dc", Ns::dc},
    {"http://purl.org/dc/terms/", "dcterms", Ns::dcterms},
    {"http://purl.org/rss/1.0/modules/content/", "content", Ns::content},
    {"http://search.yahoo.com/mrss/", "media", Ns::media},
    {"http://purl.org/rss/1.0/modules/slash/", "slash", Ns::slash},
    {"http://purl.org/syndication/thread/1.0", "thr", Ns::thr},
    {"http://rssnamespace.org/feedburner/ext/1.0", "feedburner", Ns::feedburner},
}};

// Trailing slashes and case vary in the wild ("http://search.yahoo.com/mrss").
bool same_uri(std::string_view a, std::string_view b) {
    while (a.ends_with('/'))
        a.remove_suffix(1);
    while (b.ends_with('/'))
        b.remove_suffix(1);
    return text::ascii_lower(a) == text::ascii_lower(b);
}

Ns ns_of(pugi::xml_node node) {
    const std::string_view uri = detail::namespace_uri(node);
    const std::string_view name = node.name();
    const std::size_t colon = name.find(':');
    const std::string_view prefix = colon == std::string_view::npos ? "" : name.substr(0, colon);
    if (uri.empty()) {
        if (prefix.empty())
            return Ns::none;
        for (const KnownNs& k : k_namespaces)
            if (!k.usual_prefix.empty() && text::ascii_lower(prefix) == k.usual_prefix)
                return k.ns;
        return Ns::other;
    }
    for (const KnownNs& k : k_namespaces)
        if (same_uri(uri, k.uri))
            return k.ns;
    return Ns::other;
}

enum class Format { rss2, rss1, atom10, atom03 };

/** Where an element of the format's own vocabulary may be: its namespace, or none. */
struct Vocabulary {
    Ns core;
    bool is(pugi::xml_node n, std::string_view local) const {
        if (n.type() != pugi::node_element || detail::local_name(n) != local)
            return false;
        const Ns ns = ns_of(n);
        return ns == core || ns == Ns::none;
    }
    static bool is(pugi::xml_node n, Ns ns, std::string_view local) {
        return n.type() == pugi::node_element && detail::local_name(n) == local && ns_of(n) == ns;
    }
    pugi::xml_node child(pugi::xml_node parent, std::string_view local) const {
        for (const pugi::xml_node c : parent.children())
            if (is(c, local))
                return c;
        return {};
    }
    static pugi::xml_node child(pugi::xml_node parent, Ns ns, std::string_view local) {
        for (const pugi::xml_node c : parent.children())
            if (is(c, ns, local))
                return c;
        return {};
    }
};

bool is_atom(Format f) {
    return f == Format::atom10 || f == Format::atom03;
}

Vocabulary vocabulary_of(Format f) {
    return {f == Format::rss2 ? Ns::none : f == Format::rss1 ? Ns::rss : Ns::atom};
}

std::string attribute(pugi::xml_node n, const char* name) {
    return detail::plain(n.attribute(name).value());
}

/** The base URI in effect inside `node`, given the one of its parent (RFC 4287 section 2,
 *  XML Base). */
std::string with_xml_base(const std::string& base, pugi::xml_node node) {
    const pugi::xml_attribute a = node.attribute("xml:base");
    if (!a)
        return base;
    return util::resolve_url(base, a.value()).value_or(base);
}

/** An Atom text construct, or RSS text, before it becomes plain text. */
struct Text {
    std::string raw;
    std::optional<bool> html; // nullopt: decide by looking (RSS titles)
    bool present = false;
};

struct StringWriter final : pugi::xml_writer {
    std::string out;
    void write(const void* data, std::size_t size) override {
        out.append(static_cast<const char*>(data), size);
    }
};

std::string inner_xml(pugi::xml_node node) {
    StringWriter w;
    for (const pugi::xml_node child : node.children())
        child.print(w, "", pugi::format_raw);
    return std::move(w.out);
}

// RFC 4287 section 3.1 (type text|html|xhtml) and Atom 0.3 (MIME type, mode escaped|xml|base64).
Text atom_text(pugi::xml_node node) {
    if (!node || node.attribute("src"))
        return {}; // absent, or out-of-line content
    const std::string type = text::ascii_lower(attribute(node, "type"));
    const std::string mode = text::ascii_lower(attribute(node, "mode"));
    if (mode == "base64")
        return {};
    if (type == "xhtml" || type == "application/xhtml+xml" || mode == "xml")
        return {inner_xml(node), true, true};
    if (type == "html" || type == "text/html")
        return {detail::raw_text(node), true, true};
    if (type.empty() || type == "text" || type == "text/plain")
        return {detail::raw_text(node), false, true};
    return {}; // another media type: not text
}

// "jo@example.com (Jo Doe)" -> "Jo Doe" (RSS 2.0 author); anything else as written.
std::string person(std::string s) {
    if (s.ends_with(')')) {
        const std::size_t open = s.rfind('(');
        if (open != std::string::npos && s.find('@') < open) {
            std::string name = text::collapse_whitespace(s.substr(open + 1, s.size() - open - 2));
            if (!name.empty())
                return name;
        }
    }
    return s;
}

std::optional<std::int64_t> count_of(std::string_view s) {
    if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != s.npos)
        return std::nullopt;
    return std::stoll(std::string{s});
}

class FeedReader {
    Format m_format;
    Vocabulary m_v;
    std::string m_base;        // base URI of the feed element (document URL + xml:base)
    std::string m_feed_author; // Atom: entries without an author inherit the feed's
    Warnings& m_warnings;

    std::optional<std::string> link_to(const std::string& base, std::string_view ref,
                                       std::string_view where, std::string_view what) const {
        const std::string trimmed = detail::plain(ref);
        if (trimmed.empty())
            return std::nullopt;
        if (auto u = util::resolve_http_url(base, trimmed))
            return u;
        m_warnings.add(
            fmt::format("{}: {} {} dropped, not a usable web URL", where, what, quote(trimmed)));
        return std::nullopt;
    }

    std::optional<Timestamp> date_of(pugi::xml_node node, std::string_view where) const {
        if (!node)
            return std::nullopt;
        const std::string s = detail::plain(detail::raw_text(node));
        if (s.empty())
            return std::nullopt;
        if (auto t = parse_feed_date(s))
            return t;
        m_warnings.add(
            fmt::format("{}: {} {} not understood", where, detail::local_name(node), quote(s)));
        return std::nullopt;
    }

    // The first readable date among `names`; Ns::none there means the format's own vocabulary.
    std::optional<Timestamp>
    first_date(pugi::xml_node entry, std::string_view where,
               std::initializer_list<std::pair<Ns, const char*>> names) const {
        for (const auto& [ns, local] : names) {
            const pugi::xml_node n =
                ns == Ns::none ? m_v.child(entry, local) : Vocabulary::child(entry, ns, local);
            if (n)
                if (auto t = date_of(n, where))
                    return t;
        }
        return std::nullopt;
    }

    Text title_of(pugi::xml_node entry) const {
        if (is_atom())
            return atom_text(m_v.child(entry, "title"));
        pugi::xml_node n = m_v.child(entry, "title");
        if (!n)
            n = Vocabulary::child(entry, Ns::dc, "title");
        if (!n)
            return {};
        return {detail::raw_text(n), std::nullopt, true};
    }

    // Atom: rel="alternate" (the default) first, text/html first among those.
    std::optional<std::string> atom_link(pugi::xml_node entry, const std::string& base,
                                         std::string_view where) const {
        pugi::xml_node best;
        int best_score = 0;
        for (const pugi::xml_node l : entry.children()) {
            if (!m_v.is(l, "link") && !Vocabulary::is(l, Ns::atom, "link"))
                continue;
            const std::string rel = text::ascii_lower(attribute(l, "rel"));
            const std::string type = text::ascii_lower(attribute(l, "type"));
            int score = 1;
            if (rel.empty() || rel == "alternate")
                score = type.empty() || type == "text/html" ? 4 : 3;
            else if (rel == "self" || rel == "enclosure" || rel == "replies" || rel == "edit")
                continue;
            if (!l.attribute("href"))
                continue;
            if (score > best_score) {
                best = l;
                best_score = score;
            }
        }
        if (!best)
            return std::nullopt;
        return link_to(with_xml_base(base, best), best.attribute("href").value(), where, "link");
    }

    std::optional<std::string> link_of(pugi::xml_node entry, const std::string& base,
                                       std::string_view where) const {
        // FeedBurner wraps links in feedproxy redirects (a dead service); it keeps the original.
        if (const pugi::xml_node orig = Vocabulary::child(entry, Ns::feedburner, "origLink"))
            if (auto u = link_to(base, detail::raw_text(orig), where, "origLink"))
                return u;
        if (is_atom())
            return atom_link(entry, base, where);
        if (const pugi::xml_node l = m_v.child(entry, "link"))
            if (auto u = link_to(with_xml_base(base, l), detail::raw_text(l), where, "link"))
                return u;
        // RSS 2.0: a guid is a permalink unless isPermaLink="false".
        if (const pugi::xml_node g = m_v.child(entry, "guid");
            g && text::ascii_lower(attribute(g, "isPermaLink")) != "false")
            if (auto u = util::resolve_http_url(base, detail::plain(detail::raw_text(g))))
                return u;
        if (auto u = atom_link(entry, base, where)) // atom:link inside RSS
            return u;
        if (const pugi::xml_attribute about = entry.attribute("rdf:about")) // RSS 1.0
            return util::resolve_http_url(base, about.value());
        return std::nullopt;
    }

    // The first non-empty of the summary elements (Ns::none: the format's own vocabulary).
    Text summary_of(pugi::xml_node entry) const {
        if (is_atom()) {
            Text t = atom_text(m_v.child(entry, "summary"));
            if (!t.present || detail::plain(t.raw).empty())
                t = atom_text(m_v.child(entry, "content"));
            return t;
        }
        for (const auto& [ns, local] :
             {std::pair{Ns::none, "description"}, std::pair{Ns::content, "encoded"},
              std::pair{Ns::dc, "description"}}) {
            const pugi::xml_node n =
                ns == Ns::none ? m_v.child(entry, local) : Vocabulary::child(entry, ns, local);
            std::string raw = detail::raw_text(n);
            if (!detail::plain(raw).empty())
                return {std::move(raw), true, true};
        }
        return {};
    }

    std::string author_of(pugi::xml_node entry) const {
        std::vector<std::string> names;
        for (const pugi::xml_node n : entry.children()) {
            if (m_v.is(n, "author") || Vocabulary::is(n, Ns::atom, "author")) {
                // Atom person construct, or RSS 2.0's "email (Name)".
                pugi::xml_node name = m_v.child(n, "name");
                if (!name)
                    name = Vocabulary::child(n, Ns::atom, "name");
                std::string s = detail::plain(detail::raw_text(name ? name : n));
                if (!s.empty())
                    names.push_back(person(std::move(s)));
            } else if (Vocabulary::is(n, Ns::dc, "creator")) {
                if (std::string s = detail::plain(detail::raw_text(n)); !s.empty())
                    names.push_back(std::move(s));
            }
            if (names.size() == 10)
                break;
        }
        std::string out;
        for (const std::string& n : names)
            if (out.find(n) == std::string::npos)
                out += out.empty() ? n : ", " + n;
        if (out.empty())
            out = m_feed_author;
        return detail::cap_text(std::move(out), detail::k_max_name_bytes);
    }

    static bool is_image(pugi::xml_node n) {
        const std::string type = text::ascii_lower(attribute(n, "type"));
        const std::string medium = text::ascii_lower(attribute(n, "medium"));
        return medium == "image" || type.starts_with("image/");
    }

    // Media, then enclosures, then the first real <img> of the summary or of the content.
    std::optional<std::string> picture_of(pugi::xml_node entry, const std::string& base,
                                          const Text& summary, std::string_view summary_image,
                                          std::string_view where) const {
        std::optional<std::string> thumbnail;
        std::optional<std::string> enclosure;
        // media:content and media:thumbnail, also inside media:group.
        std::vector<pugi::xml_node> scopes{entry};
        for (const pugi::xml_node g : entry.children())
            if (Vocabulary::is(g, Ns::media, "group"))
                scopes.push_back(g);
        for (const pugi::xml_node scope : scopes) {
            for (const pugi::xml_node n : scope.children()) {
                if (Vocabulary::is(n, Ns::media, "content") && is_image(n)) {
                    if (auto u = link_to(base, n.attribute("url").value(), where, "media:content"))
                        return u;
                } else if (Vocabulary::is(n, Ns::media, "thumbnail") && !thumbnail) {
                    thumbnail = link_to(base, n.attribute("url").value(), where, "media:thumbnail");
                } else if (!enclosure && is_image(n) &&
                           (m_v.is(n, "enclosure") ||
                            ((m_v.is(n, "link") || Vocabulary::is(n, Ns::atom, "link")) &&
                             text::ascii_lower(attribute(n, "rel")) == "enclosure"))) {
                    const char* ref = n.attribute("url") ? n.attribute("url").value()
                                                         : n.attribute("href").value();
                    enclosure = link_to(base, ref, where, "enclosure");
                }
            }
        }
        if (thumbnail)
            return thumbnail;
        if (enclosure)
            return enclosure;
        if (!summary_image.empty())
            return link_to(base, summary_image, where, "summary image");
        // The full content often has the article's picture when the summary has none.
        const Text content =
            is_atom() ? atom_text(m_v.child(entry, "content"))
                      : Text{detail::raw_text(Vocabulary::child(entry, Ns::content, "encoded")),
                             true, true};
        if (content.html.value_or(false) && content.raw != summary.raw)
            if (const std::string src = text::html_to_text(content.raw, 0).first_image;
                !src.empty())
                return link_to(base, src, where, "content image");
        return std::nullopt;
    }

    bool is_atom() const { return feed::is_atom(m_format); }

    std::optional<std::int64_t> comments_of(pugi::xml_node entry) const {
        for (const auto& [ns, local] :
             {std::pair{Ns::slash, "comments"}, std::pair{Ns::thr, "total"}})
            if (const pugi::xml_node n = Vocabulary::child(entry, ns, local))
                if (auto c = count_of(detail::plain(detail::raw_text(n))))
                    return c;
        return std::nullopt;
    }

public:
    FeedReader(Format format, std::string base, std::string feed_author, Warnings& warnings)
        : m_format(format), m_v(vocabulary_of(format)), m_base(std::move(base)),
          m_feed_author(std::move(feed_author)), m_warnings(warnings) {}

    Item read(pugi::xml_node entry, int rank) const {
        Item item;
        item.rank = rank;
        item.traffic = {fmt::format("#{}", rank), rank};
        const std::string base = with_xml_base(m_base, entry);
        const Text title = title_of(entry);
        std::string where = fmt::format("entry {}", rank);
        item.term = detail::term_text(title.raw, title.html, m_warnings, where);
        if (item.term.empty())
            item.skip_reason = "no title";
        else
            where = fmt::format("entry {} {}", rank, quote(item.term));

        item.url = link_of(entry, base, where).value_or("");
        const Text summary = summary_of(entry);
        std::string summary_image;
        item.summary =
            detail::summary_text(summary.raw, summary.html.value_or(true), &summary_image);
        item.author = author_of(entry);
        const bool atom = is_atom();
        item.published_at =
            atom
                ? first_date(entry, where,
                             {{Ns::none, "published"}, {Ns::none, "issued"}, {Ns::none, "created"}})
                : first_date(entry, where,
                             {{Ns::none, "pubDate"},
                              {Ns::dc, "date"},
                              {Ns::dcterms, "issued"},
                              {Ns::dcterms, "created"}});
        item.updated_at =
            atom ? first_date(entry, where, {{Ns::none, "updated"}, {Ns::none, "modified"}})
                 : first_date(entry, where, {{Ns::atom, "updated"}, {Ns::dcterms, "modified"}});
        item.picture = picture_of(entry, base, summary, summary_image, where).value_or("");
        item.comments = comments_of(entry);
        return item;
    }
};

/** The document as UTF-8: by BOM, then the XML declaration's encoding, then the
 *  Content-Type charset, else UTF-8 (repaired). */
std::string utf8_document(std::string_view body, const ParseContext& ctx, Warnings& warnings) {
    std::string charset;
    if (const auto bom = text::bom_of(body)) {
        charset = bom->charset;
        body.remove_prefix(bom->length);
    } else if (body.starts_with(std::string_view{"<\0?\0", 4})) {
        charset = "UTF-16LE";
    } else if (body.starts_with(std::string_view{"\0<\0?", 4})) {
        charset = "UTF-16BE";
    } else if (const std::string_view head = detail::skip_bom_and_space(body);
               head.starts_with("<?xml")) {
        const std::string_view decl = head.substr(0, head.substr(0, 512).find("?>"));
        if (const std::size_t at = decl.find("encoding"); at != std::string_view::npos) {
            const std::size_t open = decl.find_first_of("\"'", at);
            const std::size_t close =
                open == std::string_view::npos ? open : decl.find(decl[open], open + 1);
            if (close != std::string_view::npos)
                charset = text::ascii_lower(decl.substr(open + 1, close - open - 1));
        }
        // A document we can read "<?xml" from in ASCII is not UTF-16 or UTF-32, whatever it says.
        if (charset.starts_with("utf-16") || charset.starts_with("utf-32") ||
            charset.starts_with("ucs"))
            charset = "utf-8";
    }
    if (charset.empty())
        charset = text::charset_of_content_type(ctx.content_type);
    if (charset.empty())
        charset = "utf-8";
    if (auto converted = text::to_utf8(body, charset))
        return std::move(*converted);
    warnings.add(fmt::format("unknown charset {}, read as UTF-8", quote(charset)));
    return text::repair_utf8(body);
}

std::string rss_error(std::string_view what) {
    return fmt::format("RSS: {}", what);
}

struct Layout {
    Format format;
    std::string name;         // "RSS 2.0", "Atom 1.0", ...
    pugi::xml_node container; // the element holding the entries
    pugi::xml_node channel;   // where the feed's title, link and author are
    const char* entry;        // "item" or "entry"
};

std::variant<Layout, std::string> layout_of(pugi::xml_node root) {
    const std::string name = text::repair_utf8(text::utf8_prefix(root.name(), 64));
    const std::string_view local = detail::local_name(root);
    const Ns ns = ns_of(root);
    if (text::ascii_lower(name) == "html")
        return rss_error("document element is <html>: this is a web page, not a feed");
    if (local == "rss" && (ns == Ns::none)) {
        const pugi::xml_node channel = root.child("channel");
        if (!channel)
            return rss_error("<rss> has no <channel>");
        std::string version = detail::cap_text(attribute(root, "version"), 8);
        return Layout{Format::rss2, version.empty() ? "RSS" : "RSS " + version, channel, channel,
                      "item"};
    }
    if (local == "RDF" && ns == Ns::rdf) {
        const Vocabulary v{Ns::rss};
        const pugi::xml_node channel = v.child(root, "channel");
        const bool rss090 = same_uri(detail::namespace_uri(channel ? channel : root),
                                     "http://my.netscape.com/rdf/simple/0.9/");
        // RSS 1.0 puts items beside the channel; some documents put them inside it.
        const pugi::xml_node container = v.child(root, "item") || !channel ? root : channel;
        return Layout{Format::rss1, rss090 ? "RSS 0.90 (RDF)" : "RSS 1.0 (RDF)", container, channel,
                      "item"};
    }
    if (local == "feed" && (ns == Ns::atom || ns == Ns::none)) {
        const bool v03 = attribute(root, "version") == "0.3" ||
                         same_uri(detail::namespace_uri(root), "http://purl.org/atom/ns#");
        return Layout{v03 ? Format::atom03 : Format::atom10, v03 ? "Atom 0.3" : "Atom 1.0", root,
                      root, "entry"};
    }
    return rss_error(
        fmt::format("document element is <{}>, not a feed (<rss>, <rdf:RDF> or <feed>)", name));
}

ParseResult parse(std::string_view body, const ParseContext& ctx) {
    if (auto refused = detail::refuse_body(body, ctx, "feed"))
        return ParseError{rss_error(*refused)};
    const std::string_view start = detail::skip_bom_and_space(body);
    if (start.front() == '{' || start.front() == '[' || start.starts_with(")]}'"))
        return ParseError{rss_error("a JSON document, not a feed")};

    Snapshot snapshot;
    detail::SnapshotWriter out{snapshot, ctx, "", TrafficKind::rank};
    Warnings& warnings = out.warnings();

    const std::string utf8 = utf8_document(body, ctx, warnings);
    pugi::xml_document doc;
    const pugi::xml_parse_result result =
        doc.load_buffer(utf8.data(), utf8.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!result) {
        // XHTML error pages start with an XML declaration and often are not well-formed.
        if (text::ascii_lower(utf8.substr(0, 1024)).find("<html") != std::string::npos)
            return ParseError{rss_error("an HTML page, not a feed")};
        return ParseError{rss_error(detail::xml_error(utf8, result))};
    }
    auto layout = layout_of(doc.document_element());
    if (auto* error = std::get_if<std::string>(&layout))
        return ParseError{std::move(*error)};
    const Layout& l = std::get<Layout>(layout);
    snapshot.format = l.name;

    const bool atom = is_atom(l.format);
    const Vocabulary v = vocabulary_of(l.format);
    const Text title =
        atom ? atom_text(v.child(l.channel, "title"))
             : Text{detail::raw_text(v.child(l.channel, "title")), std::nullopt, true};
    snapshot.title = detail::cap_text(detail::title_text(title.raw, title.html, warnings, "feed"),
                                      detail::k_max_name_bytes);

    // Relative links: against xml:base, then the document's URL, else the feed's own link.
    std::string base = ctx.url;
    if (base.empty() && !atom)
        base =
            util::resolve_http_url("", detail::raw_text(v.child(l.channel, "link"))).value_or("");
    base = with_xml_base(base, doc.document_element());
    if (l.channel != doc.document_element())
        base = with_xml_base(base, l.channel);
    std::string feed_author;
    if (atom)
        if (const pugi::xml_node a = v.child(l.channel, "author"))
            feed_author = detail::plain(detail::raw_text(v.child(a, "name")));

    const FeedReader reader{l.format, base, feed_author, warnings};
    int rank = 0;
    for (const pugi::xml_node entry : l.container.children())
        if (v.is(entry, l.entry) && !out.full())
            out.add(reader.read(entry, ++rank));
    out.finish();
    return snapshot;
}

} // namespace

ParseResult parse_rss(std::string_view body, const ParseContext& ctx) {
    return detail::guarded("RSS", [&] { return parse(body, ctx); });
}

} // namespace trend::feed
