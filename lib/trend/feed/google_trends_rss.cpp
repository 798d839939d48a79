// SPDX-License-Identifier: MIT
#include "trend/feed/document.hpp"
#include "trend/feed/parser.hpp"
#include "trend/feed/term.hpp"
#include "trend/feed/traffic.hpp"
#include "trend/feed/xml.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <optional>
#include <unordered_map>

namespace trend::feed {

namespace {

using detail::cap_text;
using detail::local_name;
using detail::namespace_uri;
using detail::quote;
using detail::raw_text;
using detail::Warnings;

constexpr std::size_t k_max_text_bytes = 2000; // news titles and snippets
constexpr std::size_t k_max_name_bytes = 300;  // publisher names
constexpr std::size_t k_max_url_bytes = 2048;
constexpr std::size_t k_max_label_bytes = 64;
constexpr std::size_t k_max_news_items = 20;

// The `ht:` elements are matched by local name: their namespace URI has changed over time and
// copies in the wild use a third, wrong one.
pugi::xml_node child_by_local_name(pugi::xml_node parent, std::string_view name) {
    for (const pugi::xml_node child : parent.children())
        if (child.type() == pugi::node_element && local_name(child) == name)
            return child;
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

std::optional<std::string> sniff_non_xml(std::string_view body, const ParseContext& ctx) {
    if (auto refused = detail::refuse_body(body, ctx, "feed"))
        return refused;
    const std::string_view start = detail::skip_bom_and_space(body);
    if (start.front() == '{' || start.front() == '[' || start.starts_with(")]}'"))
        return "a JSON document, not a feed";
    return std::nullopt;
}

std::optional<std::string> check_envelope(pugi::xml_node root) {
    const std::string name = text::repair_utf8(text::utf8_prefix(root.name(), 64));
    if (text::ascii_lower(name) == "html")
        return detail::html_page_error(
            detail::clean_title(raw_text(root.child("head").child("title"))), "feed");
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

ParseResult parse(std::string_view body, const ParseContext& ctx) {
    if (auto error = sniff_non_xml(body, ctx))
        return ParseError{std::move(*error)};
    pugi::xml_document doc;
    const pugi::xml_parse_result result =
        doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_auto);
    if (!result)
        return ParseError{detail::xml_error(body, result)};
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
