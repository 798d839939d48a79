// SPDX-License-Identifier: MIT
// extract(): prepare the bytes, parse, read the metadata, find the text, classify.
#include "trend/extract/extract.hpp"

#include "trend/extract/classify.hpp"
#include "trend/extract/content.hpp"
#include "trend/extract/dom.hpp"
#include "trend/extract/metadata.hpp"
#include "trend/extract/source.hpp"
#include "trend/util/text.hpp"

#include <exception>
#include <new>
#include <variant>

namespace trend::extract {

namespace {

using namespace detail;

/** A JSON-LD articleBody counts as complete when it has at least this share of the words
 *  content scoring found (it is often a teaser or the first paragraph only). */
constexpr double k_complete_body = 0.8;
/** A description stands in for a short article's text when it has this many words. */
constexpr std::size_t k_min_description_words = 15;

std::string joined(const std::vector<std::string>& paragraphs) {
    std::string out;
    for (const std::string& p : paragraphs) {
        if (!out.empty())
            out += "\n\n";
        out += p;
    }
    return out;
}

/** articleBody as paragraphs: its own line breaks, or its HTML's blocks when it has tags. */
std::vector<std::string> body_paragraphs(const std::string& body) {
    const std::string plain = body.find('<') != std::string::npos ? html_text(body) : body;
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= plain.size()) {
        const std::size_t nl = plain.find('\n', i);
        std::string p = text::collapse_whitespace(
            plain.substr(i, nl == std::string::npos ? std::string::npos : nl - i));
        if (!p.empty())
            out.push_back(std::move(p));
        if (nl == std::string::npos)
            break;
        i = nl + 1;
    }
    return out;
}

bool ends_truncated(std::string_view body) {
    while (!body.empty() && (body.back() == ' ' || body.back() == '\n'))
        body.remove_suffix(1);
    return body.ends_with("...") || body.ends_with("\xE2\x80\xA6") || body.ends_with("[...]");
}

void set_text(Article& a, std::vector<std::string> paragraphs, Method m) {
    a.paragraphs = std::move(paragraphs);
    a.text = joined(a.paragraphs);
    a.word_count = word_count(a.text);
    a.method = m;
}

Article run(const Input& in) {
    Article a;
    a.url = in.url;
    auto prepared = prepare(in.body, in.content_type);
    if (auto* refusal = std::get_if<Refusal>(&prepared)) {
        a.outcome = refusal->outcome;
        a.reason = std::move(refusal->reason);
        return a;
    }
    Source& source = std::get<Source>(prepared);
    a.charset = source.charset;

    Dom dom(source.html);
    PageMeta meta = read_metadata(dom, in.url);
    a.canonical_url = meta.canonical_url;
    a.title = meta.title;
    a.byline = meta.byline;
    a.site_name = meta.site_name;
    a.lang = meta.lang;
    a.image = meta.image;
    a.description = meta.description;
    a.published_at = meta.published_at;
    a.modified_at = meta.modified_at;

    const Signals signals = survey(dom);
    Content content = grab_content(dom, meta.title);
    if (a.byline.empty())
        a.byline = clean_byline(content.byline);

    std::vector<std::string> paragraphs = std::move(content.paragraphs);
    Method method = Method::readability;
    std::size_t words = word_count(joined(paragraphs));
    std::size_t body_words = 0;
    if (!meta.article_body.empty()) {
        std::vector<std::string> body = body_paragraphs(meta.article_body);
        body_words = word_count(joined(body));
        if (body_words >= k_min_article_words &&
            static_cast<double>(body_words) >= k_complete_body * static_cast<double>(words) &&
            !ends_truncated(meta.article_body)) {
            paragraphs = std::move(body);
            words = body_words;
            method = Method::json_ld;
        }
    }

    if (auto verdict = not_an_article(signals, meta, words, body_words, content.teasers, in.url)) {
        a.outcome = verdict->outcome;
        a.reason = std::move(verdict->reason);
        return a;
    }
    if (words >= k_min_article_words) {
        set_text(a, std::move(paragraphs), method);
        a.outcome = Outcome::article;
        return a;
    }
    const std::size_t description_words = word_count(a.description);
    const bool article_page = meta.json_ld_article || meta.og_type == "article";
    if (article_page && description_words >= k_min_description_words && description_words > words) {
        set_text(a, {a.description}, Method::description);
        a.outcome = Outcome::article;
        return a;
    }
    a.outcome = Outcome::too_short;
    a.reason = "only " + std::to_string(words) + " words of text (an article has at least " +
               std::to_string(k_min_article_words) + ")";
    return a;
}

} // namespace

Article extract(const Input& input) noexcept {
    Article a;
    a.outcome = Outcome::malformed;
    try {
        return run(input);
    } catch (const std::bad_alloc&) {
        a.reason = "out of memory";
    } catch (const std::exception& e) { // a bug: say so rather than take the page down with it
        a.reason = "internal error: ";
        a.reason += e.what();
    } catch (...) {
        a.reason = "internal error";
    }
    return a;
}

std::string_view to_string(Outcome o) noexcept {
    switch (o) {
    case Outcome::article:
        return "article";
    case Outcome::not_html:
        return "not_html";
    case Outcome::consent_wall:
        return "consent_wall";
    case Outcome::paywall:
        return "paywall";
    case Outcome::js_shell:
        return "js_shell";
    case Outcome::video_only:
        return "video_only";
    case Outcome::index_page:
        return "index_page";
    case Outcome::too_short:
        return "too_short";
    case Outcome::malformed:
        return "malformed";
    }
    return "malformed";
}

std::string_view to_string(Method m) noexcept {
    switch (m) {
    case Method::json_ld:
        return "json_ld";
    case Method::readability:
        return "readability";
    case Method::description:
        return "description";
    case Method::none:
        return "none";
    }
    return "none";
}

std::string html_text(std::string_view html) {
    const Dom dom(html);
    std::string out;
    for (const std::string& p : paragraphs_of(dom, dom.body)) {
        if (!out.empty())
            out += '\n';
        out += p;
    }
    return out;
}

} // namespace trend::extract
