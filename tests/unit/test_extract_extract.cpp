// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/extract/extract.hpp"
#include "trend/util/text.hpp"

#include <chrono>
#include <string>

using namespace trend;
using namespace trend::extract;

namespace {

/** A paragraph of ordinary news prose, `n` of them numbered apart. */
std::string prose(int n) {
    return "Officials said on Tuesday that the council, after a long debate, approved paragraph " +
           std::to_string(n) +
           " of the plan, which covers housing, transport and the budget for the coming year, "
           "and residents will be able to comment until the end of the month.";
}

/** A news page: head, navigation, the article with `paragraphs` paragraphs, a footer. */
std::string page(int paragraphs, const std::string& head = "", const std::string& before = "",
                 const std::string& after = "") {
    std::string body;
    for (int i = 0; i < paragraphs; ++i)
        body += "<p>" + prose(i) + "</p>\n";
    return "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
           "<title>Council approves the plan | Example News</title>"
           "<meta property=\"og:site_name\" content=\"Example News\">" +
           head +
           "</head><body><nav><a href=\"/\">Home</a> <a href=\"/politics\">Politics</a></nav>" +
           before + "<article><h1>Council approves the plan</h1>" + body + "</article>" + after +
           "<footer>Copyright Example News. All rights reserved.</footer></body></html>";
}

Article run(const std::string& body, const std::string& content_type = "text/html",
            const std::string& url = "https://news.example.org/2026/05/council-plan") {
    return extract::extract({body, url, content_type});
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

TEST_SUITE("extract.extract") {

    TEST_CASE("an ordinary article: text without navigation and footer, and its metadata") {
        const Article a =
            run(page(6, "<meta name=\"author\" content=\"By Jane Doe\">"
                        "<meta property=\"article:published_time\" "
                        "content=\"2026-05-04T09:30:00+02:00\">"
                        "<link rel=\"canonical\" href=\"/2026/05/council-plan?ref=x\">"
                        "<meta property=\"og:image\" content=\"//cdn.example.org/a.jpg\">"
                        "<meta name=\"description\" content=\"The council said yes.\">"));
        CHECK(a.outcome == Outcome::article);
        CHECK(a.reason.empty());
        CHECK(a.method == Method::readability);
        REQUIRE(a.paragraphs.size() == 6);
        CHECK(a.paragraphs[0] == prose(0));
        CHECK(a.text.find("Copyright") == std::string::npos);
        CHECK(a.text.find("Politics") == std::string::npos);
        CHECK(a.text.find("\n\n") != std::string::npos);
        CHECK(a.word_count == word_count(a.text));
        CHECK(a.title == "Council approves the plan");
        CHECK(a.byline == "Jane Doe");
        CHECK(a.site_name == "Example News");
        CHECK(a.lang == "en-GB");
        CHECK(a.description == "The council said yes.");
        REQUIRE(a.published_at);
        CHECK(format_iso(*a.published_at) == "2026-05-04T07:30:00Z");
        CHECK(a.canonical_url == "https://news.example.org/2026/05/council-plan?ref=x");
        CHECK(a.image == "https://cdn.example.org/a.jpg");
        CHECK(a.charset == "utf-8");
    }

    TEST_CASE("share widgets, related lists, captions, bylines and comments are not text") {
        const std::string before = "<div class=\"byline\">By Jane Doe</div>";
        const std::string after =
            "<div class=\"related-stories\"><h3><a href=\"/a\">Another story about things</a></h3>"
            "<h3><a href=\"/b\">Yet another story about other things</a></h3></div>"
            "<div id=\"comments\"><p>" +
            prose(100) + "</p></div>";
        std::string body = page(5, "", before, after);
        const std::string figure =
            "<figure><img src=\"x.jpg\"><figcaption>A caption, with words, "
            "that describe the photograph of the council.</figcaption></figure>"
            "<div class=\"share-buttons\"><a href=\"#\">Share on X</a></div>";
        body.insert(body.find("<p>"), figure);
        const Article a = run(body);
        REQUIRE(a.outcome == Outcome::article);
        CHECK(a.byline == "Jane Doe");
        CHECK(a.paragraphs.size() == 5);
        for (const char* junk :
             {"caption", "Share on", "Another story", "paragraph 100", "By Jane"})
            CHECK_MESSAGE(a.text.find(junk) == std::string::npos, junk);
    }

    TEST_CASE("JSON-LD gives metadata, and its articleBody when it is complete") {
        std::string body_text;
        for (int i = 0; i < 6; ++i)
            body_text += prose(i) + "\\n\\n";
        const std::string ld =
            "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
            "\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"Example\"},"
            "{\"@type\":[\"NewsArticle\"],\"headline\":\"The real headline\","
            "\"author\":[{\"@type\":\"Person\",\"name\":\"Ann One\"},{\"name\":\"Bob Two\"}],"
            "\"datePublished\":\"2026-05-01T08:00:00Z\",\"dateModified\":\"2026-05-02T08:00:00Z\","
            "\"inLanguage\":\"en\",\"publisher\":{\"name\":\"Example Publisher\"},"
            "\"image\":[{\"url\":\"https://img.example.org/1.jpg\"}],"
            "\"articleBody\":\"" +
            body_text + "\"}]}</script>";
        const Article a = run(page(6, ld));
        CHECK(a.outcome == Outcome::article);
        CHECK(a.method == Method::json_ld);
        CHECK(a.paragraphs.size() == 6);
        CHECK(a.title == "The real headline");
        CHECK(a.byline == "Ann One, Bob Two");
        REQUIRE(a.modified_at);
        CHECK(format_iso(*a.modified_at) == "2026-05-02T08:00:00Z");
        CHECK(format_iso(*a.published_at) == "2026-05-01T08:00:00Z");
        CHECK(a.image == "https://img.example.org/1.jpg");
        CHECK(a.site_name == "Example News"); // og:site_name first
    }

    TEST_CASE("a truncated JSON-LD articleBody is not used") {
        const std::string ld =
            "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
            "\"@type\":\"NewsArticle\",\"headline\":\"Council approves the plan\","
            "\"articleBody\":\"" +
            prose(0) + " " + prose(1) + "\"}</script>";
        const Article a = run(page(8, ld));
        CHECK(a.outcome == Outcome::article);
        CHECK(a.method == Method::readability);
        CHECK(a.paragraphs.size() == 8);
    }

    TEST_CASE("malformed JSON-LD, even nested a million deep, is ignored") {
        const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
        const Article a =
            run(page(4, "<script type=\"application/ld+json\">" + deep +
                            "</script><script type=\"application/ld+json\">{\"@type\":"
                            "\"NewsArticle\",</script>"));
        CHECK(a.outcome == Outcome::article);
        CHECK(a.title == "Council approves the plan");
    }

    TEST_CASE("the title loses a site-name suffix, and falls back to the h1") {
        CHECK(run(page(5)).title == "Council approves the plan");
        const Article a =
            run("<html><head><title>Home</title></head><body><h1>A headline of the "
                "day</h1>" +
                std::string("<p>") + prose(1) + "</p><p>" + prose(2) + "</p></body></html>");
        CHECK(a.title == "A headline of the day");
    }

    TEST_CASE("lang comes from og:locale when <html> has none") {
        const Article a =
            run("<html><head><meta property=\"og:locale\" content=\"pt_BR\"></head><body><p>" +
                prose(1) + "</p><p>" + prose(2) + "</p></body></html>");
        CHECK(a.lang == "pt-BR");
    }

    TEST_CASE("a <time datetime> gives the date when the metadata has none") {
        std::string body = page(5);
        body.insert(body.find("<p>"), "<time datetime=\"2026-01-02T03:04:05Z\">2 January</time>");
        const Article a = run(body);
        REQUIRE(a.published_at);
        CHECK(format_iso(*a.published_at) == "2026-01-02T03:04:05Z");
    }

    TEST_CASE("a short article page offers its description, other short pages are too short") {
        const std::string description =
            "The council approved the housing plan on Tuesday after a long debate, and residents "
            "can comment on it until the end of the month, officials said.";
        const Article a =
            run("<html><head><meta property=\"og:type\" content=\"article\">"
                "<meta property=\"og:description\" content=\"" +
                description +
                "\"></head><body><p>Breaking: the council approved the plan.</p></body></html>");
        CHECK(a.outcome == Outcome::article);
        CHECK(a.method == Method::description);
        CHECK(a.text == description);

        const Article b =
            run("<html><body><p>Breaking: the council approved the plan.</p></body></html>");
        CHECK(b.outcome == Outcome::too_short);
        CHECK(b.reason.find("words") != std::string::npos);
        CHECK(b.text.empty());
        CHECK(b.paragraphs.empty());
        CHECK(b.method == Method::none);
    }

    TEST_CASE("a consent wall is not an article") {
        const std::string body =
            "<html><head><title>Before you continue</title></head><body><div "
            "class=\"consent-banner\">"
            "<h1>We value your privacy</h1><p>We and our partners use cookies and similar "
            "technologies to store and access personal data on your device, for personalised ads "
            "and content, ad and content measurement.</p><p>You can accept all, or manage "
            "preferences and your choices at any time, including objecting to legitimate interest."
            "</p><button>Accept all</button><button>Manage "
            "preferences</button></div></body></html>";
        const Article a = run(body);
        CHECK(a.outcome == Outcome::consent_wall);
        CHECK(a.reason.find("consent") != std::string::npos);
        CHECK(a.text.empty());
        CHECK(run(page(6), "text/html", "https://consent.example.org/?continue=x").outcome ==
              Outcome::consent_wall);
    }

    TEST_CASE("a paywall is not an article, a free article behind the same flag is") {
        const std::string ld =
            "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
            "\"@type\":\"NewsArticle\",\"headline\":\"H\",\"isAccessibleForFree\":"
            "\"False\",\"hasPart\":{\"@type\":\"WebPageElement\","
            "\"isAccessibleForFree\":false,\"cssSelector\":\".paywall\"}}</script>";
        const Article a = run(page(1, ld, "",
                                   "<div class=\"paywall\"><p>Subscribe to continue "
                                   "reading this article.</p></div>"));
        CHECK(a.outcome == Outcome::paywall);
        CHECK(a.reason.find("isAccessibleForFree") != std::string::npos);
        CHECK(a.text.empty());
        CHECK(a.title == "H"); // metadata still there

        const Article b = run(page(12, ld));
        CHECK(b.outcome == Outcome::article);
    }

    TEST_CASE("a JavaScript shell is not an article") {
        const Article a =
            run("<!doctype html><html><head><title>App</title><script src=\"/app.js\"></script>"
                "</head><body><noscript>You need to enable JavaScript to run this app.</noscript>"
                "<div id=\"root\"></div></body></html>");
        CHECK(a.outcome == Outcome::js_shell);
        CHECK(a.reason.find("JavaScript") != std::string::npos);
        const Article b = run("<html><head><script>boot()</script></head><body><div id=\"app\">"
                              "</div><script src=\"/bundle.js\"></script></body></html>");
        CHECK(b.outcome == Outcome::js_shell);
    }

    TEST_CASE("a video page with little text is video_only") {
        const Article a =
            run("<html><head><meta property=\"og:type\" content=\"video.other\">"
                "<title>Watch: the council vote</title></head><body><video src=\"v.mp4\">"
                "</video><p>The council voted on Tuesday.</p></body></html>");
        CHECK(a.outcome == Outcome::video_only);
        CHECK(a.title == "Watch: the council vote");
    }

    TEST_CASE("a home page and a page of teasers are index pages") {
        std::string teasers;
        for (int i = 0; i < 8; ++i)
            teasers += "<div class=\"story\"><h2><a href=\"/s" + std::to_string(i) +
                       "\">A story headline number " + std::to_string(i) + "</a></h2><p>" +
                       prose(i) + "</p></div>";
        const std::string front = "<html><head><title>Example News</title></head><body><main>" +
                                  teasers + "</main></body></html>";
        const Article a = run(front, "text/html", "https://news.example.org/section/politics");
        CHECK(a.outcome == Outcome::index_page);
        CHECK(a.reason.find("teaser") != std::string::npos);
        CHECK(run(front, "text/html", "https://news.example.org/").outcome == Outcome::index_page);
        const Article collection = run(page(6, "<script type=\"application/ld+json\">{\"@context\":"
                                               "\"http://schema.org\",\"@type\":\"CollectionPage\"}"
                                               "</script>"));
        CHECK(collection.outcome == Outcome::index_page);
    }

    TEST_CASE("bodies that are not HTML are refused with their kind") {
        CHECK(run("%PDF-1.7\n...", "application/pdf").outcome == Outcome::not_html);
        CHECK(run("%PDF-1.7\n...", "application/pdf").reason ==
              "Content-Type application/pdf is not HTML");
        CHECK(run("%PDF-1.7\n%\xE2\xE3\xCF\xD3", "text/html").reason ==
              "the body is a PDF document");
        CHECK(run("{\"a\": 1}", "").reason == "the body is JSON");
        CHECK(run(std::string("\x89PNG\r\n\x1A\n\0\0", 10), "").outcome == Outcome::not_html);
        CHECK(run("<?xml version=\"1.0\"?><rss><channel/></rss>", "application/xml").outcome ==
              Outcome::not_html);
        CHECK(run("just some words", "text/plain").outcome == Outcome::not_html);
        CHECK(run(page(6), "text/plain").outcome == Outcome::article); // mislabelled HTML
        CHECK(run(page(6), "").outcome == Outcome::article);
    }

    TEST_CASE("an empty body and a body over 5 MiB are malformed") {
        CHECK(run("").outcome == Outcome::malformed);
        CHECK(run("").reason == "the body is empty");
        const Article a = run(std::string(k_max_body_bytes + 1, 'a'));
        CHECK(a.outcome == Outcome::malformed);
        CHECK(a.reason == "the body is larger than 5 MiB");
    }

    TEST_CASE("100,000 nested divs are refused quickly") {
        std::string deep;
        for (int i = 0; i < 100'000; ++i)
            deep += "<div>";
        deep += prose(1);
        const auto t0 = std::chrono::steady_clock::now();
        const Article a = run(deep);
        CHECK(seconds_since(t0) < 2.0);
        CHECK(a.outcome == Outcome::malformed);
        CHECK(a.reason == "the page nests elements deeper than 512 levels");
    }

    TEST_CASE("deep nesting of formatting elements is refused too") {
        std::string deep;
        for (int i = 0; i < 20'000; ++i)
            deep += "<b><i><a>x";
        const auto t0 = std::chrono::steady_clock::now();
        CHECK(run(deep).outcome == Outcome::malformed);
        CHECK(seconds_since(t0) < 2.0);
    }

    TEST_CASE("5 MB of <p> is refused by the element cap, 5 MB of paragraphs is read") {
        std::string ps;
        ps.reserve(5'000'000);
        while (ps.size() + 3 <= 5'000'000)
            ps += "<p>";
        auto t0 = std::chrono::steady_clock::now();
        const Article a = run(ps);
        CHECK(seconds_since(t0) < 2.0);
        CHECK(a.outcome == Outcome::malformed);
        CHECK(a.reason == "the page has more than 100000 elements");

        std::string text = "<html><body><article>";
        int n = 0;
        while (text.size() < 5'000'000 - 400)
            text += "<p>" + prose(n++) + "</p>";
        text += "</article></body></html>";
        t0 = std::chrono::steady_clock::now();
        const Article b = run(text);
        CHECK(seconds_since(t0) < 10.0);
        CHECK(b.outcome == Outcome::article);
        CHECK(b.paragraphs.size() == static_cast<std::size_t>(n));
    }

    TEST_CASE("a tag with thousands of attributes is refused") {
        std::string tag = "<div";
        for (int i = 0; i < 5000; ++i)
            tag += " a" + std::to_string(i) + "=1";
        const Article a = run("<html><body>" + tag + ">" + prose(1) + "</div></body></html>");
        CHECK(a.outcome == Outcome::malformed);
        CHECK(a.reason == "a tag has more than 1000 attributes");
    }

    TEST_CASE("truncated HTML still gives what it has") {
        const std::string full = page(8);
        const std::string cut = full.substr(0, full.find(prose(5)) + 40); // inside paragraph 5
        const Article a = run(cut);
        CHECK(a.outcome == Outcome::article);
        CHECK(a.paragraphs.size() == 6);
        CHECK(a.title == "Council approves the plan");
        for (const char* tail : {"<p>Half a par", "<a href=\"/x", "<!-- a comment",
                                 "<script>var x=\"", "<title>Unfinished"}) {
            const Article b = run(full.substr(0, full.find("<article>")) + tail);
            CHECK(b.outcome != Outcome::article);
            CHECK_FALSE(b.reason.empty());
        }
    }

    TEST_CASE("invalid UTF-8 is repaired") {
        std::string body = page(5);
        body.insert(body.find("Officials"), "Caf\xE9 \xFF\xC3 ");
        const Article a = run(body, "text/html; charset=utf-8");
        REQUIRE(a.outcome == Outcome::article);
        CHECK(text::repair_utf8(a.text) == a.text);
        CHECK(a.text.find("Caf\xEF\xBF\xBD") != std::string::npos);
    }

    TEST_CASE("a page in windows-1252 without a declaration is read as such") {
        std::string body = page(5);
        body.erase(body.find("<meta charset=\"utf-8\">"), 22);
        body.insert(body.find("Officials"), "Caf\xE9 ");
        const Article a = run(body, "text/html");
        REQUIRE(a.outcome == Outcome::article);
        CHECK(a.charset == "windows-1252");
        CHECK(a.text.find("Caf\xC3\xA9 Officials") != std::string::npos);
    }

    TEST_CASE("the declared charset is used: Content-Type, then <meta>") {
        std::string body = page(5);
        body.erase(body.find("<meta charset=\"utf-8\">"), 22);
        body.insert(body.find("Officials"), "\x93\xFA\x96\x7B "); // 日本 in Shift_JIS
        const Article a = run(body, "text/html; charset=Shift_JIS");
        REQUIRE(a.outcome == Outcome::article);
        CHECK(a.charset == "shift_jis");
        CHECK(a.text.find("\xE6\x97\xA5\xE6\x9C\xAC Officials") != std::string::npos);

        body.insert(body.find("<title>"), "<meta http-equiv=\"Content-Type\" "
                                          "content=\"text/html; charset=shift_jis\">");
        CHECK(run(body, "text/html").text.find("\xE6\x97\xA5\xE6\x9C\xAC") != std::string::npos);
    }

    TEST_CASE("a wrong declared charset loses to bytes that are plainly UTF-8") {
        std::string body = page(5);
        body.insert(body.find("Officials"), "Caf\xC3\xA9 \xE5\x8C\x97\xE4\xBA\xAC ");
        const Article a = run(body, "text/html; charset=ISO-8859-1");
        REQUIRE(a.outcome == Outcome::article);
        CHECK(a.charset == "utf-8");
        CHECK(a.text.find("Caf\xC3\xA9 \xE5\x8C\x97\xE4\xBA\xAC") != std::string::npos);
    }

    TEST_CASE("a UTF-16 page with a byte order mark is decoded") {
        const std::string utf8 = page(5);
        std::string utf16 = "\xFF\xFE";
        for (const char c : utf8) { // the page is ASCII: each byte becomes a UTF-16LE unit
            utf16 += c;
            utf16 += '\0';
        }
        const Article a = run(utf16, "text/html");
        CHECK(a.outcome == Outcome::article);
        CHECK(a.charset == "utf-16le");
        CHECK(a.paragraphs.size() == 5);
    }

    TEST_CASE("to_string names every outcome and method") {
        CHECK(to_string(Outcome::article) == "article");
        CHECK(to_string(Outcome::consent_wall) == "consent_wall");
        CHECK(to_string(Outcome::index_page) == "index_page");
        CHECK(to_string(Outcome::malformed) == "malformed");
        CHECK(to_string(Method::json_ld) == "json_ld");
        CHECK(to_string(Method::none) == "none");
    }

} // TEST_SUITE
