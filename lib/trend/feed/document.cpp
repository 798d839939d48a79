// SPDX-License-Identifier: MIT
#include "trend/feed/document.hpp"
#include "trend/feed/term.hpp"

#include "trend/util/html_text.hpp"
#include "trend/util/text.hpp"

#include <fmt/format.h>
#include <rapidjson/error/en.h>

#include <charconv>
#include <cmath>

namespace trend::feed::detail {

namespace {

constexpr std::size_t k_max_quoted_bytes = 100; // feed text repeated inside a message
constexpr std::size_t k_html_sniff_bytes = 64 * 1024;

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

} // namespace

std::string quote(std::string_view s) {
    const std::string clean = text::repair_utf8(s.substr(0, k_max_quoted_bytes + 4));
    const std::string_view cut = text::utf8_prefix(clean, k_max_quoted_bytes);
    return fmt::format("\"{}{}\"", cut, cut.size() < s.size() ? "…" : "");
}

std::string cap_text(std::string s, std::size_t max_bytes) {
    s.resize(text::utf8_prefix(s, max_bytes).size());
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

std::string plain(std::string_view raw) {
    return text::collapse_whitespace(text::repair_utf8(raw));
}

void Warnings::add(std::string message) {
    if (m_out.size() < k_max_warnings)
        m_out.push_back(std::move(message));
    else
        ++m_suppressed;
}

void Warnings::finish() {
    if (m_suppressed > 0)
        m_out.push_back(fmt::format("{} more warnings not shown", m_suppressed));
    m_suppressed = 0;
}

SnapshotWriter::SnapshotWriter(Snapshot& snapshot, const ParseContext& ctx, std::string format,
                               TrafficKind kind)
    : m_snapshot(snapshot), m_warnings(snapshot.warnings), m_max(ctx.max_items) {
    snapshot.geo = ctx.geo;
    snapshot.fetched_at = ctx.fetched_at;
    snapshot.format = std::move(format);
    snapshot.traffic_kind = kind;
}

bool SnapshotWriter::full() {
    if (m_snapshot.items.size() < m_max)
        return false;
    ++m_over;
    return true;
}

void SnapshotWriter::add(Item item, std::string_view noun) {
    if (item.skip_reason.empty() && !item.term.empty()) {
        const auto [first, inserted] = m_first.emplace(text::normalize_term(item.term), item.rank);
        if (!inserted)
            item.skip_reason = fmt::format("same {} as entry {}", noun, first->second);
    }
    m_snapshot.items.push_back(std::move(item));
}

void SnapshotWriter::finish() {
    if (m_over > 0)
        m_warnings.add(fmt::format("{} entries past the cap of {} dropped", m_over, m_max));
    m_over = 0;
    m_warnings.finish();
}

std::string title_text(std::string_view raw, std::optional<bool> html, Warnings& warnings,
                       std::string_view where) {
    const std::string repaired = text::repair_utf8(raw);
    std::string title;
    bool cut = false;
    if (html.value_or(text::looks_like_html(repaired))) {
        text::HtmlText t = text::html_to_text(repaired, k_max_title_bytes);
        title = std::move(t.text);
        cut = t.truncated;
    } else {
        title = text::collapse_whitespace(repaired);
        cut = title.size() > k_max_title_bytes;
        title = cap_text(std::move(title), k_max_title_bytes);
    }
    if (cut)
        warnings.add(fmt::format("{}: title longer than {} bytes, cut", where, k_max_title_bytes));
    return title;
}

std::string term_text(std::string_view raw, std::optional<bool> html, Warnings& warnings,
                      std::string_view where) {
    // The hash covers this much of a term: more only costs parsing time.
    constexpr std::size_t k_max_hashed_bytes = 64 * 1024;
    const std::string repaired = text::repair_utf8(raw.substr(0, k_max_hashed_bytes));
    const std::string whole = html.value_or(text::looks_like_html(repaired))
                                  ? text::html_to_text(repaired, k_max_hashed_bytes).text
                                  : text::collapse_whitespace(repaired);
    GuardedTerm term = guard_term(whole, where);
    if (term.warning)
        warnings.add(std::move(*term.warning));
    return std::move(term.term);
}

std::string summary_text(std::string_view raw, bool html, std::string* first_image) {
    if (raw.empty())
        return {};
    if (!html) {
        std::string s = plain(raw);
        if (s.size() <= k_max_summary_bytes)
            return s;
        return cap_text(std::move(s), k_max_summary_bytes) + "…";
    }
    text::HtmlText t = text::html_to_text(raw, k_max_summary_bytes);
    if (first_image != nullptr)
        *first_image = std::move(t.first_image);
    return t.truncated && !t.text.empty() ? t.text + "…" : t.text;
}

std::string_view skip_bom_and_space(std::string_view s) {
    if (s.starts_with("\xEF\xBB\xBF"))
        s.remove_prefix(3);
    const std::size_t start = s.find_first_not_of(" \t\r\n");
    return start == std::string_view::npos ? std::string_view{} : s.substr(start);
}

std::string html_page_error(std::string_view title, std::string_view what) {
    if (title.empty())
        return fmt::format("an HTML page, not a {}", what);
    return fmt::format("an HTML page, not a {} (title: {})", what, quote(title));
}

std::string clean_title(std::string_view raw) {
    const std::string decoded = text::decode_html_entities(text::repair_utf8(raw));
    return text::collapse_whitespace(text::strip_html_tags(decoded));
}

std::optional<std::string> refuse_body(std::string_view body, const ParseContext& ctx,
                                       std::string_view what) {
    if (body.size() > ctx.max_bytes)
        return fmt::format("document is {} bytes, over the cap of {} bytes", body.size(),
                           ctx.max_bytes);
    const std::string_view start = skip_bom_and_space(body);
    if (start.empty())
        return "empty document";
    if (text::istarts_with(start, "<!doctype html") || text::istarts_with(start, "<html"))
        return html_page_error(html_title(start), what);
    return std::nullopt;
}

std::variant<rapidjson::Document, std::string>
parse_json(std::string_view body, const ParseContext& ctx, std::string_view prefix) {
    if (auto refused = refuse_body(body, ctx, "JSON reply"))
        return fmt::format("{}: {}", prefix, *refused);
    const std::string_view start = skip_bom_and_space(body);
    if (start.starts_with(")]}'"))
        return fmt::format("{}: starts with the XSSI prefix \")]}}'\" of Google's JSON APIs, "
                           "not the expected reply",
                           prefix);
    if (start.front() == '<')
        return fmt::format("{}: an XML or HTML document, not JSON", prefix);
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(start.data(), start.size());
    if (doc.HasParseError())
        return fmt::format(
            "{}: not JSON: {} at byte {}", prefix, rapidjson::GetParseError_En(doc.GetParseError()),
            doc.GetErrorOffset() + static_cast<std::size_t>(start.data() - body.data()));
    return doc;
}

const rapidjson::Value* member(const rapidjson::Value& v, const char* key) {
    if (!v.IsObject())
        return nullptr;
    const auto it = v.FindMember(key);
    return it == v.MemberEnd() ? nullptr : &it->value;
}

std::string_view raw_string_member(const rapidjson::Value& v, const char* key) {
    const rapidjson::Value* m = member(v, key);
    if (m == nullptr || !m->IsString())
        return {};
    return {m->GetString(), m->GetStringLength()};
}

std::optional<std::string> string_member(const rapidjson::Value& v, const char* key) {
    const rapidjson::Value* m = member(v, key);
    if (m == nullptr || !m->IsString())
        return std::nullopt;
    return plain({m->GetString(), m->GetStringLength()});
}

std::optional<std::int64_t> int_member(const rapidjson::Value& v, const char* key,
                                       bool non_negative) {
    const rapidjson::Value* m = member(v, key);
    if (m == nullptr)
        return std::nullopt;
    std::optional<std::int64_t> out;
    if (m->IsInt64()) {
        out = m->GetInt64();
    } else if (m->IsDouble()) {
        // 2^63 is the first double past int64; every double below it in magnitude fits.
        const double d = m->GetDouble();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.2e18)
            out = static_cast<std::int64_t>(d);
    } else if (m->IsString()) {
        const std::string_view s{m->GetString(), m->GetStringLength()};
        std::int64_t n = 0;
        if (!s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == s.npos &&
            std::from_chars(s.data(), s.data() + s.size(), n).ec == std::errc{})
            out = n;
    }
    if (out && non_negative && *out < 0)
        return std::nullopt;
    return out;
}

std::optional<Timestamp> unix_seconds(std::optional<std::int64_t> seconds) {
    constexpr std::int64_t k_year_2200 = 7'258'118'400;
    if (!seconds || *seconds < 0 || *seconds >= k_year_2200)
        return std::nullopt;
    return Timestamp{Seconds{*seconds}};
}

std::string_view json_type_name(const rapidjson::Value& v) {
    if (v.IsNull())
        return "null";
    if (v.IsBool())
        return "a boolean";
    if (v.IsNumber())
        return "a number";
    if (v.IsString())
        return "a string";
    if (v.IsArray())
        return "an array";
    return "an object";
}

std::optional<std::string> json_error_reply(const rapidjson::Value& v) {
    if (!v.IsObject())
        return std::nullopt;
    const auto text_of = [&](const char* key) {
        return cap_text(string_member(v, key).value_or(""), k_max_name_bytes);
    };
    const std::string title = text_of("title");
    const std::string detail = text_of("detail");
    // RFC 7807: "type", "title", "status", "detail", "instance"; data objects (an HN item has
    // "type" and "title") have an "id" and neither "detail" nor a numeric "status".
    const rapidjson::Value* type = member(v, "type");
    const auto status = int_member(v, "status");
    if (type != nullptr && type->IsString() && member(v, "id") == nullptr &&
        (!detail.empty() || (status && !title.empty()))) {
        std::string out = "an HTTP problem document";
        if (status)
            out += fmt::format(" (status {})", *status);
        for (const std::string* part : {&title, &detail})
            if (!part->empty())
                out += fmt::format(": {}", *part);
        return out;
    }
    if (const std::string error = text_of("error"); !error.empty() && v.MemberCount() <= 2)
        return fmt::format("an error reply: {}", quote(error));
    const std::string message = text_of("message");
    if (!message.empty() && (member(v, "status") != nullptr || member(v, "code") != nullptr) &&
        v.MemberCount() <= 3) {
        const auto code = status ? status : int_member(v, "code");
        return code ? fmt::format("an error reply (status {}): {}", *code, quote(message))
                    : fmt::format("an error reply: {}", quote(message));
    }
    return std::nullopt;
}

} // namespace trend::feed::detail
