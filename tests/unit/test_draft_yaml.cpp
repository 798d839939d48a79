// SPDX-License-Identifier: MIT
// yaml::quote and the draft document (front matter, word count), checked against PyYAML.
#include "support.hpp"
#include "trend/draft/article.hpp"
#include "trend/draft/markdown.hpp"
#include "trend/draft/yaml.hpp"

#include <rapidjson/document.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

using namespace trend::draft;
using trend::test::TempDir;
using trend::test::write_file;

namespace {

trend::Timestamp at(int y, unsigned mo, unsigned d, int h, int mi, int s) {
    using namespace std::chrono;
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

// Runs a Python snippet with the file as argv[1] and returns what it prints.
std::string run_python(const std::string& script, const std::filesystem::path& file) {
    const std::string cmd =
        std::string(TRENDD_PYTHON3) + " -c '" + script + "' '" + file.string() + "' 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    REQUIRE(pipe != nullptr);
    std::string out;
    std::array<char, 4096> buf{};
    while (const std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe.get()))
        out.append(buf.data(), n);
    return out;
}

// The front matter of a document as PyYAML reads it (the way Jekyll and Hugo split it: between
// the first two "---" lines), as JSON; timestamps come back as ISO text.
constexpr const char* k_load_front_matter = R"(
import sys, json, yaml, datetime
text = open(sys.argv[1], encoding="utf-8").read()
lines = text.split("\n")
assert lines[0] == "---", "no opening delimiter"
end = lines.index("---", 1)
data = yaml.safe_load("\n".join(lines[1:end]))
iso = lambda o: o.strftime("%Y-%m-%dT%H:%M:%SZ")
print(json.dumps(data, default=iso))
)";

// PyYAML's reading of `value` quoted as the only value of a mapping.
constexpr const char* k_load_value = R"(
import sys, json, yaml
print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding="utf-8").read())["v"]))
)";

rapidjson::Document parse_json(const std::string& json) {
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    REQUIRE_MESSAGE(!doc.HasParseError(), "not JSON: " << json);
    return doc;
}

std::string str(const rapidjson::Value& v) {
    REQUIRE(v.IsString());
    return {v.GetString(), v.GetStringLength()};
}

std::vector<std::string> str_list(const rapidjson::Value& v) {
    REQUIRE(v.IsArray());
    std::vector<std::string> out;
    for (const auto& item : v.GetArray())
        out.push_back(str(item));
    return out;
}

std::vector<std::string> keys(const rapidjson::Value& v) {
    REQUIRE(v.IsObject());
    std::vector<std::string> out;
    for (const auto& m : v.GetObject())
        out.push_back(str(m.name));
    return out;
}

// Strings that YAML would misread unless quoted and escaped with care.
const std::vector<std::string>& hostile_strings() {
    static const std::vector<std::string> k_strings = {
        "She said \"no\": it's over",
        "key: value # not a comment",
        "line one\nline two\r\nline three",
        "---",
        "...\n---\nnext: document",
        "tab\there",
        "back\\slash \\n \\u0041 \\",
        "emoji \U0001F680\U0001F469\u200D\U0001F4BB",
        "CJK 台積電 東京 한국어",
        "RTL \u202Eevil\u202C and Arabic \u0627\u0644\u0639\u0631\u0628\u064A\u0629",
        "separators \u2028 and \u2029",
        "C1 \u0080 \u0085 \u009F and DEL \x7F",
        "BOM \uFEFF non-characters \uFFFE \uFFFF \uFDD0 \U0001FFFE",
        "- leading dash",
        "? question",
        "&anchor",
        "*alias",
        "!tag",
        "%directive",
        "@at",
        "`backtick",
        "|literal",
        ">folded",
        "'single'",
        "{flow: map}",
        "[flow, list]",
        "yes",
        "no",
        "null",
        "~",
        "true",
        "1e3",
        "0x1F",
        "2025-11-03",
        ".inf",
        "",
        "  padded  ",
        "trailing space ",
        "no-break\u00A0space",
    };
    return k_strings;
}

