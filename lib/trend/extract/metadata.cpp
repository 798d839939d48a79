// SPDX-License-Identifier: MIT
#include "trend/extract/metadata.hpp"

#include "trend/extract/extract.hpp"
#include "trend/util/text.hpp"
#include "trend/util/url.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>

namespace trend::extract::detail {

namespace {

constexpr std::size_t k_max_json_ld_bytes = 1u << 20;

std::string collapse(std::string_view s) {
    return text::collapse_whitespace(text::repair_utf8(s));
}

/** Meta contents are often escaped twice ("&amp;quot;"): gumbo decoded once, this is the
 *  second time, as Readability does. */
std::string meta_text(std::string_view s) {
    std::string once = collapse(s);
    if (once.find('&') == std::string::npos)
        return once;
    return collapse(text::decode_html_entities(once));
}

// ---- JSON-LD ---------------------------------------------------------------------------

using Value = rapidjson::Value;

std::string_view str(const Value& v) {
    return v.IsString() ? std::string_view(v.GetString(), v.GetStringLength()) : std::string_view{};
}

const Value* member(const Value& v, const char* key) {
    if (!v.IsObject())
        return nullptr;
    const auto it = v.FindMember(key);
    return it == v.MemberEnd() ? nullptr : &it->value;
}

std::string_view string_member(const Value& v, const char* key) {
    const Value* m = member(v, key);
    return m != nullptr ? str(*m) : std::string_view{};
}

/** Readability's jsonLdArticleTypes (its regexp matches these names as substrings). */
bool is_article_type(std::string_view t) {
    static constexpr std::array<std::string_view, 19> k_types = {"Article",
                                                                 "AdvertiserContentArticle",
                                                                 "NewsArticle",
                                                                 "AnalysisNewsArticle",
                                                                 "AskPublicNewsArticle",
                                                                 "BackgroundNewsArticle",
                                                                 "OpinionNewsArticle",
                                                                 "ReportageNewsArticle",
                                                                 "ReviewNewsArticle",
                                                                 "Report",
                                                                 "SatiricalArticle",
                                                                 "ScholarlyArticle",
                                                                 "MedicalScholarlyArticle",
                                                                 "SocialMediaPosting",
                                                                 "BlogPosting",
                                                                 "LiveBlogPosting",
                                                                 "DiscussionForumPosting",
                                                                 "TechArticle",
                                                                 "APIReference"};
    return std::find(k_types.begin(), k_types.end(), t) != k_types.end();
}

std::vector<std::string_view> types_of(const Value& v) {
    std::vector<std::string_view> out;
    if (const Value* t = member(v, "@type")) {
        if (t->IsString())
            out.push_back(str(*t));
        else if (t->IsArray())
            for (const Value& e : t->GetArray())
                if (e.IsString())
                    out.push_back(str(e));
    }
    return out;
}

/** The entities of a JSON-LD block: the top object, array elements, @graph members. */
void collect_entities(const Value& v, std::vector<const Value*>& out, int depth = 0) {
    if (depth > 3 || out.size() > 256)
        return;
    if (v.IsArray()) {
        for (const Value& e : v.GetArray())
            collect_entities(e, out, depth + 1);
        return;
    }
    if (!v.IsObject())
        return;
    out.push_back(&v);
    if (const Value* graph = member(v, "@graph"))
        collect_entities(*graph, out, depth + 1);
}

std::string names_of(const Value& v, int depth = 0) {
    if (depth > 3)
        return {};
    if (v.IsString())
        return collapse(str(v));
    if (v.IsObject())
        return collapse(string_member(v, "name"));
    if (!v.IsArray())
        return {};
    std::string out;
    for (const Value& e : v.GetArray()) {
        std::string name = names_of(e, depth + 1);
        if (name.empty() || out.find(name) != std::string::npos)
            continue;
        if (!out.empty())
            out += ", ";
        out += name;
    }
    return out;
}

std::string url_of(const Value& v, int depth = 0) {
    if (depth > 3)
        return {};
    if (v.IsString())
        return std::string(str(v));
    if (v.IsObject()) {
        if (const Value* u = member(v, "url"))
            return url_of(*u, depth + 1);
        return std::string(string_member(v, "@id"));
    }
    if (v.IsArray() && !v.Empty())
        return url_of(v[0], depth + 1);
    return {};
}

std::optional<bool> bool_of(const Value& v) {
    if (v.IsBool())
        return v.GetBool();
    const std::string s = text::ascii_lower(str(v));
    if (s == "true")
        return true;
    if (s == "false")
        return false;
    return std::nullopt;
}

struct JsonLd {
    std::string title, byline, site_name, lang, image, description, url, body;
    std::string published, modified;
    bool article = false;
    std::optional<bool> free_access;
    std::vector<std::string> types;
};

void read_article(const Value& a, JsonLd& out) {
    out.article = true;
    // Readability prefers the name unless the headline is the one that differs from it;
    // news pages set both to the headline, so take the headline first.
    out.title = collapse(string_member(a, "headline"));
    if (out.title.empty())
        out.title = collapse(string_member(a, "name"));
    if (const Value* author = member(a, "author"))
        out.byline = names_of(*author);
    if (out.byline.empty())
        if (const Value* creator = member(a, "creator"))
            out.byline = names_of(*creator);
    if (const Value* publisher = member(a, "publisher"))
        out.site_name = names_of(*publisher);
    if (const Value* lang = member(a, "inLanguage"))
        out.lang = lang->IsString() ? collapse(str(*lang))
                                    : collapse(string_member(*lang, "alternateName"));
    if (const Value* image = member(a, "image"))
        out.image = url_of(*image);
    out.description = collapse(string_member(a, "description"));
    out.url = string_member(a, "url");
    if (out.url.empty())
        if (const Value* main = member(a, "mainEntityOfPage"))
            out.url = url_of(*main);
    out.body = text::repair_utf8(string_member(a, "articleBody"));
    out.published = string_member(a, "datePublished");
    if (out.published.empty())
        out.published = string_member(a, "dateCreated");
    out.modified = string_member(a, "dateModified");
}

std::string strip_cdata(std::string_view s) {
    std::string out(s);
    for (const std::string_view marker : {std::string_view("<![CDATA["), std::string_view("]]>")}) {
        std::size_t at = 0;
        while ((at = out.find(marker, at)) != std::string::npos)
            out.erase(at, marker.size());
    }
    return out;
}

JsonLd read_json_ld(const Dom& dom) {
    JsonLd out;
    for (const std::string_view block : dom.json_ld) {
        if (block.size() > k_max_json_ld_bytes)
            continue;
        rapidjson::Document doc;
        const std::string json = strip_cdata(block);
        // Iterative: a hostile block nested a million deep cannot exhaust the stack.
        doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseCommentsFlag |
                  rapidjson::kParseTrailingCommasFlag | rapidjson::kParseNanAndInfFlag>(
            json.data(), json.size());
        if (doc.HasParseError())
            continue;
        std::vector<const Value*> entities;
        collect_entities(doc, entities);
        for (const Value* e : entities) {
            const auto types = types_of(*e);
            for (const std::string_view t : types)
                out.types.emplace_back(t);
            if (const Value* free = member(*e, "isAccessibleForFree"))
                if (const auto b = bool_of(*free); b && (!out.free_access || !*b))
                    out.free_access = b;
            if (!out.article && std::any_of(types.begin(), types.end(),
                                            [](std::string_view t) { return is_article_type(t); }))
                read_article(*e, out);
        }
    }
    return out;
}

// ---- meta and link ---------------------------------------------------------------------

/** Meta contents by lower-case key: each word of `property`, `name` (dots as colons), and
 *  `itemprop`. The first one of a key wins. */
std::map<std::string, std::string_view> meta_values(const Dom& dom) {
    std::map<std::string, std::string_view> values;
    for (const Meta& m : dom.metas) {
        if (m.content.empty())
            continue;
        std::size_t i = 0;
        const std::string property = text::ascii_lower(m.property);
        while (i < property.size()) {
            const std::size_t sp = property.find(' ', i);
            const std::string key = property.substr(i, sp == std::string::npos ? sp : sp - i);
            if (!key.empty())
                values.emplace(key, m.content);
            // "og:article:author" is read as "article:author" too (Readability matches the
            // known "prefix:name" pairs anywhere in the property).
            if (const std::size_t c1 = key.find(':');
                c1 != std::string::npos && key.find(':', c1 + 1) != std::string::npos)
                values.emplace(key.substr(c1 + 1), m.content);
            if (sp == std::string::npos)
                break;
            i = sp + 1;
        }
        // OpenGraph's article:* are properties; in a name they are not read (Readability).
        if (!m.name.empty() && !text::istarts_with(m.name, "article:")) {
            std::string key = text::ascii_lower(m.name);
            std::replace(key.begin(), key.end(), '.', ':');
            key.erase(std::remove(key.begin(), key.end(), ' '), key.end());
            values.emplace(key, m.content);
        }
        if (!m.itemprop.empty())
            values.emplace("itemprop:" + text::ascii_lower(m.itemprop), m.content);
    }
    return values;
}

template <std::size_t N>
std::string first_meta(const std::map<std::string, std::string_view>& values,
                       const std::array<const char*, N>& keys) {
    for (const char* key : keys)
        if (const auto it = values.find(key); it != values.end()) {
            std::string v = meta_text(it->second);
            if (!v.empty())
                return v;
        }
    return {};
}

bool looks_like_url(std::string_view s) {
    return s.starts_with("http://") || s.starts_with("https://") || s.starts_with("www.") ||
           s.starts_with("/");
}

} // namespace

bool looks_like_date(std::string_view s) {
    // Names do not have four digits; datelines ("Sunday, Feb 1, 2015 11:57 AM") do.
    return std::count_if(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) >= 4;
}

namespace {

std::vector<std::string> heading_texts(const Dom& dom) {
    std::vector<std::string> out;
    for (NodeId n = dom.body; n != k_none && out.size() < 64; n = dom.following(n, dom.body))
        if (dom[n].tag == GUMBO_TAG_H1 || dom[n].tag == GUMBO_TAG_H2)
            out.push_back(dom.text_of(n));
    return out;
}

std::size_t word_count_ws(std::string_view s) {
    std::size_t n = 0;
    bool in_word = false;
    for (const char c : s) {
        const bool space = c == ' ' || c == '\t' || c == '\n';
        if (!space && !in_word)
            ++n;
        in_word = !space;
    }
    return n;
}

std::string normalised(std::string_view s) {
    return text::normalize_term(s);
}

/** og:locale "en_US" -> "en-US". */
std::string locale_to_lang(std::string_view locale) {
    std::string out(locale);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
}

std::optional<Timestamp> first_time(std::initializer_list<std::string_view> candidates) {
    for (const std::string_view c : candidates)
        if (!c.empty())
            if (auto t = parse_page_time(c))
                return t;
    return std::nullopt;
}

/** The datetime of the first <time> marked as the publication (or modification) date, or
 *  of the first <time datetime> of the page when `any`. */
std::string_view time_element(const Dom& dom, std::string_view itemprop, bool any) {
    std::string_view first;
    for (NodeId n = dom.body; n != k_none; n = dom.following(n, dom.body)) {
        if (dom[n].tag != GUMBO_TAG_TIME)
            continue;
        const std::string_view dt = dom.attr(n, "datetime");
        if (dt.empty())
            continue;
        if (dom.attr(n, "itemprop").find(itemprop) != std::string_view::npos ||
            (itemprop == "datePublished" && dom.has_attr(n, "pubdate")))
            return dt;
        if (first.empty())
            first = dt;
    }
    return any ? first : std::string_view{};
}

int digits(std::string_view s, std::size_t at, std::size_t count, bool& ok) {
    int v = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (at + i >= s.size() || s[at + i] < '0' || s[at + i] > '9') {
            ok = false;
            return 0;
        }
        v = v * 10 + (s[at + i] - '0');
    }
    return v;
}

} // namespace

} // namespace trend::extract::detail

