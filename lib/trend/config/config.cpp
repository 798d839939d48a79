// SPDX-License-Identifier: MIT
#include "trend/config/config.hpp"

#include "trend/feed/parser.hpp"
#include "trend/feed/traffic.hpp"
#include "trend/util/date_template.hpp"
#include "trend/util/regex.hpp"
#include "trend/util/text.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include <arpa/inet.h>

namespace trend::config {

namespace fs = std::filesystem;

namespace {

using CurlUrlPtr = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

/** The parts of a URL that validation needs, read by libcurl's own parser. */
struct UrlParts {
    std::string scheme;
    std::string host;
    std::string query;
};

std::optional<UrlParts> split_url(const std::string& url) {
    CurlUrlPtr h{curl_url(), &curl_url_cleanup};
    if (!h || curl_url_set(h.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        return std::nullopt;
    auto get = [&](CURLUPart part) {
        char* p = nullptr;
        std::string out;
        if (curl_url_get(h.get(), part, &p, 0) == CURLUE_OK && p != nullptr)
            out = p;
        curl_free(p);
        return out;
    };
    return UrlParts{text::ascii_lower(get(CURLUPART_SCHEME)),
                    text::ascii_lower(get(CURLUPART_HOST)), get(CURLUPART_QUERY)};
}

std::string geo_from_query(const std::string& query) {
    std::istringstream in(query);
    std::string pair;
    while (std::getline(in, pair, '&'))
        if (pair.rfind("geo=", 0) == 0) {
            std::string geo = pair.substr(4);
            std::transform(geo.begin(), geo.end(), geo.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            return geo;
        }
    return {};
}

/** "http:///x": an empty authority, which libcurl would silently read as host "x". */
bool lacks_host(std::string_view url) {
    const auto sep = url.find("://");
    if (sep == std::string_view::npos)
        return false;
    const std::string scheme = text::ascii_lower(std::string(url.substr(0, sep)));
    if (scheme != "http" && scheme != "https")
        return false;
    const std::string_view rest = url.substr(sep + 3);
    return rest.empty() || rest.front() == '/' || rest.front() == '?' || rest.front() == '#';
}

bool valid_name(std::string_view s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    });
}

fs::path env_dir(const char* name, const fs::path& fallback) {
    // systemd may list several directories separated by ':'; the first is ours.
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') {
        std::string s = v;
        return fs::path(s.substr(0, s.find(':')));
    }
    return fallback;
}

// Every key the reader accepts, by table: the one list behind the unknown-key check.
// trendd.toml(5) must document each (tests/integration/it_man_pages.py).
constexpr std::string_view k_top_keys[] = {"daemon", "feed",    "rule",
                                           "drafter", "notify", "enrich", "metrics"};
constexpr std::string_view k_daemon_keys[] = {"database",
                                              "drafts_dir",
                                              "control_socket",
                                              "log_level",
                                              "fetch_timeout",
                                              "connect_timeout",
                                              "max_feed_bytes",
                                              "max_concurrent_fetches",
                                              "max_fetches_per_host",
                                              "backoff_max",
                                              "user_agent",
                                              "contact"};
constexpr std::string_view k_feed_keys[] = {"name",     "type",    "url",       "geo",
                                            "interval", "enabled", "max_items", "frozen_after"};
constexpr std::string_view k_rule_keys[] = {"name",        "match",    "geo",           "sources",
                                            "min_traffic", "max_rank", "min_sources",   "growth",
                                            "window",      "cooldown", "resolve_after", "action"};
constexpr std::string_view k_drafter_keys[] = {"kind", "language", "openai"};
// api_key is known so that it gets its own error: the key never goes in the file.
constexpr std::string_view k_openai_keys[] = {"base_url",
                                              "model",
                                              "temperature",
                                              "max_tokens",
                                              "timeout",
                                              "price_input_per_mtok",
                                              "price_output_per_mtok",
                                              "max_usd_per_day",
                                              "fallback",
                                              "api_key_env",
                                              "max_attempts",
                                              "api_key"};
// secret likewise.
constexpr std::string_view k_notify_keys[] = {"webhook_url", "secret_env", "secret"};
constexpr std::string_view k_metrics_keys[] = {"listen"};
constexpr std::string_view k_enrich_keys[] = {"enabled",
                                              "wait",
                                              "max_page_bytes",
                                              "per_host_spacing",
                                              "timeout",
                                              "max_redirects",
                                              "allow_private_addresses",
                                              "keep_html",
                                              "max_pages_per_story"};
constexpr KnownTable k_known_tables[] = {
    {"", k_top_keys},
    {"[daemon]", k_daemon_keys},
    {"[[feed]]", k_feed_keys},
    {"[[rule]]", k_rule_keys},
    {"[drafter]", k_drafter_keys},
    {"[drafter.openai]", k_openai_keys},
    {"[notify]", k_notify_keys},
    {"[enrich]", k_enrich_keys},
    {"[metrics]", k_metrics_keys},
};

std::span<const std::string_view> keys_of(std::string_view table) {
    for (const KnownTable& t : k_known_tables)
        if (t.table == table)
            return t.keys;
    return {};
}

/** Walks the TOML document, converts values and collects every problem with its line. */
class Reader {
    std::string m_file;
    fs::path m_base; ///< relative paths are relative to the config file
    LoadResult& m_out;

public:
    Reader(const fs::path& file, LoadResult& out)
        : m_file(file.string()), m_base(file.parent_path()), m_out(out) {}