// Front matter strings are YAML-quoted after the HTML policy (markdown::front_matter_text).
std::string plain(const std::string& s) {
    return trend::draft::markdown::front_matter_text(s);
}

std::vector<std::string> plain(const std::vector<std::string>& list) {
    std::vector<std::string> out;
    for (const auto& s : list)
        out.push_back(plain(s));
    return out;
}

FrontMatter hostile_front_matter() {
    const auto& h = hostile_strings();
    FrontMatter fm;
    fm.title = "Nvidia: \"$100B\" deal # explained\n---";
    fm.slug = "nvidia-100b-deal";
    fm.date = at(2025, 11, 3, 18, 21, 16);
    fm.status = "needs_review";
    fm.summary = h[2] + h[9] + h[10];
    fm.tags = h;
    fm.cover =
        Cover{"https://example.com/a.jpg?x=1&y=2#frag", "- alt: \"text\"", "The \u202ETimes"};
    fm.generator = "trendd 0.1.0";
    fm.trend = TrendInfo{"openai: 台積電 \U0001F680", "US",       20000, "20,000+",
                         at(2025, 11, 3, 14, 0, 0),   "buzz-20k", 17};
    for (std::size_t i = 0; i + 2 < h.size(); i += 3)
        fm.sources.push_back(Source{h[i], h[i + 1], h[i + 2]});
    fm.word_count = 1165;
    fm.reading_time_minutes = 6;
    fm.drafter = "openai";
    fm.model = "gpt-4o-mini: \"2024-07-18\"";
    fm.generation_costs = GenerationCosts{1234, 567, 89, 0.0012345678};
    fm.unverified = {"$100B+", "\"we are thrilled\"", "\u2028", "null"};
    return fm;
}

} // namespace

