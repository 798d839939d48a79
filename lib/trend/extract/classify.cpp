// SPDX-License-Identifier: MIT
#include "trend/extract/classify.hpp"

#include "trend/util/url.hpp"

#include <algorithm>
#include <array>

namespace trend::extract::detail {

namespace {

constexpr std::size_t k_text_sample = 64u << 10;
constexpr std::size_t k_short_words = 150;

bool has_any(std::string_view text, std::initializer_list<std::string_view> phrases) {
    return std::any_of(phrases.begin(), phrases.end(),
                       [&](std::string_view p) { return text.find(p) != std::string_view::npos; });
}

std::size_t count_of(std::string_view text, std::initializer_list<std::string_view> phrases) {
    return static_cast<std::size_t>(
        std::count_if(phrases.begin(), phrases.end(),
                      [&](std::string_view p) { return text.find(p) != std::string_view::npos; }));
}

/** Appends `s` in ASCII lower case with white space runs as one space, up to the sample's
 *  size. */
void append_lower(std::string& out, std::string_view s) {
    const std::size_t room = k_text_sample > out.size() ? k_text_sample - out.size() : 0;
    if (room == 0)
        return;
    const std::size_t begin = out.size();
    out.resize(begin + std::min(room, s.size()));
    char* w = out.data() + begin;
    char* const end = out.data() + out.size();
    bool space = begin > 0 && out[begin - 1] == ' ';
    for (std::size_t i = 0; i < s.size() && w < end; ++i) {
        char c = s[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
            if (space)
                continue;
            c = ' ';
            space = true;
        } else {
            space = false;
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        }
        *w++ = c;
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
}

std::size_t text_length(const Dom& dom, NodeId root) {
    std::size_t n = 0;
    for (NodeId x = root; x != k_none; x = dom.following(x, root))
        if (dom[x].is_text())
            n += dom[x].length;
    return n;
}

bool is_video_src(std::string_view src) {
    return has_any(src, {"youtube.com/embed", "youtube-nocookie.com", "player.vimeo.com",
                         "dailymotion.com/embed", "jwplayer", "brightcove"});
}

bool is_type(const PageMeta& meta, std::initializer_list<std::string_view> names) {
    return std::any_of(meta.types.begin(), meta.types.end(), [&](const std::string& t) {
        return std::find(names.begin(), names.end(), t) != names.end();
    });
}

/** The path of an absolute URL ("/a/b" of "https://x.org/a/b?q"), "" when it has none. */
std::string_view url_path(std::string_view url) {
    const std::size_t scheme = url.find("://");
    if (scheme == std::string_view::npos)
        return {};
    const std::size_t slash = url.find_first_of("/?#", scheme + 3);
    if (slash == std::string_view::npos || url[slash] != '/')
        return {};
    const std::size_t end = url.find_first_of("?#", slash);
    return url.substr(slash, end == std::string_view::npos ? end : end - slash);
}

std::string words_text(std::size_t words) {
    return std::to_string(words) + (words == 1 ? " word" : " words");
}

} // namespace

Signals survey(const Dom& dom) {
    Signals s;
    s.scripts = dom.scripts;
    for (NodeId n = dom.body; n != k_none; n = dom.following(n, dom.body)) {
        const Node& node = dom[n];
        if (node.is_text()) {
            s.text_length += node.length;
            append_lower(s.text, node.text);
            if (node.length > 0 && !(node.trailing_space))
                append_lower(s.text, " ");
            continue;
        }
        switch (node.tag) {
        case GUMBO_TAG_A:
            s.link_length += text_length(dom, n);
            break;
        case GUMBO_TAG_ARTICLE:
            ++s.articles;
            break;
        case GUMBO_TAG_VIDEO:
            ++s.videos;
            break;
        case GUMBO_TAG_IFRAME:
            if (is_video_src(dom.attr(n, "src")))
                ++s.videos;
            break;
        default:
            break;
        }
        if ((node.hints & hint::paywall) && text_length(dom, n) > 20)
            s.paywall_element = true;
        if ((node.hints & hint::consent) && text_length(dom, n) > 40)
            s.consent_element = true;
        if (node.tag == GUMBO_TAG_DIV && node.first == k_none) {
            const std::string_view id = dom.attr(n, "id");
            if (id == "root" || id == "app" || id == "__next" || id == "__nuxt")
                s.empty_app_root = true;
        }
    }
    for (const NodeId n : dom.noscripts) {
        append_lower(s.text, " ");
        append_lower(s.text, dom.text_of(n));
    }
    return s;
}

std::optional<Verdict> not_an_article(const Signals& s, const PageMeta& meta, std::size_t words,
                                      std::size_t body_words, std::size_t teasers,
                                      std::string_view url) {
    const bool article_metadata = meta.json_ld_article || meta.og_type == "article";
    const std::string host = util::url_host(url);

    // Consent walls served from a consent host, whatever the page looks like.
    if (host.starts_with("consent.") || host.starts_with("guce.") ||
        host.find(".consent.") != std::string::npos)
        return Verdict{Outcome::consent_wall,
                       "the page is served by a consent host (" + host + ")"};

    // What the page says it is.
    if (!meta.json_ld_article && is_type(meta, {"CollectionPage", "ItemList", "SearchResultsPage"}))
        return Verdict{Outcome::index_page, "JSON-LD describes a collection page, not an article"};
    const bool truncated = body_words > 0 && body_words * 2 > words * 3;
    if (meta.free_access == false && (words < k_short_words || truncated))
        return Verdict{Outcome::paywall, "JSON-LD isAccessibleForFree is false and only " +
                                             words_text(words) + " are on the page"};

    // Consent walls: little text, and that text about cookies and consent.
    const std::size_t consent_phrases =
        count_of(s.text, {"cookie", "consent", "privacy", "accept all", "agree", "personal data",
                          "partners", "manage preferences", "your choices", "legitimate interest",
                          "datenschutz", "zustimm", "akzeptieren", "accepter", "aceptar", "gdpr",
                          "personalised", "personalized"});
    if (words < k_short_words &&
        (consent_phrases >= 3 || (s.consent_element && consent_phrases >= 2)))
        return Verdict{Outcome::consent_wall,
                       "consent wording (" + std::to_string(consent_phrases) +
                           " phrases) and only " + words_text(words) + " of text"};

    // Index pages: a home page, or teasers, and nothing saying "article".
    if (!article_metadata) {
        const std::string_view path = url_path(url);
        if (!host.empty() && (path.empty() || path == "/") && words < 2000)
            return Verdict{Outcome::index_page, "the URL is a site's home page"};
        if (teasers >= 5)
            return Verdict{Outcome::index_page, std::to_string(teasers) +
                                                    " teaser links in the content and no article "
                                                    "metadata"};
        if (s.articles >= 6)
            return Verdict{Outcome::index_page, std::to_string(s.articles) +
                                                    " <article> elements and no article metadata"};
    }

    // Video pages.
    const bool video_type = meta.og_type.starts_with("video") ||
                            (!meta.json_ld_article && is_type(meta, {"VideoObject"}));
    if (video_type && words < k_short_words)
        return Verdict{Outcome::video_only, "a video page with " + words_text(words) + " of text"};
    if (s.videos > 0 && !article_metadata && words < k_min_article_words)
        return Verdict{Outcome::video_only, "a video player and " + words_text(words) + " of text"};

    // Paywalls the markup or the wording gives away.
    const bool paywall_words =
        has_any(s.text, {"subscribe to continue", "subscribe to read", "subscribers only",
                         "subscriber-only", "for subscribers", "already a subscriber",
                         "to continue reading", "sign in to read", "subscribe now to"});
    if ((s.paywall_element || paywall_words) && words < k_short_words)
        return Verdict{Outcome::paywall,
                       std::string(s.paywall_element ? "paywall markup" : "subscription wording") +
                           " and only " + words_text(words) + " of text"};

    // Pages that need JavaScript.
    if (words < k_min_article_words) {
        if (has_any(s.text,
                    {"enable javascript", "javascript is disabled", "javascript is required",
                     "requires javascript", "turn on javascript", "javascript must be enabled",
                     "activate javascript", "javascript to run this app", "please enable js",
                     "support javascript", "javascript aktivieren", "activer javascript",
                     "activez javascript", "habilitar javascript", "habilite javascript"}))
            return Verdict{Outcome::js_shell, "the page asks to enable JavaScript and has " +
                                                  words_text(words) + " of text"};
        if (s.empty_app_root && s.scripts > 0)
            return Verdict{Outcome::js_shell, "an empty application root, " +
                                                  std::to_string(s.scripts) + " scripts and " +
                                                  words_text(words) + " of text"};
        if (s.scripts > 0 && s.text_length < 200)
            return Verdict{Outcome::js_shell, std::to_string(s.scripts) + " scripts and " +
                                                  std::to_string(s.text_length) +
                                                  " characters of text"};
    }
    return std::nullopt;
}

} // namespace trend::extract::detail