    void error(const toml::node* n, std::string message) {
        m_out.errors.push_back({m_file, line_of(n), std::move(message)});
    }
    void error_at(int line, std::string message) {
        m_out.errors.push_back({m_file, line, std::move(message)});
    }

    static int line_of(const toml::node* n) {
        return n != nullptr ? static_cast<int>(n->source().begin.line) : 0;
    }

    /** Reports keys of `t` that known_keys() does not list for `table`. */
    void check_keys(const toml::table& t, std::string_view table) {
        const auto known = keys_of(table);
        const std::string_view where = table.empty() ? "the top level" : table;
        for (auto&& [key, node] : t) {
            if (std::find(known.begin(), known.end(), key.str()) == known.end())
                error(&node, fmt::format("unknown key '{}' in {}", key.str(), where));
        }
    }

    void read_string(const toml::table& t, std::string_view key, std::string& out) {
        if (const toml::node* n = t.get(key)) {
            if (auto v = n->value<std::string>())
                out = *v;
            else
                error(n, fmt::format("'{}' must be a string", key));
        }
    }

    void read_bool(const toml::table& t, std::string_view key, bool& out) {
        if (const toml::node* n = t.get(key)) {
            if (auto v = n->value<bool>())
                out = *v;
            else
                error(n, fmt::format("'{}' must be true or false", key));
        }
    }

    template <typename Int>
    void read_int(const toml::table& t, std::string_view key, Int& out, std::int64_t min,
                  std::int64_t max) {
        const toml::node* n = t.get(key);
        if (n == nullptr)
            return;
        auto v = n->is_integer() ? n->value<std::int64_t>() : std::nullopt;
        if (!v)
            error(n, fmt::format("'{}' must be an integer", key));
        else if (*v < min || *v > max)
            error(n, fmt::format("'{}' must be between {} and {}, not {}", key, min, max, *v));
        else
            out = static_cast<Int>(*v);
    }

    void read_double(const toml::table& t, std::string_view key, double& out, double min,
                     double max) {
        const toml::node* n = t.get(key);
        if (n == nullptr)
            return;
        auto v = (n->is_number()) ? n->value<double>() : std::nullopt;
        if (!v)
            error(n, fmt::format("'{}' must be a number", key));
        else if (*v < min || *v > max)
            error(n, fmt::format("'{}' must be between {} and {}, not {}", key, min, max, *v));
        else
            out = *v;
    }

