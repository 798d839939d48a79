// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/config/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace std::string_literals;
using namespace trend;
namespace fs = std::filesystem;

namespace {

const std::string k_file = "/etc/trendd/trendd.toml";

/** Sets (or unsets) an environment variable for one scope and restores the old value. */
class EnvGuard {
    std::string m_name;
    std::optional<std::string> m_old;

public:
    EnvGuard(std::string name, const char* value) : m_name(std::move(name)) {
        if (const char* old = std::getenv(m_name.c_str()))
            m_old = old;
        if (value != nullptr)
            ::setenv(m_name.c_str(), value, 1);
        else
            ::unsetenv(m_name.c_str());
    }
    ~EnvGuard() {
        if (m_old)
            ::setenv(m_name.c_str(), m_old->c_str(), 1);
        else
            ::unsetenv(m_name.c_str());
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;
};

config::LoadResult parse(const std::string& text) {
    return config::parse(text, k_file);
}

/** Every diagnostic as "FILE:LINE: message", one a line, for failure messages. */
std::string dump(const std::vector<config::Diagnostic>& ds) {
    std::ostringstream out;
    for (const auto& d : ds)
        out << d.str() << '\n';
    return out.str();
}

/** True when an error on `line` of the test file holds `text`. */
bool has_error(const config::LoadResult& r, int line, const std::string& text) {
    for (const auto& d : r.errors)
        if (d.file == k_file && d.line == line && d.message.find(text) != std::string::npos)
            return true;
    return false;
}

/** Expects exactly one error, on `line`, holding `text`. */
void check_one_error(const std::string& toml, int line, const std::string& text) {
    const auto r = parse(toml);
    INFO("config:\n" << toml << "\nerrors:\n" << dump(r.errors));
    CHECK_FALSE(r.config.has_value());
    CHECK(r.errors.size() == 1);
    CHECK(has_error(r, line, text));
}

const std::string k_feed = R"([[feed]]
name = "gb"
type = "google-trends-rss"
url = "https://trends.google.com/trending/rss?geo=GB"
)";

/** A config of one feed whose lines 5.. are `body` (in [[feed]] unless it opens a table). */
std::string with_feed(const std::string& body) {
    return k_feed + body;
}

} // namespace

