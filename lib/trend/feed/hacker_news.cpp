// SPDX-License-Identifier: MIT
// `hacker-news`: the Algolia search API and the Firebase API (ids, then items).
#include "trend/feed/document.hpp"
#include "trend/feed/parser.hpp"
#include "trend/util/url.hpp"

#include <fmt/format.h>

#include <unordered_set>

namespace trend::feed {

namespace {

using detail::guarded;
using detail::int_member;
using detail::member;
using detail::quote;
using detail::string_member;
using detail::Warnings;
using rapidjson::Value;

std::string discussion_url(std::int64_t id) {
    return fmt::format("https://news.ycombinator.com/item?id={}", id);
}

void set_points(Item& item, std::optional<std::int64_t> points, Warnings& warnings,
                std::string_view where) {
    item.traffic.value = points;
    item.traffic.label = points ? std::to_string(*points) : "";
    if (!points && item.skip_reason.empty())
        warnings.add(fmt::format("{}: no usable points", where));
}

// The story's own link, or its discussion page when it has none (Ask HN) or an unusable one.
void set_urls(Item& item, std::optional<std::int64_t> id, std::string_view raw_url,
              Warnings& warnings, std::string_view where) {
    if (id)
        item.discussion_url = discussion_url(*id);
    const std::string u = detail::plain(raw_url);
    if (!u.empty()) {
        if (auto web = util::resolve_http_url("", u))
            item.url = std::move(*web);
        else
            warnings.add(fmt::format("{}: url {} dropped, not a usable web URL", where, quote(u)));
    }
    if (item.url.empty())
        item.url = item.discussion_url;
}

std::optional<std::int64_t> positive(std::optional<std::int64_t> v) {
    return v && *v > 0 ? v : std::nullopt;
}

/** The id of an Algolia hit: objectID (a string of digits), else story_id. */
std::optional<std::int64_t> hit_id(const Value& hit) {
    if (const auto id = positive(int_member(hit, "objectID")))
        return id;
    return positive(int_member(hit, "story_id"));
}

Item read_hit(const Value& hit, int rank, Warnings& warnings) {
    Item item;
    item.rank = rank;
    std::string where = fmt::format("hit {}", rank);
    if (!hit.IsObject()) {
        item.skip_reason = fmt::format("hit is {}, not an object", detail::json_type_name(hit));
        return item;
    }
    item.term = detail::term_text(detail::raw_string_member(hit, "title"), false, warnings, where);
    if (item.term.empty())
        item.skip_reason = "no title";
    else
        where = fmt::format("hit {} {}", rank, quote(item.term));
    set_urls(item, hit_id(hit), detail::raw_string_member(hit, "url"), warnings, where);
    if (item.discussion_url.empty() && item.skip_reason.empty())
        warnings.add(fmt::format("{}: no usable objectID", where));
    set_points(item, int_member(hit, "points"), warnings, where);
    item.comments = int_member(hit, "num_comments");
    item.author =
        detail::cap_text(string_member(hit, "author").value_or(""), detail::k_max_name_bytes);
    item.published_at = detail::unix_seconds(int_member(hit, "created_at_i"));
    if (!item.published_at)
        item.published_at = parse_w3cdtf(string_member(hit, "created_at").value_or(""));
    item.updated_at = parse_w3cdtf(string_member(hit, "updated_at").value_or(""));
    item.summary = detail::summary_text(detail::raw_string_member(hit, "story_text"));
    return item;
}

Snapshot read_algolia(const Value& hits, const ParseContext& ctx) {
    Snapshot snapshot;
    detail::SnapshotWriter out{snapshot, ctx, "HN Algolia", TrafficKind::points};
    int rank = 0;
    for (const Value& hit : hits.GetArray())
        if (!out.full())
            out.add(read_hit(hit, ++rank, out.warnings()));
    out.finish();
    return snapshot;
}

/** What a Firebase item body turned out to be. */
struct FirebaseItem {
    std::optional<Item> item; // nullopt: the JSON literal null
    std::optional<std::int64_t> id;
};

// https://github.com/HackerNews/API: id, type, by, time, title, url, score, descendants, text,
// dead, deleted.
FirebaseItem read_firebase(const Value& v, Warnings& warnings, std::string_view position) {
    if (v.IsNull())
        return {};
    Item item;
    if (!v.IsObject()) {
        item.skip_reason = fmt::format("HN item is {}, not an object", detail::json_type_name(v));
        return {std::move(item), std::nullopt};
    }
    const auto id = positive(int_member(v, "id"));
    std::string where = id ? fmt::format("{} (HN item {})", position, *id) : std::string{position};
    const std::string type = string_member(v, "type").value_or("");
    const auto flag = [&](const char* key) {
        const Value* m = member(v, key);
        return m != nullptr && m->IsBool() && m->GetBool();
    };
    if (flag("deleted"))
        item.skip_reason = "HN item deleted";
    else if (flag("dead"))
        item.skip_reason = "HN item dead (flagged or killed)";
    else if (type != "story" && type != "job" && type != "poll")
        item.skip_reason =
            type.empty() ? "HN item has no type"
                         : fmt::format("HN item is a {}, not a story", detail::cap_text(type, 32));
    // Titles are documented as HTML; they rarely hold any.
    item.term =
        detail::term_text(detail::raw_string_member(v, "title"), std::nullopt, warnings, where);
    if (item.term.empty() && item.skip_reason.empty())
        item.skip_reason = "no title";
    if (!item.term.empty())
        where += " " + quote(item.term);
    set_urls(item, id, detail::raw_string_member(v, "url"), warnings, where);
    set_points(item, int_member(v, "score"), warnings, where);
    item.comments = int_member(v, "descendants");
    item.author = detail::cap_text(string_member(v, "by").value_or(""), detail::k_max_name_bytes);
    item.published_at = detail::unix_seconds(int_member(v, "time"));
    item.summary = detail::summary_text(detail::raw_string_member(v, "text"));
    return {std::move(item), id};
}

constexpr std::string_view k_firebase = "HN Firebase";

Item null_item(std::optional<std::int64_t> id) {
    Item item;
    item.skip_reason = "HN item deleted or unknown (null)";
    if (id)
        item.discussion_url = discussion_url(*id);
    return item;
}

// Items the poller assembled into one array, in rank order.
Snapshot read_firebase_array(const Value& array, const ParseContext& ctx) {
    Snapshot snapshot;
    detail::SnapshotWriter out{snapshot, ctx, std::string{k_firebase}, TrafficKind::points};
    int rank = 0;
    for (const Value& v : array.GetArray()) {
        if (out.full())
            continue;
        ++rank;
        FirebaseItem read = read_firebase(v, out.warnings(), fmt::format("entry {}", rank));
        Item item = read.item ? std::move(*read.item) : null_item(std::nullopt);
        item.rank = rank;
        out.add(std::move(item));
    }
    out.finish();
    return snapshot;
}

/** One fetched item of a Firebase list; `problem` says why it could not be read, if so. */
Item read_fetched(const HnFetchedItem& f, const ParseContext& ctx, Warnings& warnings,
                  std::string_view where, std::string& problem) {
    if (!f.fetch_error.empty()) {
        problem = fmt::format("fetch failed: {}", detail::plain(f.fetch_error));
    } else if (auto parsed = detail::parse_json(f.body, ctx, "HN item");
               auto* error = std::get_if<std::string>(&parsed)) {
        problem = std::move(*error);
    } else {
        FirebaseItem read = read_firebase(std::get<rapidjson::Document>(parsed), warnings, where);
        if (!read.item)
            return null_item(f.id);
        if (read.id == f.id)
            return std::move(*read.item);
        problem = read.id ? fmt::format("body is HN item {}, not {}", *read.id, f.id)
                          : fmt::format("body has no id, expected {}", f.id);
    }
    Item item;
    item.skip_reason = detail::cap_text(problem, detail::k_max_name_bytes);
    if (f.id > 0)
        item.discussion_url = discussion_url(f.id);
    return item;
}

bool is_id_list(const Value& array) {
    if (array.Empty())
        return false;
    for (const Value& v : array.GetArray())
        if (!v.IsNumber())
            return false;
    return true;
}

ParseResult parse(std::string_view body, const ParseContext& ctx) {
    auto parsed = detail::parse_json(body, ctx, "HN");
    if (auto* error = std::get_if<std::string>(&parsed))
        return ParseError{std::move(*error)};
    const rapidjson::Document& doc = std::get<rapidjson::Document>(parsed);
    if (doc.IsArray()) {
        if (is_id_list(doc))
            return ParseError{fmt::format(
                "HN: a Firebase id list ({} ids), not stories: each item/<id>.json must be "
                "fetched and assembled",
                doc.Size())};
        return read_firebase_array(doc, ctx);
    }
    if (doc.IsNull())
        return ParseError{"HN: the JSON literal null: a deleted or unknown Firebase item"};
    if (!doc.IsObject())
        return ParseError{
            fmt::format("HN: expected an object or an array, got {}", detail::json_type_name(doc))};
    if (const Value* hits = member(doc, "hits")) {
        if (!hits->IsArray())
            return ParseError{fmt::format("HN Algolia reply: \"hits\" is {}, not an array",
                                          detail::json_type_name(*hits))};
        return read_algolia(*hits, ctx);
    }
    if (auto error = detail::json_error_reply(doc))
        return ParseError{fmt::format("HN: {}", *error)};
    if (member(doc, "id") != nullptr && member(doc, "type") != nullptr) {
        Snapshot snapshot;
        detail::SnapshotWriter out{snapshot, ctx, std::string{k_firebase}, TrafficKind::points};
        FirebaseItem read = read_firebase(doc, out.warnings(), "item");
        read.item->rank = 1;
        out.add(std::move(*read.item));
        out.finish();
        return snapshot;
    }
    return ParseError{"HN Algolia reply has no \"hits\" array"};
}

} // namespace

ParseResult parse_hacker_news(std::string_view body, const ParseContext& ctx) {
    return guarded("HN", [&] { return parse(body, ctx); });
}

std::string hn_firebase_item_url(std::int64_t id) {
    return fmt::format("https://hacker-news.firebaseio.com/v0/item/{}.json", id);
}

std::variant<std::vector<std::int64_t>, ParseError> parse_hn_firebase_ids(std::string_view body,
                                                                          std::size_t limit) {
    using Result = std::variant<std::vector<std::int64_t>, ParseError>;
    return guarded("HN Firebase id list", [&]() -> Result {
        auto parsed = detail::parse_json(body, ParseContext{}, "HN Firebase id list");
        if (auto* error = std::get_if<std::string>(&parsed))
            return ParseError{std::move(*error)};
        const rapidjson::Document& doc = std::get<rapidjson::Document>(parsed);
        if (!doc.IsArray()) {
            if (auto error = detail::json_error_reply(doc))
                return ParseError{fmt::format("HN Firebase id list: {}", *error)};
            return ParseError{fmt::format("HN Firebase id list: expected an array of ids, got {}",
                                          detail::json_type_name(doc))};
        }
        std::vector<std::int64_t> ids;
        std::unordered_set<std::int64_t> seen;
        for (const Value& v : doc.GetArray()) {
            if (ids.size() == limit)
                break;
            if (v.IsInt64() && v.GetInt64() > 0 && seen.insert(v.GetInt64()).second)
                ids.push_back(v.GetInt64());
        }
        if (ids.empty() && !doc.Empty() && limit > 0)
            return ParseError{"HN Firebase id list: no positive integer ids in it"};
        return ids;
    });
}

std::variant<std::optional<Item>, ParseError> parse_hn_firebase_item(std::string_view body) {
    using Result = std::variant<std::optional<Item>, ParseError>;
    return guarded("HN item", [&]() -> Result {
        auto parsed = detail::parse_json(body, ParseContext{}, "HN item");
        if (auto* error = std::get_if<std::string>(&parsed))
            return ParseError{std::move(*error)};
        const rapidjson::Document& doc = std::get<rapidjson::Document>(parsed);
        if (auto error = detail::json_error_reply(doc))
            return ParseError{fmt::format("HN item: {}", *error)};
        std::vector<std::string> ignored;
        Warnings warnings{ignored};
        return read_firebase(doc, warnings, "item").item;
    });
}

ParseResult assemble_hn_firebase(std::span<const HnFetchedItem> fetched, const ParseContext& ctx) {
    return guarded(k_firebase, [&]() -> ParseResult {
        Snapshot snapshot;
        detail::SnapshotWriter out{snapshot, ctx, std::string{k_firebase}, TrafficKind::points};
        std::size_t unreadable = 0;
        std::string first_problem;
        int rank = 0;
        for (const HnFetchedItem& f : fetched) {
            if (out.full())
                continue;
            ++rank;
            const std::string where = fmt::format("entry {} (HN item {})", rank, f.id);
            std::string problem;
            Item item = read_fetched(f, ctx, out.warnings(), where, problem);
            if (!problem.empty() && unreadable++ == 0)
                first_problem = fmt::format("{}: {}", where, problem);
            item.rank = rank;
            out.add(std::move(item));
        }
        if (unreadable > 0 && unreadable == snapshot.items.size())
            return ParseError{fmt::format("HN Firebase: none of the {} items could be read ({})",
                                          unreadable, first_problem)};
        out.finish();
        return snapshot;
    });
}

} // namespace trend::feed
