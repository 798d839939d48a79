// SPDX-License-Identifier: MIT
#include "trend/feed/parser.hpp"
#include "trend/feed/term.hpp"
#include "trend/feed/traffic.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <optional>
#include <unordered_map>

namespace trend::feed {

namespace {

constexpr std::size_t k_max_text_bytes = 2000; // news titles and snippets
constexpr std::size_t k_max_name_bytes = 300;  // publisher names
constexpr std::size_t k_max_url_bytes = 2048;
constexpr std::size_t k_max_label_bytes = 64;
constexpr std::size_t k_max_news_items = 20;
constexpr std::size_t k_max_warnings = 100;
constexpr std::size_t k_max_quoted_bytes = 100; // feed text repeated inside a message
constexpr std::size_t k_html_sniff_bytes = 64 * 1024;

std::string quote(std::string_view s) {
    const std::string_view cut = text::utf8_prefix(s, k_max_quoted_bytes);
    return fmt::format("\"{}{}\"", cut, cut.size() < s.size() ? "…" : "");
}

std::string cap_text(std::string s, std::size_t max_bytes) {
    s.resize(text::utf8_prefix(s, max_bytes).size());
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

std::string_view local_name(pugi::xml_node node) {
    const std::string_view name = node.name();
    const std::size_t colon = name.rfind(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The `ht:` elements are matched by local name: their namespace URI has changed over time and
// copies in the wild use a third, wrong one.
pugi::xml_node child_by_local_name(pugi::xml_node parent, std::string_view name) {
    for (const pugi::xml_node child : parent.children())
        if (child.type() == pugi::node_element && local_name(child) == name)
            return child;
    return {};
}

std::string_view namespace_uri(pugi::xml_node node) {
    const std::string_view name = node.name();
    const std::size_t colon = name.find(':');
    const std::string attribute =
        colon == std::string_view::npos ? "xmlns" : fmt::format("xmlns:{}", name.substr(0, colon));
    for (pugi::xml_node n = node; n; n = n.parent())
        if (const pugi::xml_attribute a = n.attribute(attribute.c_str()))
            return a.value();
    return {};
}

// The old daily feed (namespace ".../trends/trendingsearches/daily") escaped its HTML twice.
bool is_old_format(pugi::xml_node channel) {
    for (const pugi::xml_node item : channel.children("item"))
        if (const pugi::xml_node traffic = child_by_local_name(item, "approx_traffic"))
            return text::ascii_lower(namespace_uri(traffic)).find("trendingsearches") !=
                   std::string::npos;
    return false;
}

std::string raw_text(pugi::xml_node node) {
    std::string out;
    for (const pugi::xml_node child : node.children())
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
            out += child.value();
    return out;
}

// Only a plausible region code ("US", "US-CA") is taken from the document.
std::string region_code(std::string_view geo) {
    constexpr std::string_view k_allowed =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if (geo.empty() || geo.size() > 16 || geo.find_first_not_of(k_allowed) != geo.npos)
        return {};
    std::string upper{geo};
    for (char& c : upper)
        c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    return upper;
}

std::string geo_from_link(std::string_view link) {
    const std::size_t query = link.find('?');
    if (query == std::string_view::npos)
        return {};
    std::string_view rest = link.substr(query + 1);
    rest = rest.substr(0, rest.find('#'));
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        if (const std::string_view param = rest.substr(0, amp); param.starts_with("geo="))
            return region_code(param.substr(4));
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    }
    return {};
}

/** Collects warnings, keeping the list bounded whatever the document holds. */
class Warnings {
    std::vector<std::string>& m_out;
    std::size_t m_suppressed = 0;

public:
    explicit Warnings(std::vector<std::string>& out) : m_out(out) {}

    void add(std::string message) {
        if (m_out.size() < k_max_warnings)
            m_out.push_back(std::move(message));
        else
            ++m_suppressed;
    }

    void finish() {
        if (m_suppressed > 0)
            m_out.push_back(fmt::format("{} more warnings not shown", m_suppressed));
    }
};

/** Reads the items of one channel into clean, capped values. */
class ItemReader {
    bool m_old_format;
    Warnings& m_warnings;

    static std::string plain_text(pugi::xml_node node, std::size_t max_bytes) {
        return cap_text(text::collapse_whitespace(text::repair_utf8(raw_text(node))), max_bytes);
    }

    // Titles, snippets and names: the old feed escaped their HTML a second time.
    std::string text_of(pugi::xml_node node, std::size_t max_bytes) const {
        if (!m_old_format)
            return plain_text(node, max_bytes);
        const std::string decoded = text::decode_html_entities(text::repair_utf8(raw_text(node)));
        return cap_text(text::collapse_whitespace(decoded), max_bytes);
    }

    // A cut URL leads somewhere else, and only web links are safe to hand on to a draft: other
    // URLs are dropped, not capped.
    std::string url_of(pugi::xml_node node, std::string_view where) const {
        std::string url = text::collapse_whitespace(text::repair_utf8(raw_text(node)));
        if (url.empty())
            return url;
        if (url.size() > k_max_url_bytes || url.find(' ') != std::string::npos ||
            !(text::istarts_with(url, "https://") || text::istarts_with(url, "http://"))) {
            m_warnings.add(fmt::format("{}: {} {} dropped, not a usable web URL", where,
                                       local_name(node), quote(url)));
            return {};
        }
        return url;
    }

    void read_traffic(pugi::xml_node item, Item& out, std::string_view where) const {
        const pugi::xml_node node = child_by_local_name(item, "approx_traffic");
        out.traffic.label = plain_text(node, k_max_label_bytes);
        out.traffic.value = parse_traffic(out.traffic.label);
        if (!node)
            m_warnings.add(fmt::format("{}: no traffic label", where));
        else if (!out.traffic.value)
            m_warnings.add(fmt::format("{}: traffic label {} not understood", where,
                                       quote(out.traffic.label)));
    }

    void read_started_at(pugi::xml_node item, Item& out, std::string_view where) const {
        const pugi::xml_node node = item.child("pubDate");
        const std::string date = plain_text(node, k_max_label_bytes);
        out.started_at = parse_rfc822(date);
        if (!node)
            m_warnings.add(fmt::format("{}: no pubDate", where));
        else if (!out.started_at)
            m_warnings.add(fmt::format("{}: pubDate {} not understood", where, quote(date)));
    }

    void read_news(pugi::xml_node item, Item& out, std::string_view where) const {
        std::size_t seen = 0;
        for (const pugi::xml_node node : item.children()) {
            if (node.type() != pugi::node_element || local_name(node) != "news_item")
                continue;
            if (++seen > k_max_news_items)
                continue;
            NewsItem news{
                .title = text_of(child_by_local_name(node, "news_item_title"), k_max_text_bytes),
                .url = url_of(child_by_local_name(node, "news_item_url"), where),
                .source = text_of(child_by_local_name(node, "news_item_source"), k_max_name_bytes),
                .picture = url_of(child_by_local_name(node, "news_item_picture"), where),
                .snippet =
                    text_of(child_by_local_name(node, "news_item_snippet"), k_max_text_bytes),
            };
            if (news.title.empty() && news.url.empty())
                m_warnings.add(fmt::format("{}: news item {} has neither title nor url, skipped",
                                           where, seen));
            else
                out.news.push_back(std::move(news));
        }
        if (seen > k_max_news_items)
            m_warnings.add(
                fmt::format("{}: {} news items, kept the first {}", where, seen, k_max_news_items));
    }

public:
    ItemReader(bool old_format, Warnings& warnings)
        : m_old_format(old_format), m_warnings(warnings) {}

    /** `index` is the item's 1-based position in the document, for messages. */
    std::optional<Item> read(pugi::xml_node item, std::size_t index) const {
        Item out;
        // Whole, so guard_term hashes all of it: terms are cut there, never here.
        GuardedTerm term = guard_term(text_of(item.child("title"), std::string::npos),
                                      fmt::format("item {}", index));
        out.term = std::move(term.term);
        if (out.term.empty()) {
            m_warnings.add(fmt::format("item {}: empty title, skipped", index));
            return std::nullopt;
        }
        if (term.warning)
            m_warnings.add(std::move(*term.warning));
        const std::string where = fmt::format("item {} {}", index, quote(out.term));
        read_traffic(item, out, where);
        read_started_at(item, out, where);
        out.picture = url_of(child_by_local_name(item, "picture"), where);
        out.picture_source = text_of(child_by_local_name(item, "picture_source"), k_max_name_bytes);
        read_news(item, out, where);
        return out;
    }
};

std::string_view skip_bom_and_space(std::string_view s) {
    if (s.starts_with("\xEF\xBB\xBF"))
        s.remove_prefix(3);
    const std::size_t start = s.find_first_not_of(" \t\r\n");
    return start == std::string_view::npos ? std::string_view{} : s.substr(start);
}

std::string html_page_error(std::string_view title) {
    if (title.empty())
        return "an HTML page, not a feed";
    return fmt::format("an HTML page, not a feed (title: {})", quote(title));
}

std::string clean_title(std::string_view raw) {
    const std::string decoded = text::decode_html_entities(text::repair_utf8(raw));
    return text::collapse_whitespace(text::strip_html_tags(decoded));
}

// Error pages are not XML (unclosed <meta>, <br>), so the title is found by hand.
std::string html_title(std::string_view page) {
    page = page.substr(0, k_html_sniff_bytes);
    const std::string lower = text::ascii_lower(page);
    const std::size_t open = lower.find("<title");
    const std::size_t start = open == std::string::npos ? open : lower.find('>', open);
    if (start == std::string::npos)
        return {};
    const std::size_t end = lower.find("</title", start);
    return clean_title(page.substr(start + 1, end == std::string::npos ? end : end - start - 1));
}

std::optional<std::string> sniff_non_xml(std::string_view body, const ParseContext& ctx) {
    if (body.size() > ctx.max_bytes)
        return fmt::format("document is {} bytes, over the cap of {} bytes", body.size(),
                           ctx.max_bytes);
    const std::string_view start = skip_bom_and_space(body);
    if (start.empty())
        return "empty document";
    if (text::istarts_with(start, "<!doctype html") || text::istarts_with(start, "<html"))
        return html_page_error(html_title(start));
    if (start.front() == '{' || start.front() == '[' || start.starts_with(")]}'"))
        return "a JSON document, not a feed";
    return std::nullopt;
}

std::optional<std::string> check_envelope(pugi::xml_node root) {
    const std::string name = text::repair_utf8(text::utf8_prefix(root.name(), 64));
    if (text::ascii_lower(name) == "html")
        return html_page_error(clean_title(raw_text(root.child("head").child("title"))));
    if (name != "rss")
        return fmt::format("root element is <{}>, not <rss>", name);
    if (!root.child("channel"))
        return "<rss> has no <channel>";
    return std::nullopt;
}

Snapshot read_channel(pugi::xml_node channel, const ParseContext& ctx) {
    Snapshot snapshot;
    snapshot.geo = ctx.geo.empty() ? geo_from_link(raw_text(channel.child("link"))) : ctx.geo;
    snapshot.fetched_at = ctx.fetched_at;
    Warnings warnings{snapshot.warnings};
    const ItemReader reader{is_old_format(channel), warnings};
    std::unordered_map<std::string, std::size_t> seen_terms; // normalised term -> item index
    std::size_t index = 0;
    std::size_t over_cap = 0;
    for (const pugi::xml_node node : channel.children("item")) {
        ++index;
        if (snapshot.items.size() == ctx.max_items) {
            ++over_cap;
            continue;
        }
        std::optional<Item> item = reader.read(node, index);
        if (!item)
            continue;
        const auto [first, inserted] = seen_terms.emplace(text::normalize_term(item->term), index);
        if (!inserted) {
            warnings.add(fmt::format("item {} {}: same term as item {}, skipped", index,
                                     quote(item->term), first->second));
            continue;
        }
        item->rank = static_cast<int>(snapshot.items.size() + 1);
        snapshot.items.push_back(std::move(*item));
    }
    if (over_cap > 0)
        warnings.add(fmt::format("{} items past the cap of {} dropped", over_cap, ctx.max_items));
    warnings.finish();
    return snapshot;
}

std::string xml_error(std::string_view body, const pugi::xml_parse_result& result) {
    const auto offset = static_cast<std::size_t>(result.offset);
    // pugixml stops at a NUL byte and blames whatever it was parsing; name the real cause.
    if (offset < body.size() && body[offset] == '\0')
        return fmt::format("not XML: NUL byte at byte {}", offset);
    return fmt::format("not XML: {} at byte {}", result.description(), offset);
}

ParseResult parse(std::string_view body, const ParseContext& ctx) {
    if (auto error = sniff_non_xml(body, ctx))
        return ParseError{std::move(*error)};
    pugi::xml_document doc;
    const pugi::xml_parse_result result =
        doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_auto);
    if (!result)
        return ParseError{xml_error(body, result)};
    const pugi::xml_node root = doc.document_element();
    if (auto error = check_envelope(root))
        return ParseError{std::move(*error)};
    return read_channel(root.child("channel"), ctx);
}

} // namespace

ParseResult parse_google_trends_rss(std::string_view body, const ParseContext& ctx) {
    try {
        return parse(body, ctx);
    } catch (const std::exception& e) {
        return ParseError{std::string{"parser failed: "} + e.what()};
    } catch (...) {
        return ParseError{"parser failed"};
    }
}

} // namespace trend::feed