    /** Durations are strings ("10m", "1h30m") or integer seconds. */
    void read_duration(const toml::table& t, std::string_view key, Seconds& out) {
        const toml::node* n = t.get(key);
        if (n == nullptr)
            return;
        if (auto i = n->is_integer() ? n->value<std::int64_t>() : std::nullopt) {
            if (*i < 0)
                error(n, fmt::format("'{}' must not be negative", key));
            else
                out = Seconds{*i};
        } else if (auto s = n->value<std::string>()) {
            if (auto d = parse_duration(*s))
                out = *d;
            else
                error(n, fmt::format("'{}' = \"{}\" is not a duration (use 30s, 10m, 6h, 1d)", key,
                                     *s));
        } else {
            error(n, fmt::format("'{}' must be a duration string such as \"10m\"", key));
        }
    }

    /** The element of an array (or the single value) whose string is `value`, for its line. */
    static const toml::node* element_of(const toml::node* n, const std::string& value) {
        if (const toml::array* arr = n != nullptr ? n->as_array() : nullptr)
            for (const toml::node& e : *arr)
                if (e.value<std::string>() == value)
                    return &e;
        return n;
    }

    void read_path(const toml::table& t, std::string_view key, fs::path& out) {
        std::string s;
        read_string(t, key, s);
        if (!s.empty())
            out = fs::path(s).is_absolute() ? fs::path(s) : m_base / s;
    }

    void read_strings(const toml::table& t, std::string_view key, std::vector<std::string>& out) {
        const toml::node* n = t.get(key);
        if (n == nullptr)
            return;
        if (auto s = n->value<std::string>()) {
            out.push_back(*s);
            return;
        }
        const toml::array* arr = n->as_array();
        if (arr == nullptr) {
            error(n, fmt::format("'{}' must be a string or an array of strings", key));
            return;
        }
        for (const toml::node& e : *arr) {
            if (auto s = e.value<std::string>())
                out.push_back(*s);
            else
                error(&e, fmt::format("'{}' must hold only strings", key));
        }
    }

    void daemon(const toml::table& t, DaemonConfig& d) {
        check_keys(t, "[daemon]");
        read_path(t, "database", d.database);
        read_path(t, "drafts_dir", d.drafts_dir);
        read_path(t, "control_socket", d.control_socket);
        if (const toml::node* n = t.get("log_level")) {
            auto s = n->value<std::string>();
            if (!s || !log::parse_level(*s, d.log_level))
                error(n, "'log_level' must be one of error, warning, notice, info, debug");
        }
        read_duration(t, "fetch_timeout", d.fetch_timeout);
        read_duration(t, "connect_timeout", d.connect_timeout);
        read_duration(t, "backoff_max", d.backoff_max);
        if (d.backoff_max < Seconds{60})
            error(t.get("backoff_max"), "'backoff_max' must be at least 1m");
        read_int(t, "max_feed_bytes", d.max_feed_bytes, 1024, std::int64_t{1} << 30);
        read_int(t, "max_concurrent_fetches", d.max_concurrent_fetches, 1, 1024);
        read_int(t, "max_fetches_per_host", d.max_fetches_per_host, 1, 64);
        read_header_text(t, "user_agent", d.user_agent);
        read_header_text(t, "contact", d.contact);
        if (d.contact.find_first_of("()") != std::string::npos)
            error(t.get("contact"), "'contact' must not hold parentheses");
        if (d.fetch_timeout.count() < 1)
            error(t.get("fetch_timeout"), "'fetch_timeout' must be at least 1s");
        if (d.connect_timeout.count() < 1)
            error(t.get("connect_timeout"), "'connect_timeout' must be at least 1s");
    }

    /** A string that goes into an HTTP header: printable ASCII, at most 200 characters. */
    void read_header_text(const toml::table& t, std::string_view key, std::string& out) {
        read_string(t, key, out);
        const bool printable = std::all_of(out.begin(), out.end(), [](char c) {
            return c >= 0x20 && c < 0x7f;
        });
        if (!printable || out.size() > 200)
            error(t.get(key), fmt::format("'{}' must be printable ASCII of at most 200 characters "
                                          "(it goes into the User-Agent header)",
                                          key));
    }

