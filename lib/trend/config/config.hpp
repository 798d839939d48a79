// SPDX-License-Identifier: MIT
#pragma once

#include "trend/log/log.hpp"
#include "trend/util/time.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/** trendd.toml: the whole configuration, validated (docs/configuration.md). */
namespace trend::config {

struct DaemonConfig {
    std::filesystem::path database;       ///< default $STATE_DIRECTORY/trendd.db
    std::filesystem::path drafts_dir;     ///< default <database dir>/drafts
    std::filesystem::path control_socket; ///< default $RUNTIME_DIRECTORY/trendd.sock
    log::Level log_level = log::Level::info;
    Seconds fetch_timeout{30};
    Seconds connect_timeout{10};
    std::int64_t max_feed_bytes = 8 * 1024 * 1024;
    int max_concurrent_fetches = 16;
    int max_fetches_per_host = 4;
    Seconds backoff_max{6 * 3600};
    std::string user_agent; ///< default "trendd/<version> (+https://github.com/trendd/trendd)"
    /** An e-mail address or URL where a site operator can reach whoever runs this trendd; the
     *  default user_agent carries it (Wikimedia's API requires one). "" = none. */
    std::string contact;
};

/** [enrich]: reading the pages a story links to (docs/enrichment.md). */
struct EnrichConfig {
    bool enabled = true;
    Seconds wait{180};                        ///< how long a draft waits for its pages
    std::int64_t max_page_bytes = 3 << 20;    ///< decompressed
    Seconds per_host_spacing{2};              ///< from the end of a request to the next start
    Seconds timeout{20};                      ///< one page fetch, in all
    int max_redirects = 5;
    bool allow_private_addresses = false;     ///< tests and intranets only
    bool keep_html = false;                   ///< keep each page's HTML (zlib) in pages.html
    int max_pages_per_story = 10;
};

struct FeedConfig {
    std::string name;
    std::string type;
    std::string url;
    std::string geo; ///< default: the url's geo= parameter, upper-cased
    Seconds interval{600};
    bool enabled = true;
    /** hacker-news with a Firebase list URL (topstories.json): how many of its stories to fetch. */
    int max_items = 30;
    /** Health: the same content for this long is "frozen"; nullopt = learnt from the feed's own
     *  history (docs/sources.md, "Source health"). */
    std::optional<Seconds> frozen_after;
    int line = 0; ///< where it was declared, for messages
};

enum class Action { draft, record };

struct RuleConfig {
    std::string name;
    std::vector<std::string> match;   ///< normalised terms, or "re:<ECMAScript regex>"
    std::vector<std::string> geo;     ///< feed names or geo codes; empty = all
    std::vector<std::string> sources; ///< feed types the rule applies to; empty = all
    std::int64_t min_traffic = 0;
    std::optional<int> max_rank; ///< only items at this position of their feed or better
    /** Draft only when this many independent source types (feed::platform_of) agree on the
     *  story within `window`; 1 = the spike's own source is enough. */
    int min_sources = 1;
    std::optional<double> growth; ///< factor over the term's own median
    Seconds window{7 * 86400};    ///< baseline window for growth
    Seconds cooldown{86400};
    Seconds resolve_after{6 * 3600};
    Action action = Action::draft;
    int line = 0;
};

enum class Fallback { builtin, fail };

struct OpenAIConfig {
    std::string base_url; ///< "https://api.openai.com/v1"
    std::string model;
    double temperature = 0.2;
    int max_tokens = 1800;
    Seconds timeout{90};
    double price_input_per_mtok = 0.0;  ///< USD per million prompt tokens
    double price_output_per_mtok = 0.0; ///< USD per million completion tokens
    double max_usd_per_day = 5.0;
    Fallback fallback = Fallback::builtin;
    std::string api_key_env; ///< environment variable holding the key (else the credential)
    int max_attempts = 5;
};

/** Who writes the explainers: trendd itself, offline, or an OpenAI-compatible API. */
enum class DrafterKind { builtin, openai };

/** "builtin" | "openai", as the configuration and the drafts table spell them. */
[[nodiscard]] constexpr const char* to_string(DrafterKind k) noexcept {
    return k == DrafterKind::openai ? "openai" : "builtin";
}

struct DrafterConfig {
    DrafterKind kind = DrafterKind::builtin;
    /** The language drafts are written in (BCP 47 primary tag, 2 or 3 lowercase letters): the
     *  LLM writes in it and translates quotes; the built-in drafter's frame is English. */
    std::string language = "en";
    OpenAIConfig openai;
};

struct NotifyConfig {
    std::string webhook_url; ///< empty = no notification
    std::string secret_env;  ///< environment variable holding the HMAC secret
};

/** The optional HTTP endpoint for Prometheus: `[metrics] listen = "127.0.0.1:9464"`. */
struct MetricsConfig {
    std::string address; ///< an IP literal ("127.0.0.1", "::1"); empty = no listener
    std::uint16_t port = 0;
    [[nodiscard]] bool enabled() const noexcept { return !address.empty(); }
    /** "127.0.0.1:9464", "[::1]:9464". */
    [[nodiscard]] std::string str() const;
    friend bool operator==(const MetricsConfig&, const MetricsConfig&) = default;
};

/** "127.0.0.1:9464", "[::1]:9464" → address and port; nullopt when it is not an IP literal
 *  and a port 1-65535. */
[[nodiscard]] std::optional<MetricsConfig> parse_listen(std::string_view s);

struct Config {
    std::filesystem::path source; ///< the file it came from ("" = built-in defaults)
    DaemonConfig daemon;
    std::vector<FeedConfig> feeds;
    std::vector<RuleConfig> rules;
    DrafterConfig drafter;
    NotifyConfig notify;
    MetricsConfig metrics;
    EnrichConfig enrich;
};

/** A problem with a place: prints as "FILE:LINE: message". */
struct Diagnostic {
    std::string file;
    int line = 0;
    std::string message;
    [[nodiscard]] std::string str() const;
};

/** Either a config (errors empty) or every error found. Warnings never block. */
struct LoadResult {
    std::optional<Config> config;
    /** What could be read despite errors (the paths of [daemon], ...), defaults elsewhere;
     *  for tools that only need to find the daemon (trendctl reload reports the errors). */
    std::optional<Config> best_effort;
    std::vector<Diagnostic> errors;
    std::vector<Diagnostic> warnings;
};

/** A table of trendd.toml and the keys it accepts. */
struct KnownTable {
    std::string_view table; ///< as messages name it: "[daemon]", "[[feed]]"; "" = the top level
    std::span<const std::string_view> keys;
};

/** Every table and key the parser accepts, in the order of docs/configuration.md. A key that
 *  names a table (top-level "daemon", [drafter] "openai") is listed in its parent too. Keys
 *  outside this list are "unknown key" errors. */
[[nodiscard]] std::span<const KnownTable> known_keys();

/** Reads and validates a file. Never throws; an unreadable file is an error. */
[[nodiscard]] LoadResult load(const std::filesystem::path& file);

/** Validates TOML text; `file` names it in diagnostics and anchors relative paths. */
[[nodiscard]] LoadResult parse(std::string_view toml_text, const std::filesystem::path& file);

/** The configuration a program runs on: the file named on its command line (`named`, which
 *  must exist), else the default file (default_path()) when it exists, else the built-in
 *  defaults (no errors, `config->source` empty). With `require_file`, a missing default file
 *  is an error too (trendd --check-config). */
[[nodiscard]] LoadResult load_named_or_default(const std::filesystem::path& named,
                                               bool require_file = false);

/** The configuration used when none is given: default paths, no feeds, no rules. */
[[nodiscard]] Config defaults();

/** The default config file: /etc/trendd/trendd.toml, or $CONFIGURATION_DIRECTORY/trendd.toml. */
[[nodiscard]] std::filesystem::path default_path();

/** True for file:// URLs and hosts on the loopback (127.0.0.0/8, localhost, [::1]). */
[[nodiscard]] bool is_local_url(const std::string& url);

} // namespace trend::config