TEST_SUITE("config") {

    TEST_CASE("a one-feed config works with defaults") {
        EnvGuard state("STATE_DIRECTORY", "/var/lib/trendd-test");
        EnvGuard runtime("RUNTIME_DIRECTORY", "/run/trendd-test");
        const auto r = parse(k_feed);
        INFO(dump(r.errors));
        REQUIRE(r.errors.empty());
        CHECK(r.warnings.empty());
        REQUIRE(r.config.has_value());
        const config::Config& c = *r.config;
        CHECK(c.source == fs::path(k_file));
        REQUIRE(c.feeds.size() == 1);
        const config::FeedConfig& f = c.feeds[0];
        CHECK(f.name == "gb");
        CHECK(f.type == "google-trends-rss");
        CHECK(f.url == "https://trends.google.com/trending/rss?geo=GB");
        CHECK(f.geo == "GB");
        CHECK(f.interval == Seconds{600});
        CHECK(f.enabled);
        CHECK(f.line == 1);
        CHECK(c.rules.empty());
        CHECK(c.daemon.database == fs::path("/var/lib/trendd-test/trendd.db"));
        CHECK(c.daemon.drafts_dir == fs::path("/var/lib/trendd-test/drafts"));
        CHECK(c.daemon.control_socket == fs::path("/run/trendd-test/trendd.sock"));
        CHECK(c.daemon.log_level == log::Level::info);
        CHECK(c.daemon.fetch_timeout == Seconds{30});
        CHECK(c.daemon.user_agent.rfind("trendd/", 0) == 0);
        CHECK(c.drafter.kind == config::DrafterKind::builtin);
        CHECK(c.notify.webhook_url.empty());
    }

    TEST_CASE("the database defaults to /var/lib/trendd without STATE_DIRECTORY") {
        EnvGuard state("STATE_DIRECTORY", nullptr);
        EnvGuard runtime("RUNTIME_DIRECTORY", nullptr);
        const auto r = parse(k_feed);
        REQUIRE(r.config.has_value());
        CHECK(r.config->daemon.database == fs::path("/var/lib/trendd/trendd.db"));
        CHECK(r.config->daemon.drafts_dir == fs::path("/var/lib/trendd/drafts"));
        CHECK(r.config->daemon.control_socket == fs::path("/run/trendd/trendd.sock"));
        CHECK(config::defaults().daemon.database == fs::path("/var/lib/trendd/trendd.db"));
    }

    TEST_CASE("STATE_DIRECTORY with several directories uses the first") {
        EnvGuard state("STATE_DIRECTORY", "/var/lib/a:/var/lib/b");
        const auto r = parse(k_feed);
        REQUIRE(r.config.has_value());
        CHECK(r.config->daemon.database == fs::path("/var/lib/a/trendd.db"));
    }

    TEST_CASE("an empty config is valid and has no feeds") {
        const auto r = parse("");
        REQUIRE(r.config.has_value());
        CHECK(r.config->feeds.empty());
        CHECK(r.config->rules.empty());
    }

    TEST_CASE("the design's example config is read in full") {
        const std::string toml = R"([daemon]
database = "/var/lib/trendd/trendd.db"
drafts_dir = "/var/lib/trendd/drafts"
log_level = "debug"
fetch_timeout = "45s"
max_concurrent_fetches = 8
[[feed]]
name = "google-trends-us"
type = "google-trends-rss"
url = "https://trends.google.com/trending/rss?geo=US"
geo = "US"
interval = "10m"
[[feed]]
name = "local"
type = "google-trends-rss"
url = "http://127.0.0.1:8080/rss?geo=de"
interval = "30s"
enabled = false
[[rule]]
name = "buzz-20k"
min_traffic = 20000
cooldown = "24h"
action = "draft"
[[rule]]
name = "growth"
growth = 3.5
window = "3d"
action = "record"
geo = ["US", "local"]
[drafter]
kind = "openai"
[drafter.openai]
base_url = "https://api.openai.com/v1"
model = "gpt-4o-mini"
price_input_per_mtok = 0.15
max_usd_per_day = 2
fallback = "fail"
api_key_env = "OPENAI_API_KEY"
[notify]
webhook_url = "https://hooks.example.com/trendd"
secret_env = "TRENDD_WEBHOOK_SECRET"
)";
        const auto r = parse(toml);
        INFO(dump(r.errors));
        REQUIRE(r.config.has_value());
        const config::Config& c = *r.config;
        CHECK(c.daemon.database == fs::path("/var/lib/trendd/trendd.db"));
        CHECK(c.daemon.drafts_dir == fs::path("/var/lib/trendd/drafts"));
        CHECK(c.daemon.log_level == log::Level::debug);
        CHECK(c.daemon.fetch_timeout == Seconds{45});
        CHECK(c.daemon.max_concurrent_fetches == 8);
        REQUIRE(c.feeds.size() == 2);
        CHECK(c.feeds[0].geo == "US");
        CHECK(c.feeds[0].line == 7);
        CHECK(c.feeds[1].name == "local");
        CHECK(c.feeds[1].geo == "DE");
        CHECK(c.feeds[1].interval == Seconds{30});
        CHECK_FALSE(c.feeds[1].enabled);
        CHECK(c.feeds[1].line == 13);
        REQUIRE(c.rules.size() == 2);
        CHECK(c.rules[0].name == "buzz-20k");
        CHECK(c.rules[0].min_traffic == 20000);
        CHECK_FALSE(c.rules[0].growth.has_value());
        CHECK(c.rules[0].cooldown == Seconds{86400});
        CHECK(c.rules[0].action == config::Action::draft);
        CHECK(c.rules[0].line == 19);
        CHECK(c.rules[1].growth == 3.5);
        CHECK(c.rules[1].window == Seconds{3 * 86400});
        CHECK(c.rules[1].min_traffic == 0);
        CHECK(c.rules[1].action == config::Action::record);
        CHECK(c.rules[1].geo == std::vector<std::string>{"US", "local"});
        CHECK(c.drafter.kind == config::DrafterKind::openai);
        CHECK(c.drafter.openai.base_url == "https://api.openai.com/v1");
        CHECK(c.drafter.openai.model == "gpt-4o-mini");
        CHECK(c.drafter.openai.price_input_per_mtok == doctest::Approx(0.15));
        CHECK(c.drafter.openai.max_usd_per_day == doctest::Approx(2.0));
        CHECK(c.drafter.openai.fallback == config::Fallback::fail);
        CHECK(c.drafter.openai.api_key_env == "OPENAI_API_KEY");
        CHECK(c.notify.webhook_url == "https://hooks.example.com/trendd");
        CHECK(c.notify.secret_env == "TRENDD_WEBHOOK_SECRET");
    }

    TEST_CASE("relative paths are resolved against the config file's directory") {
        SUBCASE("database and drafts_dir") {
            const auto r = config::parse("[daemon]\ndatabase = \"data/t.db\"\n"
                                         "drafts_dir = \"../drafts\"\n",
                                         "/srv/trendd/conf/trendd.toml");
            REQUIRE(r.config.has_value());
            CHECK(r.config->daemon.database == fs::path("/srv/trendd/conf/data/t.db"));
            CHECK(r.config->daemon.drafts_dir == fs::path("/srv/trendd/conf/../drafts"));
        }
        SUBCASE("drafts_dir defaults beside a relative database") {
            const auto r =
                config::parse("[daemon]\ndatabase = \"data/t.db\"\n", "/srv/trendd/trendd.toml");
            REQUIRE(r.config.has_value());
            CHECK(r.config->daemon.database == fs::path("/srv/trendd/data/t.db"));
            CHECK(r.config->daemon.drafts_dir == fs::path("/srv/trendd/data/drafts"));
        }
        SUBCASE("absolute paths are kept") {
            const auto r =
                config::parse("[daemon]\ndatabase = \"/data/t.db\"\n"
                              "drafts_dir = \"/out\"\ncontrol_socket = \"/run/x.sock\"\n",
                              "/srv/trendd/trendd.toml");
            REQUIRE(r.config.has_value());
            CHECK(r.config->daemon.database == fs::path("/data/t.db"));
            CHECK(r.config->daemon.drafts_dir == fs::path("/out"));
            CHECK(r.config->daemon.control_socket == fs::path("/run/x.sock"));
        }
    }

    TEST_CASE("Diagnostic str is FILE LINE message") {
        CHECK(config::Diagnostic{"/etc/trendd/trendd.toml", 7, "boom"}.str() ==
              "/etc/trendd/trendd.toml:7: boom");
        CHECK(config::Diagnostic{"/etc/trendd/trendd.toml", 0, "boom"}.str() ==
              "/etc/trendd/trendd.toml: boom");
    }

    TEST_CASE("unknown keys are reported where they are") {
        SUBCASE("top level") {
            check_one_error("colour = \"blue\"\n" + k_feed, 1,
                            "unknown key 'colour' in the top level");
        }
        SUBCASE("top-level table") {
            check_one_error(k_feed + "[deamon]\ndatabase = \"x.db\"\n", 5,
                            "unknown key 'deamon' in the top level");
        }
        SUBCASE("[daemon]") {
            check_one_error("[daemon]\ndatabase = \"/x.db\"\ndatabse = \"/y.db\"\n", 3,
                            "unknown key 'databse' in [daemon]");
        }
        SUBCASE("[[feed]]") {
            check_one_error(with_feed("intervall = \"5m\"\n"), 5,
                            "unknown key 'intervall' in [[feed]]");
        }
        SUBCASE("[[rule]]") {
            check_one_error("[[rule]]\nname = \"r\"\nmin_traffic = 1000\nthreshold = 5\n", 4,
                            "unknown key 'threshold' in [[rule]]");
        }
        SUBCASE("[drafter]") {
            check_one_error("[drafter]\nkind = \"builtin\"\nstyle = \"terse\"\n", 3,
                            "unknown key 'style' in [drafter]");
        }
        SUBCASE("[drafter.openai]") {
            check_one_error("[drafter.openai]\nbase_url = \"https://api.example.com/v1\"\n"
                            "modle = \"x\"\n",
                            3, "unknown key 'modle' in [drafter.openai]");
        }
        SUBCASE("[notify]") {
            check_one_error("[notify]\nurl = \"https://hooks.example.com/\"\n", 2,
                            "unknown key 'url' in [notify]");
        }
    }

    TEST_CASE("known_keys lists exactly the keys the reader accepts") {
        const auto unknown_key_errors = [](const config::LoadResult& r) {
            return std::count_if(r.errors.begin(), r.errors.end(), [](const auto& d) {
                return d.message.find("unknown key") != std::string::npos;
            });
        };
        bool daemon_database = false;
        for (const config::KnownTable& t : config::known_keys()) {
            // "[daemon]\n", "[[feed]]\n"; nothing for the top level.
            const std::string header = t.table.empty() ? "" : std::string(t.table) + "\n";
            for (std::string_view key : t.keys) {
                daemon_database |= t.table == "[daemon]" && key == "database";
                // Any value will do: a wrong type is another error, never "unknown key".
                const auto r = parse(header + std::string(key) + " = 1\n");
                INFO(t.table, " ", key, ":\n", dump(r.errors));
                CHECK(unknown_key_errors(r) == 0);
            }
            const auto r = parse(header + "not_a_key = 1\n");
            INFO(t.table, ":\n", dump(r.errors));
            CHECK(unknown_key_errors(r) == 1);
        }
        CHECK(daemon_database);
    }

    TEST_CASE("wrong value types are reported") {
        SUBCASE("interval = true") {
            check_one_error(with_feed("interval = true\n"), 5,
                            "'interval' must be a duration string such as \"10m\"");
        }
        SUBCASE("enabled = yes") {
            check_one_error(with_feed("enabled = \"yes\"\n"), 5, "'enabled' must be true or false");
        }
        SUBCASE("min_traffic = lots") {
            check_one_error(
                "[[rule]]\nname = \"r\"\nmin_traffic = \"lots\"\n", 3,
                "'min_traffic' must be a non-negative integer or a label like \"20K+\"");
        }
        SUBCASE("negative min_traffic") {
            check_one_error("[[rule]]\nname = \"r\"\nmin_traffic = -1\n", 3,
                            "'min_traffic' must be a non-negative integer");
        }
        SUBCASE("name is not a string") {
            check_one_error("[[rule]]\nname = 5\nmin_traffic = 1\n", 2, "'name' must be a string");
        }
        SUBCASE("max_concurrent_fetches is a string") {
            check_one_error("[daemon]\nmax_concurrent_fetches = \"8\"\n", 2,
                            "'max_concurrent_fetches' must be an integer");
        }
        SUBCASE("an integer out of range") {
            check_one_error("[daemon]\nmax_fetches_per_host = 0\n", 2,
                            "'max_fetches_per_host' must be between 1 and 64, not 0");
        }
        SUBCASE("growth is not a number") {
            check_one_error("[[rule]]\nname = \"r\"\ngrowth = \"3x\"\n", 3,
                            "'growth' must be a number");
        }
        SUBCASE("growth under 1") {
            check_one_error("[[rule]]\nname = \"r\"\ngrowth = 0.5\n", 3,
                            "'growth' must be between 1 and 1000000, not 0.5");
        }
        SUBCASE("log_level") {
            check_one_error("[daemon]\nlog_level = \"loud\"\n", 2,
                            "'log_level' must be one of error, warning, notice, info, debug");
        }
        SUBCASE("match holds a number") {
            check_one_error("[[rule]]\nname = \"r\"\nmin_traffic = 1\nmatch = [\"a\", 2]\n", 4,
                            "'match' must hold only strings");
        }
        SUBCASE("[daemon] is not a table") {
            check_one_error("daemon = 5\n", 1, "[daemon] must be a table");
        }
        SUBCASE("feed written as a single table") {
            check_one_error("[feed]\nname = \"x\"\n", 1, "'feed' must be written [[feed]]");
        }
    }

    TEST_CASE("every error is reported not just the first") {
        const std::string toml = R"(colour = "blue"
[daemon]
databse = "x.db"
fetch_timeout = "soon"
[[feed]]
name = "a"
type = "atom"
url = "ftp://example.com/feed"
[[feed]]
name = "b"
type = "google-trends-rss"
url = "https://trends.google.com/trending/rss?geo=US"
interval = true
enabled = "yes"
[[rule]]
name = "r"
min_traffic = "lots"
action = "publish"
)";
        const auto r = parse(toml);
        INFO(dump(r.errors));
        CHECK_FALSE(r.config.has_value());
        CHECK(r.errors.size() == 9);
        CHECK(has_error(r, 1, "unknown key 'colour' in the top level"));
        CHECK(has_error(r, 3, "unknown key 'databse' in [daemon]"));
        CHECK(has_error(r, 4, "'fetch_timeout' = \"soon\" is not a duration"));
        CHECK(has_error(r, 7, "feed \"a\": unknown type \"atom\""));
        CHECK(has_error(r, 8,
                        "feed \"a\": \"ftp://example.com/feed\" is not an http, https or "
                        "file URL"));
        CHECK(has_error(r, 13, "'interval' must be a duration string"));
        CHECK(has_error(r, 14, "'enabled' must be true or false"));
        CHECK(has_error(r, 17, "'min_traffic' must be a non-negative integer"));
        CHECK(has_error(r, 18, "'action' must be \"draft\" or \"record\""));
        SUBCASE("errors come in line order and print as FILE LINE message") {
            REQUIRE(r.errors.size() == 9);
            for (std::size_t i = 1; i < r.errors.size(); ++i)
                CHECK(r.errors[i - 1].line <= r.errors[i].line);
            CHECK(r.errors.front().str() ==
                  "/etc/trendd/trendd.toml:1: unknown key 'colour' in the top level");
        }
    }

    TEST_CASE("errors are sorted by line whatever order they are found in") {
        // Keys are visited in name order and the URL and duplicate checks run after a table.
        const std::string toml = R"([[feed]]
name = "a"
zeta = 1
type = "google-trends-rss"
alpha = 2
url = "ftp://example.com/"
enabled = "yes"
[[rule]]
name = "r"
action = "publish"
min_traffic = 1
[[feed]]
name = "a"
type = "google-trends-rss"
url = "https://example.com/rss"
[[rule]]
name = "s"
growth = "x"
)";
        const auto r = parse(toml);
        INFO(dump(r.errors));
        std::vector<std::string> got;
        for (const auto& d : r.errors)
            got.push_back(d.str());
        const std::string f = k_file;
        CHECK(got ==
              std::vector<std::string>{
                  f + ":3: unknown key 'zeta' in [[feed]]",
                  f + ":5: unknown key 'alpha' in [[feed]]",
                  f + ":6: feed \"a\": \"ftp://example.com/\" is not an http, https or file URL",
                  f + ":7: 'enabled' must be true or false",
                  f + ":10: 'action' must be \"draft\" or \"record\"",
                  f + ":12: duplicate feed name \"a\"",
                  f + ":18: 'growth' must be a number",
              });
    }

    TEST_CASE("duplicate names are reported at the second declaration") {
        SUBCASE("feeds") {
            check_one_error(k_feed + k_feed, 5, "duplicate feed name \"gb\"");
        }
        SUBCASE("rules") {
            check_one_error("[[rule]]\nname = \"r\"\nmin_traffic = 1\n"
                            "[[rule]]\nname = \"x\"\nmin_traffic = 2\n"
                            "[[rule]]\nname = \"r\"\ngrowth = 2\n",
                            7, "duplicate rule name \"r\"");
        }
        SUBCASE("a feed and a rule may share a name") {
            const auto r = parse(k_feed + "[[rule]]\nname = \"gb\"\nmin_traffic = 1\n");
            CHECK(r.errors.empty());
        }
    }

    TEST_CASE("feed names must be plain") {
        check_one_error("[[feed]]\nname = \"my feed\"\ntype = \"google-trends-rss\"\n"
                        "url = \"https://example.com/rss\"\n",
                        2, "feed name \"my feed\" may only hold letters, digits");
        check_one_error("[[feed]]\nname = \"" + std::string(65, 'a') +
                            "\"\ntype = \"google-trends-rss\"\nurl = \"https://example.com/rss\"\n",
                        2, "(at most 64)");
    }

    TEST_CASE("empty strings are not a name a type or a url") {
        const auto r = parse("[[feed]]\nname = \"\"\ntype = \"\"\nurl = \"\"\n");
        INFO(dump(r.errors));
        CHECK(r.errors.size() == 3);
        CHECK(has_error(r, 2, "feed name \"\" may only hold"));
        CHECK(has_error(r, 3, "unknown type \"\""));
        CHECK(has_error(r, 4, "\"\" is not an http, https or file URL"));
    }

    TEST_CASE("a feed needs a name a type and a url") {
        const auto r = parse("[[feed]]\ninterval = \"5m\"\n");
        INFO(dump(r.errors));
        CHECK(r.errors.size() == 3);
        CHECK(has_error(r, 1, "[[feed]] needs a 'name'"));
        CHECK(has_error(r, 1, "needs a 'type'"));
        CHECK(has_error(r, 1, "needs a 'url'"));
    }

    TEST_CASE("bad feed URLs are refused") {
        const auto url_error = [](const std::string& url, const std::string& message) {
            check_one_error("[[feed]]\nname = \"x\"\ntype = \"google-trends-rss\"\nurl = \"" + url +
                                "\"\n",
                            4, message);
        };
        SUBCASE("ftp") {
            url_error("ftp://example.com/rss",
                      "feed \"x\": \"ftp://example.com/rss\" is not an http, https or file URL");
        }
        SUBCASE("not a url") {
            url_error("not a url", "\"not a url\" is not an http, https or file URL");
        }
        SUBCASE("http without host") {
            url_error("http://", "feed \"x\": URL \"http://\" has no host");
        }
        SUBCASE("https with an empty authority") {
            // libcurl alone would read this as host "rss".
            url_error("https:///rss", "feed \"x\": URL \"https:///rss\" has no host");
        }
        SUBCASE("empty") {
            url_error("", "feed \"x\": \"\" is not an http, https or file URL");
        }
        SUBCASE("a url that is not a string is reported once") {
            check_one_error("[[feed]]\nname = \"x\"\ntype = \"google-trends-rss\"\nurl = 5\n", 4,
                            "'url' must be a string");
        }
    }

    TEST_CASE("an unknown feed type lists the known ones") {
        check_one_error("[[feed]]\nname = \"gb\"\ntype = \"atom\"\n"
                        "url = \"https://trends.google.com/trending/rss?geo=GB\"\n",
                        3,
                        "feed \"gb\": unknown type \"atom\" (known: google-trends-rss, rss, "
                        "hacker-news, mastodon-trends, wikipedia-top)");
    }

    TEST_CASE("every feed type is a valid type") {
        const auto r = parse(R"([[feed]]
name = "gt-us"
type = "google-trends-rss"
url = "https://trends.google.com/trending/rss?geo=US"

[[feed]]
name = "guardian"
type = "rss"
url = "https://www.theguardian.com/world/rss"

[[feed]]
name = "hn-front"
type = "hacker-news"
url = "https://hn.algolia.com/api/v1/search?tags=front_page"

[[feed]]
name = "mastodon-tags"
type = "mastodon-trends"
url = "https://mastodon.social/api/v1/trends/tags"

[[feed]]
name = "enwiki-top"
type = "wikipedia-top"
url = "https://wikimedia.org/api/rest_v1/metrics/pageviews/top/en.wikipedia/all-access/2026/08/20"
interval = "6h"
)");
        INFO(dump(r.errors));
        CHECK(r.errors.empty());
        REQUIRE(r.config.has_value());
        REQUIRE(r.config->feeds.size() == 5);
        CHECK(r.config->feeds[1].type == "rss");
        CHECK(r.config->feeds[2].type == "hacker-news");
        CHECK(r.config->feeds[3].type == "mastodon-trends");
        CHECK(r.config->feeds[4].type == "wikipedia-top");
        CHECK(r.config->feeds[4].geo.empty());
    }

    TEST_CASE("short intervals are for local URLs only") {
        SUBCASE("30s on a remote URL is an error") {
            check_one_error(with_feed("interval = \"30s\"\n"), 5,
                            "feed \"gb\": interval 30s is under the 1m minimum for remote URLs");
        }
        SUBCASE("59 seconds as an integer is an error") {
            check_one_error(with_feed("interval = 59\n"), 5,
                            "interval 59s is under the 1m minimum");
        }
        SUBCASE("1m on a remote URL is fine") {
            const auto r = parse(with_feed("interval = \"1m\"\n"));
            REQUIRE(r.config.has_value());
            CHECK(r.config->feeds[0].interval == Seconds{60});
        }
        SUBCASE("30s on the loopback is fine") {
            const auto r =
                parse("[[feed]]\nname = \"l\"\ntype = \"google-trends-rss\"\n"
                      "url = \"http://127.0.0.1:8080/rss?geo=US\"\ninterval = \"30s\"\n");
            INFO(dump(r.errors));
            REQUIRE(r.config.has_value());
            CHECK(r.config->feeds[0].interval == Seconds{30});
            CHECK(r.config->feeds[0].geo == "US");
        }
        SUBCASE("1s on a file URL is fine") {
            const auto r = parse("[[feed]]\nname = \"f\"\ntype = \"google-trends-rss\"\n"
                                 "url = \"file:///srv/feeds/us.xml\"\ninterval = \"1s\"\n");
            INFO(dump(r.errors));
            REQUIRE(r.config.has_value());
            CHECK(r.config->feeds[0].interval == Seconds{1});
            CHECK(r.config->feeds[0].geo.empty());
        }
        SUBCASE("0s on a remote URL is one error") {
            check_one_error(with_feed("interval = 0\n"), 5,
                            "feed \"gb\": interval must be at least 1s");
        }
        SUBCASE("0s is an error even locally") {
            check_one_error("[[feed]]\nname = \"f\"\ntype = \"google-trends-rss\"\n"
                            "url = \"file:///srv/feeds/us.xml\"\ninterval = \"0s\"\n",
                            5, "feed \"f\": interval must be at least 1s");
        }
    }

    TEST_CASE("bad durations are reported with their text") {
        check_one_error(with_feed("interval = \"10 minutes\"\n"), 5,
                        "'interval' = \"10 minutes\" is not a duration (use 30s, 10m, 6h, 1d)");
        check_one_error(with_feed("interval = -5\n"), 5, "'interval' must not be negative");
        check_one_error("[[rule]]\nname = \"r\"\nmin_traffic = 1\ncooldown = \"1.5h\"\n", 4,
                        "'cooldown' = \"1.5h\" is not a duration");
        check_one_error("[[rule]]\nname = \"r\"\nmin_traffic = 1\nwindow = \"\"\n", 4,
                        "'window' = \"\" is not a duration");
        check_one_error("[daemon]\nbackoff_max = \"6x\"\n", 2, "'backoff_max' = \"6x\"");
        check_one_error("[daemon]\nconnect_timeout = \"0s\"\n", 2,
                        "'connect_timeout' must be at least 1s");
    }

    TEST_CASE("rule durations and integer seconds are read") {
        const auto r = parse("[[rule]]\nname = \"r\"\nmin_traffic = 1\ncooldown = 3600\n"
                             "resolve_after = \"1h30m\"\nwindow = \"2w\"\n");
        REQUIRE(r.config.has_value());
        CHECK(r.config->rules[0].cooldown == Seconds{3600});
        CHECK(r.config->rules[0].resolve_after == Seconds{5400});
        CHECK(r.config->rules[0].window == Seconds{14 * 86400});
    }

    TEST_CASE("min_traffic takes an integer or a traffic label") {
        for (const auto& [value, want] :
             std::vector<std::pair<std::string, std::int64_t>>{{"20000", 20000},
                                                               {"\"20K+\"", 20000},
                                                               {"\"20,000+\"", 20000},
                                                               {"\"1M+\"", 1000000},
                                                               {"0", 0}}) {
            CAPTURE(value);
            const auto r = parse("[[rule]]\nname = \"r\"\nmin_traffic = " + value + "\n");
            INFO(dump(r.errors));
            REQUIRE(r.config.has_value());
            CHECK(r.config->rules[0].min_traffic == want);
        }
    }

    TEST_CASE("match terms are normalised and re entries kept verbatim") {
        const auto r = parse("[[rule]]\nname = \"r\"\nmin_traffic = 1\n"
                             "match = [\"  OpenAI \", \"Taylor   SWIFT\", \"re:^GPT-\\\\d+$\"]\n");
        INFO(dump(r.errors));
        REQUIRE(r.config.has_value());
        CHECK(r.config->rules[0].match ==
              std::vector<std::string>{"openai", "taylor swift", "re:^GPT-\\d+$"});
        SUBCASE("a single string is one term") {
            const auto one =
                parse("[[rule]]\nname = \"r\"\nmin_traffic = 1\nmatch = \" Ελλάδα \"\n");
            REQUIRE(one.config.has_value());
            CHECK(one.config->rules[0].match == std::vector<std::string>{"ελλάδα"});
        }
    }

    TEST_CASE("a bad regular expression in match is an error") {
        check_one_error(
            "[[rule]]\nname = \"r\"\nmin_traffic = 1\nmatch = [\"ok\", \"re:(unclosed\"]\n", 4,
            "rule \"r\": bad regular expression \"(unclosed\"");
        SUBCASE("on its own line in a multi-line array") {
            check_one_error("[[rule]]\nname = \"r\"\nmin_traffic = 1\nmatch = [\n  \"ok\",\n"
                            "  \"re:[a-\",\n]\n",
                            6, "rule \"r\": bad regular expression \"[a-\"");
        }
    }

    TEST_CASE("regular expressions RE2 cannot run in linear time are refused") {
        check_one_error("[[rule]]\nname = \"r\"\nmin_traffic = 1\nmatch = [\"re:(a)\\\\1\"]\n", 4,
                        "rule \"r\": bad regular expression \"(a)\\1\": invalid escape sequence");
        check_one_error(
            "[[rule]]\nname = \"r\"\nmin_traffic = 1\nmatch = [\"re:fed(?=eral)\"]\n", 4,
            "rule \"r\": bad regular expression \"fed(?=eral)\": invalid perl operator");
        check_one_error(
            "[[rule]]\nname = \"r\"\nmin_traffic = 1\nmatch = [\"re:(a{1000}){1000}\"]\n", 4,
            "invalid repetition size");
        // Nested quantifiers are fine: RE2 never backtracks.
        CHECK(parse("[[rule]]\nname = \"r\"\nmin_traffic = 1\nmatch = [\"re:^(a+)+$\"]\n")
                  .errors.empty());
    }

    TEST_CASE("a rule needs min_traffic or growth") {
        check_one_error("[[rule]]\nname = \"quiet\"\ncooldown = \"1h\"\n", 1,
                        "rule \"quiet\" needs 'min_traffic' or 'growth'");
        CHECK(parse("[[rule]]\nname = \"g\"\ngrowth = 2\n").errors.empty());
        CHECK(parse("[[rule]]\nname = \"m\"\nmin_traffic = 0\n").errors.empty());
    }

    TEST_CASE("a rule needs a plain name") {
        check_one_error("[[rule]]\nmin_traffic = 1\n", 1, "[[rule]] needs a 'name'");
        check_one_error("[[rule]]\nname = \"a/b\"\nmin_traffic = 1\n", 2,
                        "rule name \"a/b\" may only hold letters");
    }

    TEST_CASE("action must be draft or record") {
        check_one_error("[[rule]]\nname = \"r\"\nmin_traffic = 1\naction = \"publish\"\n", 4,
                        "'action' must be \"draft\" or \"record\"");
    }

    TEST_CASE("the API key is refused in the config file") {
        const auto r = parse("[drafter]\nkind = \"openai\"\n[drafter.openai]\n"
                             "base_url = \"https://api.openai.com/v1\"\nmodel = \"m\"\n"
                             "api_key = \"sk-secret-value\"\n");
        INFO(dump(r.errors));
        CHECK_FALSE(r.config.has_value());
        REQUIRE(r.errors.size() == 1);
        CHECK(has_error(r, 6, "the API key never goes in the config file"));
        CHECK(r.errors[0].message.find("sk-secret-value") == std::string::npos);
        SUBCASE("also the webhook secret") {
            check_one_error("[notify]\nwebhook_url = \"https://hooks.example.com/\"\n"
                            "secret = \"s3cr3t\"\n",
                            3, "the webhook secret never goes in the config file");
        }
    }

    TEST_CASE("kind openai needs base_url and model") {
        check_one_error("[drafter]\nkind = \"openai\"\n", 2,
                        "[drafter] kind = \"openai\" needs [drafter.openai] base_url and model");
        check_one_error("[drafter]\nkind = \"openai\"\n[drafter.openai]\n"
                        "base_url = \"https://api.openai.com/v1\"\n",
                        2, "needs [drafter.openai] base_url and model");
        check_one_error("[drafter]\nkind = \"openai\"\n[drafter.openai]\nmodel = \"m\"\n", 2,
                        "needs [drafter.openai] base_url and model");
        check_one_error("[drafter]\nkind = \"gpt\"\n", 2,
                        "[drafter] kind must be \"builtin\" or \"openai\", not \"gpt\"");
        check_one_error("[drafter.openai]\nbase_url = \"ftp://x/\"\n", 2,
                        "\"ftp://x/\" is not an http or https URL");
        check_one_error("[drafter.openai]\nfallback = \"retry\"\n", 2,
                        "'fallback' must be \"builtin\" or \"fail\"");
        check_one_error("[drafter.openai]\ntemperature = 3\n", 2,
                        "'temperature' must be between 0 and 2, not 3");
    }

    TEST_CASE("a TOML syntax error gives its line") {
        const auto r = parse(k_feed + "[[rule]]\nname = \"r\"\nmin_traffic = = 5\n");
        INFO(dump(r.errors));
        CHECK_FALSE(r.config.has_value());
        REQUIRE(r.errors.size() == 1);
        CHECK(r.errors[0].file == k_file);
        CHECK(r.errors[0].line == 7);
        CHECK_FALSE(r.errors[0].message.empty());
        SUBCASE("an unterminated string") {
            const auto u = parse("[daemon]\n\n\ndatabase = \"/x.db\n");
            REQUIRE(u.errors.size() == 1);
            CHECK(u.errors[0].line == 4);
        }
        SUBCASE("a key defined twice") {
            const auto d = parse(with_feed("name = \"again\"\n"));
            REQUIRE(d.errors.size() == 1);
            CHECK(d.errors[0].line == 5);
        }
    }

    TEST_CASE("load reads a file and resolves paths beside it") {
        test::TempDir dir;
        test::write_file(dir / "trendd.toml",
                         k_feed + "[daemon]\ndatabase = \"state/t.db\"\ndrafts_dir = \"out\"\n");
        const auto r = config::load(dir / "trendd.toml");
        INFO(dump(r.errors));
        REQUIRE(r.config.has_value());
        CHECK(r.config->source == dir.path() / "trendd.toml");
        CHECK(r.config->daemon.database == dir.path() / "state" / "t.db");
        CHECK(r.config->daemon.drafts_dir == dir.path() / "out");
        CHECK(r.config->feeds.size() == 1);
    }

    TEST_CASE("load names the file in its errors") {
        test::TempDir dir;
        const fs::path file = dir / "trendd.toml";
        test::write_file(file, "[daemon]\nnope = 1\n");
        const auto r = config::load(file);
        REQUIRE(r.errors.size() == 1);
        CHECK(r.errors[0].str() == file.string() + ":2: unknown key 'nope' in [daemon]");
    }

    TEST_CASE("load on a missing file gives a clear error") {
        test::TempDir dir;
        const fs::path missing = dir / "nope.toml";
        const auto r = config::load(missing);
        CHECK_FALSE(r.config.has_value());
        REQUIRE(r.errors.size() == 1);
        CHECK(r.errors[0].file == missing.string());
        CHECK(r.errors[0].str() ==
              missing.string() + ": cannot read the configuration file: no such file");
    }

    TEST_CASE("load on a directory is an error") {
        test::TempDir dir;
        const auto r = config::load(dir.path());
        CHECK_FALSE(r.config.has_value());
        REQUIRE(r.errors.size() == 1);
        CHECK(r.errors[0].message == "cannot read the configuration file: it is a directory");
    }

    TEST_CASE("is_local_url knows loopback hosts and files") {
        for (const std::string& url :
             {"file:///srv/feeds/us.xml"s, "http://127.0.0.1:8080/rss"s, "http://127.1.2.3/"s,
              "http://localhost/rss"s, "http://LOCALHOST:9000/"s, "http://[::1]:8080/rss"s,
              "https://127.0.0.1/"s}) {
            CAPTURE(url);
            CHECK(config::is_local_url(url));
        }
        for (const std::string& url :
             {"https://trends.google.com/trending/rss?geo=US"s, "http://10.0.0.1/"s,
              "http://128.0.0.1/"s, "http://127.example.com/"s, "http://127.0.0.1.nip.io/"s,
              "http://localhost.example.com/"s, "http://[::2]/"s, "not a url"s, ""s}) {
            CAPTURE(url);
            CHECK_FALSE(config::is_local_url(url));
        }
    }

    TEST_CASE("default_path follows CONFIGURATION_DIRECTORY") {
        {
            EnvGuard env("CONFIGURATION_DIRECTORY", nullptr);
            CHECK(config::default_path() == fs::path("/etc/trendd/trendd.toml"));
        }
        {
            EnvGuard env("CONFIGURATION_DIRECTORY", "/etc/trendd-alt");
            CHECK(config::default_path() == fs::path("/etc/trendd-alt/trendd.toml"));
        }
    }
}