    void enrich(const toml::table& t, EnrichConfig& e) {
        check_keys(t, "[enrich]");
        read_bool(t, "enabled", e.enabled);
        read_duration(t, "wait", e.wait);
        read_duration(t, "per_host_spacing", e.per_host_spacing);
        read_duration(t, "timeout", e.timeout);
        // The extractor refuses pages over 5 MiB: fetching more would be wasted.
        read_int(t, "max_page_bytes", e.max_page_bytes, 16 << 10, 5 << 20);
        read_int(t, "max_redirects", e.max_redirects, 0, 20);
        read_int(t, "max_pages_per_story", e.max_pages_per_story, 1, 50);
        read_bool(t, "allow_private_addresses", e.allow_private_addresses);
        read_bool(t, "keep_html", e.keep_html);
        if (e.wait > Seconds{3600})
            error(t.get("wait"), "'wait' must be at most 1h (drafts wait that long at most)");
        if (e.per_host_spacing < Seconds{1} || e.per_host_spacing > Seconds{3600})
            error(t.get("per_host_spacing"), "'per_host_spacing' must be between 1s and 1h");
        if (e.timeout < Seconds{1} || e.timeout > Seconds{600})
            error(t.get("timeout"), "'timeout' must be between 1s and 10m");
    }

    void feed(const toml::table& t, FeedConfig& f) {
        f.line = line_of(&t);
        check_keys(t, "[[feed]]");
        read_string(t, "name", f.name);
        read_string(t, "type", f.type);
        read_string(t, "url", f.url);
        read_string(t, "geo", f.geo);
        read_duration(t, "interval", f.interval);
        read_bool(t, "enabled", f.enabled);
        read_int(t, "max_items", f.max_items, 1, 500);
        if (t.get("max_items") != nullptr && t.get("type") != nullptr && f.type != "hacker-news")
            error(t.get("max_items"), fmt::format("feed \"{}\": 'max_items' applies to "
                                                  "hacker-news feeds only (a Firebase list)",
                                                  f.name));
        if (t.get("frozen_after") != nullptr) {
            Seconds d{0};
            read_duration(t, "frozen_after", d);
            if (d < Seconds{1})
                error(t.get("frozen_after"),
                      fmt::format("feed \"{}\": 'frozen_after' must be at least 1s", f.name));
            f.frozen_after = d;
        }
        if (t.get("name") == nullptr)
            error_at(f.line, "[[feed]] needs a 'name'");
        else if (t.get("name")->is_string() && !valid_name(f.name))
            error(t.get("name"), fmt::format("feed name \"{}\" may only hold letters, digits, "
                                             "'-', '_' and '.' (at most 64)",
                                             f.name));
        if (t.get("type") == nullptr)
            error_at(f.line, fmt::format("feed \"{}\" needs a 'type'", f.name));
        else if (t.get("type")->is_string() && feed::parser_for(f.type) == nullptr)
            error(t.get("type"), fmt::format("feed \"{}\": unknown type \"{}\" (known: {})", f.name,
                                             f.type, fmt::join(feed::known_feed_types(), ", ")));
        check_url(t, f);
    }

