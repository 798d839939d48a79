// SPDX-License-Identifier: MIT
#include "trend/fetch/robots.hpp"

#include "trend/util/text.hpp"

#include <algorithm>

namespace trend::fetch {

namespace {

constexpr std::size_t k_max_line = 16u << 10; // longer lines are cut (their rules kept short)
constexpr std::size_t k_max_path = 8u << 10;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

bool is_unreserved(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/** RFC 9309 2.2.2: the same spelling for the same octets in patterns and paths. */
std::string normalise(std::string_view s) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '%' && i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
            const auto v =
                static_cast<unsigned char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            if (is_unreserved(v)) {
                out += static_cast<char>(v);
            } else {
                out += '%';
                out += k_hex[v >> 4];
                out += k_hex[v & 15];
            }
            i += 2;
        } else if (c >= 0x80 || c <= 0x20 || c == 0x7F) {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

/** The product token of a user-agent: its leading letters, '-' and '_', lower case. */
std::string product_token(std::string_view agent) {
    std::size_t n = 0;
    while (n < agent.size() &&
           ((agent[n] >= 'a' && agent[n] <= 'z') || (agent[n] >= 'A' && agent[n] <= 'Z') ||
            agent[n] == '-' || agent[n] == '_'))
        ++n;
    return text::ascii_lower(agent.substr(0, n));
}

enum class Key { user_agent, allow, disallow, sitemap, unknown };

Key key_of(std::string_view key) {
    const std::string k = text::ascii_lower(key);
    if (k == "user-agent" || k == "useragent" || k == "user agent")
        return Key::user_agent;
    if (k == "allow")
        return Key::allow;
    if (k == "disallow" || k == "dissallow" || k == "dissalow" || k == "disalow" ||
        k == "diasllow" || k == "disallaw")
        return Key::disallow;
    if (k == "sitemap" || k == "site-map")
        return Key::sitemap;
    return Key::unknown;
}

/** Splits "key: value", or "key value" when the line has exactly two words. */
bool split_line(std::string_view line, std::string_view& key, std::string_view& value) {
    std::size_t sep = line.find(':');
    if (sep == std::string_view::npos) {
        sep = line.find_first_of(" \t");
        if (sep == std::string_view::npos)
            return false;
        const std::string_view rest = trim(line.substr(sep));
        if (rest.find_first_of(" \t") != std::string_view::npos)
            return false;
    }
    key = trim(line.substr(0, sep));
    value = trim(line.substr(sep + 1));
    return !key.empty();
}

/** Valid UTF-8 without control characters (repair_utf8 would change it otherwise). */
bool valid_utf8(std::string_view s) {
    return text::repair_utf8(s) == s;
}

/** Whether `pattern` matches `path` from its start ('*' any run, final '$' the end). */
bool matches(std::string_view path, std::string_view pattern) {
    const bool to_end = !pattern.empty() && pattern.back() == '$';
    if (to_end)
        pattern.remove_suffix(1);
    // With '*' as the only wildcard, taking each literal segment at its leftmost place is
    // exact: a later place never leaves more room for the rest.
    std::size_t star = pattern.find('*');
    const std::string_view first = pattern.substr(0, star);
    if (!path.starts_with(first))
        return false;
    if (star == std::string_view::npos)
        return !to_end || path.size() == first.size();
    std::size_t pos = first.size();
    while (true) {
        const std::size_t next = pattern.find('*', star + 1);
        const std::string_view segment = pattern.substr(
            star + 1, next == std::string_view::npos ? std::string_view::npos : next - star - 1);
        if (next == std::string_view::npos) { // the last segment
            if (to_end)
                return path.size() - pos >= segment.size() && path.ends_with(segment);
            return segment.empty() || path.find(segment, pos) != std::string_view::npos;
        }
        if (!segment.empty()) {
            const std::size_t at = path.find(segment, pos);
            if (at == std::string_view::npos)
                return false;
            pos = at + segment.size();
        }
        star = next;
    }
}

} // namespace

Robots parse_robots(std::string_view body) {
    Robots r;
    if (body.size() > k_robots_parse_limit) {
        // The line the limit cuts is dropped: "Disallow: /private" cut to "Disallow: /" would
        // say something the file does not.
        body = body.substr(0, k_robots_parse_limit);
        const std::size_t eol = body.find_last_of("\r\n");
        body = body.substr(0, eol == std::string_view::npos ? 0 : eol);
        r.truncated = true;
    }
    if (body.starts_with("\xEF\xBB\xBF"))
        body.remove_prefix(3);
    bool after_rule = true; // a user-agent line now starts a new group
    std::size_t i = 0;
    while (i < body.size()) {
        std::size_t end = body.find_first_of("\r\n", i);
        if (end == std::string_view::npos)
            end = body.size();
        std::string_view line = body.substr(i, std::min(end - i, k_max_line));
        i = end + 1;
        if (const std::size_t hash = line.find('#'); hash != std::string_view::npos)
            line = line.substr(0, hash);
        line = trim(line);
        std::string_view key;
        std::string_view value;
        if (line.empty() || !valid_utf8(line) || !split_line(line, key, value))
            continue;
        switch (key_of(key)) {
        case Key::user_agent: {
            if (after_rule || r.groups.empty())
                r.groups.emplace_back();
            after_rule = false;
            const bool global = value.starts_with("*") && (value.size() == 1 || is_space(value[1]));
            r.groups.back().agents.push_back(global ? "*" : product_token(value));
            break;
        }
        case Key::allow:
        case Key::disallow:
            if (r.groups.empty())
                break; // a rule outside any group
            after_rule = true;
            if (!value.empty()) // "Disallow:" with nothing disallows nothing
                r.groups.back().rules.push_back({key_of(key) == Key::allow, normalise(value)});
            break;
        case Key::sitemap:
            if (!value.empty())
                r.sitemaps.emplace_back(value);
            break;
        case Key::unknown:
            break;
        }
    }
    return r;
}

bool allowed(const Robots& robots, std::string_view user_agent, std::string_view path_and_query) {
    if (robots.disallow_all)
        return false;
    std::string_view raw = path_and_query.substr(0, path_and_query.find('#'));
    raw = raw.substr(0, k_max_path);
    std::string path = normalise(raw);
    if (path.empty() || path.front() != '/')
        path.insert(path.begin(), '/');
    if (path == "/robots.txt")
        return true;
    const std::string token = product_token(user_agent);
    const auto applies = [&](const RobotsGroup& g, std::string_view name) {
        return std::find(g.agents.begin(), g.agents.end(), name) != g.agents.end();
    };
    bool specific = false;
    if (!token.empty())
        for (const RobotsGroup& g : robots.groups)
            specific = specific || applies(g, token);
    const std::string_view name = specific ? std::string_view(token) : std::string_view("*");
    std::size_t best_allow = 0;
    std::size_t best_disallow = 0;
    bool any_allow = false;
    bool any_disallow = false;
    for (const RobotsGroup& g : robots.groups) {
        if (!applies(g, name))
            continue;
        for (const RobotsRule& rule : g.rules) {
            if (!matches(path, rule.pattern))
                continue;
            const std::size_t length = rule.pattern.size();
            if (rule.allow) {
                best_allow = any_allow ? std::max(best_allow, length) : length;
                any_allow = true;
            } else {
                best_disallow = any_disallow ? std::max(best_disallow, length) : length;
                any_disallow = true;
            }
        }
    }
    if (!any_disallow)
        return true;
    return any_allow && best_allow >= best_disallow;
}

} // namespace trend::fetch
