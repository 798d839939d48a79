// SPDX-License-Identifier: MIT
// `wikipedia-top`: Wikimedia's pageviews "top" list (AQS /metrics/pageviews/top/...).
#include "trend/feed/document.hpp"
#include "trend/feed/parser.hpp"
#include "trend/util/text.hpp"
#include "trend/util/url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

namespace trend::feed {

namespace {

using detail::int_member;
using detail::member;
using detail::quote;
using detail::string_member;
using detail::Warnings;
using rapidjson::Value;

constexpr std::string_view k_prefix = "Wikimedia pageviews";

// Namespaces whose pages are not articles (canonical English names and aliases, as the English
// Wikipedia's top list writes them). Their talk namespaces ("User_talk:") are left out too.
constexpr std::array<std::string_view, 17> k_namespaces{
    "Special", "File",   "Image",     "Media",  "Wikipedia", "WP",
    "Project", "Portal", "Talk",      "User",   "Template",  "Category",
    "Help",    "Draft",  "MediaWiki", "Module", "TimedText",
};

/** Why an article is not one, or "" for a real article. */
std::string filtered(std::string_view article) {
    if (article == "Main_Page")
        return "the main page, not an article";
    if (article == "-")
        return "no article title (\"-\")";
    const std::size_t colon = article.find(':');
    if (colon == std::string_view::npos)
        return {};
    std::string_view prefix = article.substr(0, colon);
    const std::string lower = text::ascii_lower(prefix);
    std::string_view base = lower;
    if (base.ends_with("_talk"))
        base.remove_suffix(5);
    for (const std::string_view ns : k_namespaces)
        if (base == text::ascii_lower(ns))
            return fmt::format("filtered namespace {}:", prefix);
    return {};
}

// MediaWiki's own spelling of title URLs (wfUrlencode): these stay as they are, so that
// "The_Odyssey_(2026_film)" reads as on Wikipedia; everything else is percent-encoded.
std::string encode_title(std::string_view title) {
    constexpr std::string_view k_kept = "-_.~;:@$!*(),/";
    std::string out;
    for (const char c : title) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
            k_kept.find(c) != std::string_view::npos)
            out += c;
        else
            out += fmt::format("%{:02X}", u);
    }
    return out;
}

/** "en.wikipedia" -> "https://en.wikipedia.org"; "" when it is not a plausible project. */
std::string origin_of(std::string_view project) {
    if (project.ends_with(".org"))
        project.remove_suffix(4);
    constexpr std::string_view k_allowed = "abcdefghijklmnopqrstuvwxyz0123456789.-";
    if (project.empty() || project.size() > 64 ||
        project.find_first_not_of(k_allowed) != project.npos ||
        project.find('.') == std::string_view::npos || project.front() == '.' ||
        project.back() == '.')
        return {};
    return fmt::format("https://{}.org", project);
}

/** The day (or month, for "all-days") the list covers. */
std::optional<Timestamp> day_of(const Value& top) {
    const std::string y = string_member(top, "year").value_or("");
    const std::string m = string_member(top, "month").value_or("");
    std::string d = string_member(top, "day").value_or("");
    if (d == "all-days")
        d = "01";
    return parse_w3cdtf(fmt::format("{}-{}-{}", y, m, d));
}

Item read_article(const Value& a, std::size_t position, const std::string& origin,
                  Warnings& warnings) {
    Item item;
    const auto rank = int_member(a, "rank");
    item.rank = rank && *rank > 0 && *rank < 1'000'000 ? static_cast<int>(*rank)
                                                       : static_cast<int>(position);
    if (!a.IsObject()) {
        item.skip_reason = fmt::format("entry is {}, not an object", detail::json_type_name(a));
        return item;
    }
    const std::string article = string_member(a, "article").value_or("");
    std::string where = fmt::format("entry {}", position);
    if (article.empty()) {
        item.skip_reason = "no article title";
        return item;
    }
    std::string term = article;
    std::replace(term.begin(), term.end(), '_', ' ');
    item.term = detail::term_text(term, false, warnings, where);
    if (item.term.empty()) {
        item.skip_reason = "no article title";
        return item;
    }
    where = fmt::format("entry {} {}", position, quote(item.term));
    item.skip_reason = filtered(article);
    if (!origin.empty())
        item.url =
            util::resolve_http_url("", origin + "/wiki/" + encode_title(article)).value_or("");
    const auto views = int_member(a, "views");
    item.traffic.value = views;
    item.traffic.label = views ? std::to_string(*views) : "";
    if (!views && item.skip_reason.empty())
        warnings.add(fmt::format("{}: no usable views", where));
    return item;
}

ParseResult parse(std::string_view body, const ParseContext& ctx) {
    auto parsed = detail::parse_json(body, ctx, k_prefix);
    if (auto* error = std::get_if<std::string>(&parsed))
        return ParseError{std::move(*error)};
    const rapidjson::Document& doc = std::get<rapidjson::Document>(parsed);
    if (auto error = detail::json_error_reply(doc))
        return ParseError{fmt::format("{}: {}", k_prefix, *error)};
    const Value* items = member(doc, "items");
    if (items == nullptr || !items->IsArray())
        return ParseError{fmt::format("{}: no \"items\" array", k_prefix)};
    if (items->Empty())
        return ParseError{fmt::format("{}: \"items\" is empty", k_prefix)};
    const Value& top = (*items)[0];
    const Value* articles = member(top, "articles");
    if (articles == nullptr || !articles->IsArray()) {
        if (member(top, "timestamp") != nullptr)
            return ParseError{
                fmt::format("{}: a per-article or aggregate series, not a top list", k_prefix)};
        return ParseError{fmt::format("{}: items[0] has no \"articles\" array", k_prefix)};
    }

    Snapshot snapshot;
    detail::SnapshotWriter out{snapshot, ctx, "Wikimedia pageviews top", TrafficKind::views};
    snapshot.as_of = day_of(top);
    const std::string project = string_member(top, "project").value_or("");
    const std::string origin = origin_of(project);
    if (origin.empty())
        out.warnings().add(fmt::format(
            "project {} is not a Wikimedia project name: no article links", quote(project)));
    snapshot.title = fmt::format("{} top", detail::cap_text(project, 64));
    if (snapshot.as_of)
        snapshot.title += " " + format_iso(*snapshot.as_of).substr(0, 10);
    else
        out.warnings().add("no valid year/month/day: the day the list covers is unknown");

    std::size_t position = 0;
    for (const Value& a : articles->GetArray())
        if (!out.full())
            out.add(read_article(a, ++position, origin, out.warnings()));
    out.finish();
    return snapshot;
}

} // namespace

ParseResult parse_wikipedia_top(std::string_view body, const ParseContext& ctx) {
    return detail::guarded(k_prefix, [&] { return parse(body, ctx); });
}

} // namespace trend::feed