    void check_url(const toml::table& t, FeedConfig& f) {
        if (t.get("url") == nullptr) {
            error_at(f.line, fmt::format("feed \"{}\" needs a 'url'", f.name));
            return;
        }
        if (!t.get("url")->is_string())
            return; // already reported
        if (lacks_host(f.url)) {
            error(t.get("url"), fmt::format("feed \"{}\": URL \"{}\" has no host", f.name, f.url));
            return;
        }
        if (auto why = util::date_placeholder_error(f.url)) {
            error(t.get("url"), fmt::format("feed \"{}\": URL \"{}\": {}", f.name, f.url, *why));
            return;
        }
        // A URL with day placeholders is checked as it will be fetched.
        auto parts = split_url(util::expand_date_placeholders(f.url, Timestamp{}));
        if (!parts ||
            (parts->scheme != "http" && parts->scheme != "https" && parts->scheme != "file")) {
            error(t.get("url"), fmt::format("feed \"{}\": \"{}\" is not an http, https or file URL",
                                            f.name, f.url));
            return;
        }
        if (parts->scheme != "file" && parts->host.empty())
            error(t.get("url"), fmt::format("feed \"{}\": URL \"{}\" has no host", f.name, f.url));
        if (f.geo.empty())
            f.geo = geo_from_query(parts->query);
        if (f.interval < Seconds{1})
            error(t.get("interval"),
                  fmt::format("feed \"{}\": interval must be at least 1s", f.name));
        else if (f.interval < Seconds{60} &&
                 !is_local_url(util::expand_date_placeholders(f.url, Timestamp{})))
            error(t.get("interval"),
                  fmt::format("feed \"{}\": interval {} is under the 1m minimum for remote URLs",
                              f.name, format_duration(f.interval)));
    }

    void rule(const toml::table& t, RuleConfig& r) {
        r.line = line_of(&t);
        check_keys(t, "[[rule]]");
        read_string(t, "name", r.name);
        if (t.get("name") == nullptr)
            error_at(r.line, "[[rule]] needs a 'name'");
        else if (t.get("name")->is_string() && !valid_name(r.name))
            error(t.get("name"), fmt::format("rule name \"{}\" may only hold letters, digits, "
                                             "'-', '_' and '.' (at most 64)",
                                             r.name));
        read_strings(t, "match", r.match);
        for (std::string& m : r.match) {
            if (m.starts_with("re:")) {
                const auto compiled = text::Regex::compile(std::string_view(m).substr(3));
                if (const auto* why = std::get_if<std::string>(&compiled))
                    error(element_of(t.get("match"), m),
                          fmt::format("rule \"{}\": bad regular expression \"{}\": {}", r.name,
                                      m.substr(3), *why));
            } else {
                m = text::normalize_term(text::repair_utf8(m));
            }
        }
        read_strings(t, "geo", r.geo);
        read_strings(t, "sources", r.sources);
        for (const std::string& type : r.sources)
            if (feed::parser_for(type) == nullptr)
                error(element_of(t.get("sources"), type),
                      fmt::format("rule \"{}\": unknown source type \"{}\" in 'sources' "
                                  "(known: {})",
                                  r.name, type, fmt::join(feed::known_feed_types(), ", ")));
        if (t.get("max_rank") != nullptr) {
            int rank = 0;
            read_int(t, "max_rank", rank, 1, 1000);
            r.max_rank = rank;
        }
        read_int(t, "min_sources", r.min_sources, 1,
                 static_cast<std::int64_t>(feed::known_feed_types().size()));
        if (const toml::node* n = t.get("min_traffic")) {
            std::optional<std::int64_t> v;
            if (n->is_integer())
                v = n->value<std::int64_t>();
            else if (auto s = n->value<std::string>())
                v = feed::parse_traffic(*s);
            if (!v || *v < 0)
                error(n, "'min_traffic' must be a non-negative integer or a label like \"20K+\"");
            else
                r.min_traffic = *v;
        }
        if (t.get("growth") != nullptr) {
            double g = 0;
            read_double(t, "growth", g, 1.0, 1e6);
            r.growth = g;
        }
        read_duration(t, "window", r.window);
        read_duration(t, "cooldown", r.cooldown);
        read_duration(t, "resolve_after", r.resolve_after);
        if (const toml::node* n = t.get("action")) {
            auto s = n->value<std::string>();
            if (s && *s == "draft")
                r.action = Action::draft;
            else if (s && *s == "record")
                r.action = Action::record;
            else
                error(n, "'action' must be \"draft\" or \"record\"");
        }
        if (!r.growth && t.get("min_traffic") == nullptr && !r.max_rank)
            error_at(r.line, fmt::format("rule \"{}\" needs 'min_traffic', 'growth' or "
                                         "'max_rank'",
                                         r.name));
        // An rss entry's traffic is its rank: 1 is the most prominent, so thresholds upwards
        // would select the least prominent entries.
        const bool rss_only =
            !r.sources.empty() && std::all_of(r.sources.begin(), r.sources.end(),
                                              [](const std::string& s) { return s == "rss"; });
        if (rss_only && (r.min_traffic > 0 || r.growth))
            error(t.get(r.growth ? "growth" : "min_traffic"),
                  fmt::format("rule \"{}\": an rss entry's traffic is its rank in the feed; use "
                              "'max_rank' instead of '{}'",
                              r.name, r.growth ? "growth" : "min_traffic"));
    }

