// SPDX-License-Identifier: MIT
// `mastodon-trends`: /api/v1/trends/tags and /api/v1/trends/links of any Mastodon instance.
#include "trend/feed/document.hpp"
#include "trend/feed/parser.hpp"
#include "trend/util/url.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trend::feed {

namespace {

using detail::int_member;
using detail::member;
using detail::quote;
using detail::string_member;
using detail::Warnings;
using rapidjson::Value;

constexpr std::size_t k_max_history_days = 31;

enum class Kind { tags, links, statuses, unknown };

// A Tag has name and history; a link is a PreviewCard (url, title, type "link"...); a status has
// content and account.
Kind kind_of(const Value& entry) {
    if (!entry.IsObject())
        return Kind::unknown;
    if (member(entry, "content") != nullptr && member(entry, "account") != nullptr)
        return Kind::statuses;
    if (member(entry, "title") != nullptr || member(entry, "provider_name") != nullptr ||
        member(entry, "description") != nullptr)
        return Kind::links;
    if (member(entry, "name") != nullptr || member(entry, "history") != nullptr)
        return Kind::tags;
    return Kind::unknown;
}

Kind kind_of_reply(const Value& array) {
    std::size_t tags = 0, links = 0, statuses = 0;
    for (const Value& e : array.GetArray()) {
        switch (kind_of(e)) {
        case Kind::tags:
            ++tags;
            break;
        case Kind::links:
            ++links;
            break;
        case Kind::statuses:
            ++statuses;
            break;
        case Kind::unknown:
            break;
        }
    }
    if (statuses > tags && statuses > links)
        return Kind::statuses;
    if (tags == 0 && links == 0)
        return Kind::unknown;
    return links > tags ? Kind::links : Kind::tags;
}

/** `history`: daily {day, uses, accounts}, numbers as strings; newest first in the result. */
std::vector<DayCount> read_history(const Value& entry, Warnings& warnings, std::string_view where) {
    std::vector<DayCount> out;
    const Value* history = member(entry, "history");
    if (history == nullptr || !history->IsArray()) {
        warnings.add(fmt::format("{}: no history, so no counts", where));
        return out;
    }
    std::size_t bad = 0;
    for (const Value& d : history->GetArray()) {
        if (out.size() == k_max_history_days)
            break;
        const auto day = detail::unix_seconds(int_member(d, "day"));
        const auto uses = int_member(d, "uses");
        const auto accounts = int_member(d, "accounts");
        if (!day || !uses) {
            ++bad;
            continue;
        }
        out.push_back({*day, *uses, accounts.value_or(0)});
    }
    if (bad > 0)
        warnings.add(
            fmt::format("{}: {} history entries without a day or uses, left out", where, bad));
    std::stable_sort(out.begin(), out.end(),
                     [](const DayCount& a, const DayCount& b) { return a.day > b.day; });
    return out;
}

// Traffic is the newest day's count: today's, UTC.
void set_traffic(Item& item) {
    if (item.history.empty())
        return;
    item.traffic.value = item.history.front().uses;
    item.traffic.label = std::to_string(item.history.front().uses);
}

Item read_tag(const Value& entry, int rank, Warnings& warnings) {
    Item item;
    item.rank = rank;
    const std::string name = string_member(entry, "name").value_or("");
    std::string where = fmt::format("entry {}", rank);
    if (name.empty()) {
        item.skip_reason = "no name";
        warnings.add(fmt::format("{} has no name", where));
    } else {
        item.term = detail::term_text("#" + name, false, warnings, where);
        where = fmt::format("entry {} {}", rank, quote(item.term));
    }
    const std::string tag_url = string_member(entry, "url").value_or("");
    item.url = util::resolve_http_url("", tag_url).value_or("");
    if (item.url.empty() && !tag_url.empty())
        warnings.add(
            fmt::format("{}: url {} dropped, not a usable web URL", where, quote(tag_url)));
    item.history = read_history(entry, warnings, where);
    set_traffic(item);
    return item;
}

Item read_link(const Value& entry, int rank, Warnings& warnings) {
    Item item;
    item.rank = rank;
    // PreviewCard titles and descriptions are plain text taken from the linked page.
    item.term = detail::term_text(detail::raw_string_member(entry, "title"), false, warnings,
                                   fmt::format("entry {}", rank));
    const std::string where = item.term.empty()
                                  ? fmt::format("entry {}", rank)
                                  : fmt::format("entry {} {}", rank, quote(item.term));
    const std::string link = string_member(entry, "url").value_or("");
    item.url = util::resolve_http_url("", link).value_or("");
    if (item.term.empty())
        item.skip_reason = "no title";
    else if (item.url.empty())
        item.skip_reason =
            link.empty() ? "no url" : fmt::format("url {} is not a web URL", quote(link));
    item.summary = detail::summary_text(detail::raw_string_member(entry, "description"), false);
    item.publisher = detail::cap_text(string_member(entry, "provider_name").value_or(""),
                                      detail::k_max_name_bytes);
    std::string author = string_member(entry, "author_name").value_or("");
    if (const Value* authors = member(entry, "authors");
        author.empty() && authors != nullptr && authors->IsArray())
        for (const Value& a : authors->GetArray())
            if (const auto n = string_member(a, "name"); n && !n->empty())
                author += author.empty() ? *n : ", " + *n;
    item.author = detail::cap_text(std::move(author), detail::k_max_name_bytes);
    const std::string image = string_member(entry, "image").value_or("");
    item.picture = util::resolve_http_url("", image).value_or("");
    item.published_at = parse_w3cdtf(string_member(entry, "published_at").value_or(""));
    item.history = read_history(entry, warnings, where);
    set_traffic(item);
    return item;
}

ParseResult parse(std::string_view body, const ParseContext& ctx) {
    auto parsed = detail::parse_json(body, ctx, "Mastodon trends");
    if (auto* error = std::get_if<std::string>(&parsed))
        return ParseError{std::move(*error)};
    const rapidjson::Document& doc = std::get<rapidjson::Document>(parsed);
    if (!doc.IsArray()) {
        if (auto error = detail::json_error_reply(doc))
            return ParseError{fmt::format("Mastodon trends: {}", *error)};
        return ParseError{fmt::format("Mastodon trends: expected an array of tags or links, got {}",
                                      detail::json_type_name(doc))};
    }
    const Kind kind = kind_of_reply(doc);
    if (kind == Kind::statuses)
        return ParseError{"Mastodon trends: these are statuses (/api/v1/trends/statuses), "
                          "not tags or links"};
    if (kind == Kind::unknown && !doc.Empty())
        return ParseError{"Mastodon trends: no entry looks like a tag (name, history) or a link "
                          "(url, title)"};

    Snapshot snapshot;
    detail::SnapshotWriter out{
        snapshot, ctx, kind == Kind::links ? "Mastodon trending links" : "Mastodon trending tags",
        kind == Kind::links ? TrafficKind::shares : TrafficKind::uses};
    int rank = 0;
    for (const Value& entry : doc.GetArray()) {
        if (out.full())
            continue;
        ++rank;
        Item item;
        if (!entry.IsObject()) {
            item.rank = rank;
            item.skip_reason =
                fmt::format("entry is {}, not an object", detail::json_type_name(entry));
        } else if (kind_of(entry) != kind && kind_of(entry) != Kind::unknown) {
            item.rank = rank;
            item.skip_reason = kind == Kind::links ? "a tag among links" : "a link among tags";
        } else {
            item = kind == Kind::links ? read_link(entry, rank, out.warnings())
                                       : read_tag(entry, rank, out.warnings());
        }
        out.add(std::move(item), kind == Kind::links ? "title" : "tag");
    }
    out.finish();
    return snapshot;
}

} // namespace

ParseResult parse_mastodon_trends(std::string_view body, const ParseContext& ctx) {
    return detail::guarded("Mastodon trends", [&] { return parse(body, ctx); });
}

} // namespace trend::feed