namespace trend::extract {

std::optional<Timestamp> parse_page_time(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
        s.remove_suffix(1);
    if (s.size() > 64)
        return std::nullopt;
    bool ok = true;
    const int y = detail::digits(s, 0, 4, ok);
    if (!ok || s.size() < 10 || s[4] != '-' || s[7] != '-')
        return s.empty() ? std::nullopt : parse_rfc822(s);
    const int mo = detail::digits(s, 5, 2, ok);
    const int d = detail::digits(s, 8, 2, ok);
    int h = 0;
    int mi = 0;
    int se = 0;
    int offset = 0; // minutes east of UTC
    std::size_t i = 10;
    if (i < s.size() && (s[i] == 'T' || s[i] == ' ' || s[i] == 't')) {
        h = detail::digits(s, i + 1, 2, ok);
        if (i + 3 >= s.size() || s[i + 3] != ':')
            return std::nullopt;
        mi = detail::digits(s, i + 4, 2, ok);
        i += 6;
        if (i < s.size() && s[i] == ':') {
            se = detail::digits(s, i + 1, 2, ok);
            i += 3;
            if (i < s.size() && (s[i] == '.' || s[i] == ','))
                for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9';)
                    ++i;
        }
        while (i < s.size() && s[i] == ' ')
            ++i;
        if (i < s.size()) {
            const std::string_view zone = s.substr(i);
            if (zone == "Z" || zone == "z" || zone == "UTC" || zone == "GMT") {
                i = s.size();
            } else if (zone[0] == '+' || zone[0] == '-') {
                const int oh = detail::digits(zone, 1, 2, ok);
                int om = 0;
                if (zone.size() == 6 && zone[3] == ':')
                    om = detail::digits(zone, 4, 2, ok);
                else if (zone.size() == 5)
                    om = detail::digits(zone, 3, 2, ok);
                else if (zone.size() != 3)
                    ok = false;
                offset = (oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
                i = s.size();
            }
        }
    }
    if (!ok || i != s.size() || h > 23 || mi > 59 || se > 60)
        return std::nullopt;
    using namespace std::chrono;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                             day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{se} - minutes{offset};
}

} // namespace trend::extract

namespace trend::extract::detail {

std::string strip_site_name(std::string_view title, std::string_view site_name) {
    const std::string site = normalised(site_name);
    if (site.empty())
        return std::string(title);
    static constexpr std::array<std::string_view, 7> k_separators = {
        " - ", " | ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xB7 ", " :: ", " / "};
    const std::string t(title);
    for (const std::string_view sep : k_separators) {
        const std::size_t last = t.rfind(sep);
        if (last != std::string::npos && last > 0 &&
            normalised(t.substr(last + sep.size())) == site)
            return collapse(t.substr(0, last));
        const std::size_t first = t.find(sep);
        if (first != std::string::npos && normalised(t.substr(0, first)) == site &&
            first + sep.size() < t.size())
            return collapse(t.substr(first + sep.size()));
    }
    return std::string(title);
}

std::string title_from_document_title(std::string_view original,
                                      const std::vector<std::string>& headings) {
    const std::string orig = collapse(original);
    std::string cur = orig;
    // " | ", " - ", " – ", " — ", " \ ", " / ", " > ", " » ": drop the last part.
    static constexpr std::array<std::string_view, 8> k_separators = {
        " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \\ ", " / ", " > ", " \xC2\xBB "};
    std::size_t last = std::string::npos;
    std::size_t first = std::string::npos;
    bool hierarchical = false;
    for (const std::string_view sep : k_separators) {
        const std::size_t l = orig.rfind(sep);
        const std::size_t f = orig.find(sep);
        if (l != std::string::npos && (last == std::string::npos || l > last))
            last = l;
        if (f != std::string::npos && (first == std::string::npos || f < first)) {
            first = f;
        }
        if (f != std::string::npos &&
            (sep == " \\ " || sep == " / " || sep == " > " || sep == " \xC2\xBB "))
            hierarchical = true;
    }
    if (last != std::string::npos) {
        cur = orig.substr(0, last);
        if (word_count_ws(cur) < 3) {
            const std::size_t after = orig.find(' ', first + 1);
            cur = after == std::string::npos ? orig : orig.substr(after + 1);
        }
    } else if (orig.find(": ") != std::string::npos) {
        const bool heading_matches =
            std::any_of(headings.begin(), headings.end(),
                        [&](const std::string& h) { return collapse(h) == orig; });
        if (!heading_matches) {
            cur = orig.substr(orig.rfind(':') + 1);
            if (word_count_ws(cur) < 3)
                cur = orig.substr(orig.find(':') + 1);
            else if (word_count_ws(orig.substr(0, orig.find(':'))) > 5)
                cur = orig;
        }
    } else if (text::utf8_length(orig) > 150 || text::utf8_length(orig) < 15) {
        // A very long or short <title>: the page's only h1 says it better.
        std::size_t h1s = 0;
        std::string h1;
        for (const std::string& h : headings)
            if (!h.empty()) {
                ++h1s;
                h1 = h;
            }
        if (h1s == 1)
            cur = h1;
    }
    cur = collapse(cur);
    const std::size_t words = word_count_ws(cur);
    if (words <= 4 && (!hierarchical || words + 1 != word_count_ws(orig) - 1))
        return orig;
    return cur;
}

std::string clean_byline(std::string_view byline) {
    std::string b = collapse(byline);
    for (const std::string_view prefix : {"written by ", "by: ", "by "})
        if (text::istarts_with(b, prefix)) {
            b = collapse(std::string_view(b).substr(prefix.size()));
            break;
        }
    if (looks_like_url(b) || looks_like_date(b))
        return {};
    if (text::utf8_length(b) > 200)
        return {};
    return b;
}

PageMeta read_metadata(const Dom& dom, std::string_view page_url) {
    PageMeta m;
    const JsonLd ld = read_json_ld(dom);
    const auto values = meta_values(dom);
    const auto get = [&](auto... keys) {
        return first_meta(values, std::array<const char*, sizeof...(keys)>{keys...});
    };

    m.json_ld_article = ld.article;
    m.article_body = ld.body;
    m.free_access = ld.free_access;
    m.types = ld.types;
    m.og_type = text::ascii_lower(get("og:type"));

    m.site_name = get("og:site_name");
    if (m.site_name.empty())
        m.site_name = ld.site_name;
    if (m.site_name.empty())
        m.site_name = get("application-name");

    m.title = ld.title;
    if (m.title.empty())
        m.title = get("dc:title", "dcterm:title", "og:title", "weibo:article:title",
                      "weibo:webpage:title", "title", "twitter:title", "parsely-title");
    if (m.title.empty())
        m.title = title_from_document_title(dom.title, heading_texts(dom));
    m.title = strip_site_name(m.title, m.site_name);
    if (!ld.site_name.empty())
        m.title = strip_site_name(m.title, ld.site_name);

    std::string article_author = get("article:author");
    if (looks_like_url(article_author))
        article_author.clear();
    m.byline = ld.byline;
    if (m.byline.empty())
        m.byline = get("dc:creator", "dcterm:creator", "author", "parsely-author",
                       "itemprop:author", "sailthru:author");
    if (m.byline.empty())
        m.byline = article_author;
    m.byline = clean_byline(m.byline);

    m.description = get("og:description", "description", "twitter:description", "dc:description",
                        "dcterm:description");
    if (m.description.empty())
        m.description = ld.description;

    m.lang = collapse(dom.html_lang);
    if (m.lang.empty())
        m.lang = locale_to_lang(get("og:locale"));
    if (m.lang.empty())
        m.lang = ld.lang;
    if (m.lang.size() > 35) // no BCP 47 tag is that long
        m.lang.clear();

    m.published_at =
        first_time({ld.published, get("article:published_time"), get("parsely-pub-date"),
                    get("itemprop:datepublished"), get("og:published_time"), get("dc:date"),
                    get("dcterm:date"), get("date"), get("pubdate"), get("publish-date"),
                    get("sailthru:date")});
    if (!m.published_at)
        m.published_at = first_time({time_element(dom, "datePublished", true)});
    m.modified_at =
        first_time({ld.modified, get("article:modified_time"), get("og:updated_time"),
                    get("itemprop:datemodified"), time_element(dom, "dateModified", false)});

    // Relative URLs resolve against <base href>, itself resolved against the page's URL.
    std::string base(page_url);
    if (!dom.base_href.empty())
        if (auto b = util::resolve_http_url(page_url, dom.base_href))
            base = std::move(*b);
    const auto absolute = [&](std::string_view ref) {
        return util::resolve_http_url(base, collapse(ref)).value_or(std::string{});
    };
    for (const Link& l : dom.links)
        if (m.canonical_url.empty() && text::ascii_lower(collapse(l.rel)) == "canonical")
            m.canonical_url = absolute(l.href);
    if (m.canonical_url.empty())
        m.canonical_url = absolute(get("og:url"));
    if (m.canonical_url.empty())
        m.canonical_url = absolute(ld.url);

    m.image = absolute(get("og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                           "twitter:image:src"));
    if (m.image.empty())
        m.image = absolute(ld.image);
    return m;
}

} // namespace trend::extract::detail