TEST_SUITE("draft") {

    TEST_CASE("yaml quote escapes what a parser would misread") {
        CHECK(yaml::quote("plain") == "\"plain\"");
        CHECK(yaml::quote("") == "\"\"");
        CHECK(yaml::quote("a \"b\" \\c") == R"("a \"b\" \\c")");
        CHECK(yaml::quote("a\nb\tc\rd") == R"("a\nb\tc\rd")");
        CHECK(yaml::quote("\x7F\u0085\u2028\u2029\uFEFF") == R"("\u007F\u0085\u2028\u2029\uFEFF")");
        CHECK(yaml::quote("\uFFFE\uFDD0\U0010FFFF") == R"("\uFFFE\uFDD0\U0010FFFF")");
        CHECK(yaml::quote("台積電 \U0001F680 é") == "\"台積電 \U0001F680 é\"");
    }

    TEST_CASE("yaml quote repairs invalid UTF-8 and drops C0 controls") {
        CHECK(yaml::quote(std::string("a\xff"
                                      "b",
                                      3)) == "\"a\uFFFDb\"");
        CHECK(yaml::quote(std::string("a\0b\x01"
                                      "c",
                                      5)) == "\"abc\"");
    }

    TEST_CASE("yaml quote reads back exactly with PyYAML") {
        TempDir dir;
        for (const std::string& s : hostile_strings()) {
            CAPTURE(s);
            write_file(dir / "v.yaml", "v: " + yaml::quote(s) + "\n");
            const auto doc = parse_json(run_python(k_load_value, dir / "v.yaml"));
            CHECK(str(doc) == s);
        }
    }

    TEST_CASE("front matter follows the documented key order and format") {
        FrontMatter fm;
        fm.title = "OpenAI signs $38B deal";
        fm.slug = "openai";
        fm.date = at(2025, 11, 3, 18, 21, 16);
        fm.summary = "Short.";
        fm.tags = {"openai", "cloud-computing"};
        fm.generator = "trendd 0.1.0";
        fm.trend =
            TrendInfo{"openai", "US", std::nullopt, "", at(2025, 11, 3, 14, 0, 0), "buzz-20k", 17};
        fm.word_count = 12;
        fm.reading_time_minutes = 1;
        fm.drafter = "builtin";
        CHECK(render_front_matter(fm) == R"(---
title: "OpenAI signs $38B deal"
slug: "openai"
date: 2025-11-03T18:21:16Z
status: "draft"
summary: "Short."
tags: ["openai", "cloud-computing"]
generator: "trendd 0.1.0"
trend: {term: "openai", geo: "US", traffic: null, traffic_label: "", first_seen: 2025-11-03T14:00:00Z, rule: "buzz-20k", spike_id: 17}
sources: []
word_count: 12
reading_time: "1 min read"
drafter: "builtin"
unverified: []
---
)");
    }

    TEST_CASE("front matter writes optional keys only when set") {
        FrontMatter fm;
        fm.cover = Cover{"https://x/a.jpg", "alt", "NYT"};
        fm.sources = {Source{"T", "https://x/1", "NYT"}};
        fm.model = "gpt-4o-mini";
        fm.generation_costs = GenerationCosts{100, 20, std::nullopt, 0.5};
        fm.unverified = {"$100B+"};
        const std::string yaml = render_front_matter(fm);
        CHECK(yaml.find("\ncover: {image: \"https://x/a.jpg\", alt: \"alt\", credit: \"NYT\"}\n") !=
              std::string::npos);
        CHECK(
            yaml.find("\nsources:\n  - {title: \"T\", url: \"https://x/1\", source: \"NYT\"}\n") !=
            std::string::npos);
        CHECK(yaml.find("\nmodel: \"gpt-4o-mini\"\n") != std::string::npos);
        CHECK(yaml.find("\ngeneration_costs: {prompt_tokens: 100, completion_tokens: 20, usd: "
                        "0.500000}\n") != std::string::npos);
        CHECK(yaml.find("\nunverified: [\"$100B+\"]\n") != std::string::npos);
    }

    TEST_CASE("front matter with hostile strings round-trips through PyYAML") {
        const FrontMatter fm = hostile_front_matter();
        const std::string body = "# Title\n\n---\n\nBody with `---` and key: value.\n";
        const std::string document = render_document(fm, body);
        CHECK(document.ends_with("---\n\n" + body));

        TempDir dir;
        write_file(dir / "draft.md", document);
        const auto doc = parse_json(run_python(k_load_front_matter, dir / "draft.md"));
        REQUIRE(doc.IsObject());
        CHECK(keys(doc) == std::vector<std::string>{
                               "title", "slug", "date", "status", "summary", "tags", "cover",
                               "generator", "trend", "sources", "word_count", "reading_time",
                               "drafter", "model", "generation_costs", "unverified"});
        CHECK(str(doc["title"]) == plain(fm.title));
        CHECK(str(doc["slug"]) == fm.slug);
        CHECK(str(doc["date"]) == "2025-11-03T18:21:16Z");
        CHECK(str(doc["status"]) == fm.status);
        CHECK(str(doc["summary"]) == plain(fm.summary));
        CHECK(str_list(doc["tags"]) == plain(fm.tags));
        CHECK(str(doc["cover"]["image"]) == fm.cover->image);
        CHECK(str(doc["cover"]["alt"]) == plain(fm.cover->alt));
        CHECK(str(doc["cover"]["credit"]) == plain(fm.cover->credit));
        CHECK(str(doc["generator"]) == fm.generator);

        const auto& trend = doc["trend"];
        CHECK(keys(trend) == std::vector<std::string>{"term", "geo", "traffic", "traffic_label",
                                                      "first_seen", "rule", "spike_id"});
        CHECK(str(trend["term"]) == plain(fm.trend.term));
        CHECK(str(trend["geo"]) == fm.trend.geo);
        CHECK(trend["traffic"].GetInt64() == 20000);
        CHECK(str(trend["traffic_label"]) == fm.trend.traffic_label);
        CHECK(str(trend["first_seen"]) == "2025-11-03T14:00:00Z");
        CHECK(str(trend["rule"]) == fm.trend.rule);
        CHECK(trend["spike_id"].GetInt64() == 17);

        REQUIRE(doc["sources"].IsArray());
        REQUIRE(doc["sources"].Size() == fm.sources.size());
        for (rapidjson::SizeType i = 0; i < doc["sources"].Size(); ++i) {
            const auto& s = doc["sources"][i];
            CHECK(str(s["title"]) == plain(fm.sources[i].title));
            CHECK(str(s["url"]) == trend::draft::markdown::url(fm.sources[i].url).value_or(""));
            CHECK(str(s["source"]) == plain(fm.sources[i].source));
        }
        CHECK(doc["word_count"].GetUint64() == 1165);
        CHECK(str(doc["reading_time"]) == "6 min read");
        CHECK(str(doc["drafter"]) == fm.drafter);
        CHECK(str(doc["model"]) == plain(*fm.model));
        const auto& costs = doc["generation_costs"];
        CHECK(costs["prompt_tokens"].GetInt64() == 1234);
        CHECK(costs["completion_tokens"].GetInt64() == 567);
        CHECK(costs["cached_tokens"].GetInt64() == 89);
        CHECK(costs["usd"].GetDouble() == doctest::Approx(0.001235).epsilon(1e-12));
        CHECK(str_list(doc["unverified"]) == plain(fm.unverified));
    }

    TEST_CASE("front matter strings cannot open a tag and its URLs are web links") {
        FrontMatter fm;
        fm.title = "Why <script>alert(1)</script> is trending";
        fm.summary = "<img src=x onerror=alert(1)>";
        fm.tags = {"<b>"};
        fm.cover = Cover{"javascript:alert(1)", "alt", "credit"};
        fm.sources = {Source{"<i>T</i>", "https://x.example/a)[e](javascript:alert(7)", "S"},
                      Source{"U", "data:text/html,x", "S"}};
        const std::string yaml = render_front_matter(fm);
        CHECK(yaml.find('<') == std::string::npos);
        CHECK(yaml.find('>') == std::string::npos);
        CHECK(yaml.find("title: \"Why ‹script›alert(1)‹/script› is trending\"\n") !=
              std::string::npos);
        CHECK(yaml.find("cover:") == std::string::npos); // no picture but a web one
        // Still one https URL: the parentheses that would end a Markdown link are encoded.
        CHECK(yaml.find("url: \"https://x.example/a%29[e]%28javascript:alert%287%29\"") !=
              std::string::npos);
        CHECK(yaml.find("{title: \"U\", url: \"\", source: \"S\"}") != std::string::npos);
    }

    TEST_CASE("front matter without optional keys reads back with nulls and empty lists") {
        FrontMatter fm;
        fm.title = "t";
        TempDir dir;
        write_file(dir / "draft.md", render_document(fm, ""));
        const auto doc = parse_json(run_python(k_load_front_matter, dir / "draft.md"));
        CHECK_FALSE(doc.HasMember("cover"));
        CHECK_FALSE(doc.HasMember("model"));
        CHECK_FALSE(doc.HasMember("generation_costs"));
        CHECK(doc["trend"]["traffic"].IsNull());
        CHECK(doc["sources"].IsArray());
        CHECK(doc["sources"].Empty());
        CHECK(doc["tags"].Empty());
        CHECK(doc["unverified"].Empty());
    }

    TEST_CASE("count_words counts prose words but not Markdown or link targets") {
        CHECK(count_words("") == 0);
        CHECK(count_words("Hello, world!") == 2);
        CHECK(count_words("## Key takeaways\n\n- **OpenAI** signs a deal.") == 6);
        CHECK(count_words("[the deal](https://example.com/a/b?c=1) was big") == 4);
        CHECK(count_words("see https://example.com/one/two/three now") == 2);
        CHECK(count_words("don't stop: 20,000 people, 3.5 hours") == 6);
        CHECK(count_words("台積電 rose") == 4);
        CHECK(count_words("東京タワー") == 5);
        CHECK(count_words("한국어 뉴스") == 5);
        CHECK(count_words("Ação é já — ok \U0001F680 !") == 4);
    }

    TEST_CASE("reading_time_minutes rounds up at 200 words a minute") {
        CHECK(reading_time_minutes(0) == 1);
        CHECK(reading_time_minutes(1) == 1);
        CHECK(reading_time_minutes(200) == 1);
        CHECK(reading_time_minutes(201) == 2);
        CHECK(reading_time_minutes(1165) == 6);
    }

} // TEST_SUITE("draft")