    void drafter(const toml::table& t, DrafterConfig& d) {
        check_keys(t, "[drafter]");
        std::string kind = to_string(d.kind);
        read_string(t, "kind", kind);
        if (kind == "builtin" || kind == "openai")
            d.kind = kind == "openai" ? DrafterKind::openai : DrafterKind::builtin;
        else
            error(t.get("kind"), fmt::format("[drafter] kind must be \"builtin\" or \"openai\", "
                                             "not \"{}\"",
                                             kind));
        read_string(t, "language", d.language);
        if (d.language.size() < 2 || d.language.size() > 3 ||
            !std::all_of(d.language.begin(), d.language.end(),
                         [](char c) { return c >= 'a' && c <= 'z'; }))
            error(t.get("language"),
                  fmt::format("[drafter] language must be a language code such as \"en\", not "
                              "\"{}\"",
                              d.language));
        const toml::node* on = t.get("openai");
        if (on != nullptr && !on->is_table()) {
            error(on, "[drafter.openai] must be a table");
            return;
        }
        if (on != nullptr)
            openai(*on->as_table(), d.openai);
        if (d.kind == DrafterKind::openai && (d.openai.base_url.empty() || d.openai.model.empty()))
            error(t.get("kind"), "[drafter] kind = \"openai\" needs [drafter.openai] base_url and "
                                 "model");
    }

    void openai(const toml::table& t, OpenAIConfig& o) {
        check_keys(t, "[drafter.openai]");
        if (const toml::node* k = t.get("api_key"))
            error(k, "the API key never goes in the config file: use LoadCredential "
                     "(openai-api-key) or 'api_key_env'");
        read_string(t, "base_url", o.base_url);
        read_string(t, "model", o.model);
        read_double(t, "temperature", o.temperature, 0.0, 2.0);
        read_int(t, "max_tokens", o.max_tokens, 64, 200000);
        read_duration(t, "timeout", o.timeout);
        read_double(t, "price_input_per_mtok", o.price_input_per_mtok, 0.0, 1e6);
        read_double(t, "price_output_per_mtok", o.price_output_per_mtok, 0.0, 1e6);
        read_double(t, "max_usd_per_day", o.max_usd_per_day, 0.0, 1e9);
        read_int(t, "max_attempts", o.max_attempts, 1, 20);
        read_string(t, "api_key_env", o.api_key_env);
        if (const toml::node* n = t.get("fallback")) {
            auto s = n->value<std::string>();
            if (s && *s == "builtin")
                o.fallback = Fallback::builtin;
            else if (s && *s == "fail")
                o.fallback = Fallback::fail;
            else
                error(n, "'fallback' must be \"builtin\" or \"fail\"");
        }
        if (!o.base_url.empty()) {
            auto parts = split_url(o.base_url);
            if (!parts || (parts->scheme != "http" && parts->scheme != "https"))
                error(t.get("base_url"),
                      fmt::format("\"{}\" is not an http or https URL", o.base_url));
            else if (parts->scheme == "http" && !is_local_url(o.base_url))
                m_out.warnings.push_back(
                    {m_file, line_of(t.get("base_url")),
                     fmt::format("\"{}\" is plain http to another host: the API key would cross "
                                 "the network unencrypted",
                                 o.base_url)});
        }
    }

    void notify(const toml::table& t, NotifyConfig& n) {
        check_keys(t, "[notify]");
        if (const toml::node* s = t.get("secret"))
            error(s, "the webhook secret never goes in the config file: use 'secret_env'");
        read_string(t, "webhook_url", n.webhook_url);
        read_string(t, "secret_env", n.secret_env);
        if (!n.webhook_url.empty()) {
            auto parts = split_url(n.webhook_url);
            if (!parts || (parts->scheme != "http" && parts->scheme != "https"))
                error(t.get("webhook_url"),
                      fmt::format("\"{}\" is not an http or https URL", n.webhook_url));
        }
    }

    void metrics(const toml::table& t, MetricsConfig& m) {
        check_keys(t, "[metrics]");
        std::string listen;
        read_string(t, "listen", listen);
        if (listen.empty())
            return;
        if (auto parsed = parse_listen(listen))
            m = *parsed;
        else
            error(t.get("listen"), fmt::format("'listen' must be an IP address and a port, like "
                                               "\"127.0.0.1:9464\" or \"[::1]:9464\" (got \"{}\")",
                                               listen));
    }

    /** Arrays of tables ([[feed]], [[rule]]): each element through `fn`. */
    template <typename T, typename Fn>
    void each_table(const toml::table& root, std::string_view key, std::vector<T>& out, Fn fn) {
        const toml::node* n = root.get(key);
        if (n == nullptr)
            return;
        const toml::array* arr = n->as_array();
        if (arr == nullptr) {
            error(n, fmt::format("'{}' must be written [[{}]]", key, key));
            return;
        }
        for (const toml::node& e : *arr) {
            if (const toml::table* tt = e.as_table()) {
                T item;
                (this->*fn)(*tt, item);
                out.push_back(std::move(item));
            } else {
                error(&e, fmt::format("'{}' must be written [[{}]]", key, key));
            }
        }
    }

    template <typename T>
    void check_unique(const std::vector<T>& items, std::string_view what) {
        std::set<std::string> seen;
        for (const T& i : items)
            if (!i.name.empty() && !seen.insert(i.name).second)
                error_at(i.line, fmt::format("duplicate {} name \"{}\"", what, i.name));
    }

    template <typename Fn>
    void section(const toml::table& root, std::string_view key, Fn fn) {
        if (const toml::node* n = root.get(key)) {
            if (const toml::table* t = n->as_table())
                fn(*t);
            else
                error(n, fmt::format("[{}] must be a table", key));
        }
    }

    void read(const toml::table& root, Config& c) {
        check_keys(root, "");
        section(root, "daemon", [&](const toml::table& t) { daemon(t, c.daemon); });
        each_table(root, "feed", c.feeds, &Reader::feed);
        each_table(root, "rule", c.rules, &Reader::rule);
        section(root, "drafter", [&](const toml::table& t) { drafter(t, c.drafter); });
        section(root, "notify", [&](const toml::table& t) { notify(t, c.notify); });
        section(root, "enrich", [&](const toml::table& t) { enrich(t, c.enrich); });
        section(root, "metrics", [&](const toml::table& t) { metrics(t, c.metrics); });
        check_unique(c.feeds, "feed");
        check_unique(c.rules, "rule");
    }
};

void fill_defaults(Config& c) {
    DaemonConfig& d = c.daemon;
    if (d.database.empty())
        d.database = env_dir("STATE_DIRECTORY", "/var/lib/trendd") / "trendd.db";
    if (d.drafts_dir.empty())
        d.drafts_dir = d.database.parent_path() / "drafts";
    if (d.control_socket.empty())
        d.control_socket = env_dir("RUNTIME_DIRECTORY", "/run/trendd") / "trendd.sock";
    if (d.user_agent.empty())
        d.user_agent =
            d.contact.empty()
                ? std::string("trendd/" TRENDD_VERSION " (+https://github.com/trendd/trendd)")
                : fmt::format("trendd/" TRENDD_VERSION " (+https://github.com/trendd/trendd; {})",
                              d.contact);
}

} // namespace

std::string Diagnostic::str() const {
    return line > 0 ? fmt::format("{}:{}: {}", file, line, message)
                    : fmt::format("{}: {}", file, message);
}

bool is_local_url(const std::string& url) {
    auto parts = split_url(url);
    if (!parts)
        return false;
    if (parts->scheme == "file")
        return true;
    // libcurl normalises numeric hosts ("127.1", "0x7f.1") to dotted quads; a name such as
    // "127.example.com" is not the loopback.
    const std::string& h = parts->host;
    if (h == "localhost" || h == "[::1]" || h == "::1")
        return true;
    in_addr addr{};
    return ::inet_pton(AF_INET, h.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

std::string MetricsConfig::str() const {
    return address.find(':') != std::string::npos ? fmt::format("[{}]:{}", address, port)
                                                  : fmt::format("{}:{}", address, port);
}

std::optional<MetricsConfig> parse_listen(std::string_view s) {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    std::string_view host = s.substr(0, colon);
    const std::string_view port = s.substr(colon + 1);
    const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
    if (bracketed)
        host = host.substr(1, host.size() - 2);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value < 1 || value > 65535)
        return std::nullopt;
    const std::string h(host);
    in6_addr a6{};
    in_addr a4{};
    const bool v6 = ::inet_pton(AF_INET6, h.c_str(), &a6) == 1;
    if (v6 != bracketed || (!v6 && ::inet_pton(AF_INET, h.c_str(), &a4) != 1))
        return std::nullopt;
    return MetricsConfig{h, static_cast<std::uint16_t>(value)};
}

std::span<const KnownTable> known_keys() {
    return k_known_tables;
}

Config defaults() {
    Config c;
    fill_defaults(c);
    return c;
}

fs::path default_path() {
    return env_dir("CONFIGURATION_DIRECTORY", "/etc/trendd") / "trendd.toml";
}

LoadResult parse(std::string_view toml_text, const fs::path& file) {
    LoadResult out;
    Config c;
    c.source = file;
    try {
        const toml::table root = toml::parse(toml_text, file.string());
        Reader(file, out).read(root, c);
    } catch (const toml::parse_error& e) {
        out.errors.push_back(
            {file.string(), static_cast<int>(e.source().begin.line), std::string(e.description())});
    }
    // Keys are visited in name order, and some checks run after a table is read: report in the
    // order of the file.
    const auto by_line = [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; };
    std::stable_sort(out.errors.begin(), out.errors.end(), by_line);
    std::stable_sort(out.warnings.begin(), out.warnings.end(), by_line);
    fill_defaults(c);
    if (out.errors.empty())
        out.config = std::move(c);
    else
        out.best_effort = std::move(c);
    return out;
}

LoadResult load_named_or_default(const fs::path& named, bool require_file) {
    if (!named.empty())
        return load(named);
    const fs::path path = default_path();
    std::error_code ec;
    if (!require_file && !fs::exists(path, ec)) {
        LoadResult r;
        r.config = defaults();
        return r;
    }
    return load(path);
}

LoadResult load(const fs::path& file) {
    const auto fail = [&](std::string why) {
        LoadResult out;
        out.errors.push_back({file.string(), 0, "cannot read the configuration file: " + why});
        return out;
    };
    std::error_code ec;
    const fs::file_status st = fs::status(file, ec);
    if (st.type() == fs::file_type::not_found)
        return fail("no such file");
    if (ec)
        return fail(ec.message());
    if (fs::is_directory(st))
        return fail("it is a directory");
    errno = 0;
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return fail(errno != 0 ? std::strerror(errno) : "unreadable");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return fail("read error");
    return parse(ss.str(), fs::absolute(file));
}

} // namespace trend::config
