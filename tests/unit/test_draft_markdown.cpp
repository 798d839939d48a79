// SPDX-License-Identifier: MIT
// Writing untrusted text into drafts: nothing from a feed or a model becomes a tag or a link.
#include "../fuzz/markdown_check.hpp"
#include "support.hpp"
#include "trend/draft/markdown.hpp"

using namespace trend;
namespace md = trend::draft::markdown;

TEST_SUITE("draft") {

    TEST_CASE("markdown::text escapes every piece of Markdown and HTML") {
        CHECK(md::text("plain words, 20,000+ searches") == "plain words, 20,000+ searches");
        CHECK(md::text("<script>alert(1)</script>") == "&lt;script&gt;alert\\(1\\)&lt;/script&gt;");
        CHECK(md::text("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert\\(1\\)&gt;");
        CHECK(md::text("[evil](javascript:alert(7))") == "\\[evil\\]\\(javascript:alert\\(7\\)\\)");
        CHECK(md::text("*bold* _it_ `code` ~~x~~ a|b {: .x} \\") ==
              "\\*bold\\* \\_it\\_ \\`code\\` \\~\\~x\\~\\~ a\\|b \\{: .x\\} \\\\");
        // Block markers only matter at the start.
        CHECK(md::text("# not a heading") == "\\# not a heading");
        CHECK(md::text("C# 12") == "C# 12");
        CHECK(md::text("- item") == "\\- item");
        CHECK(md::text("2024. A year") == "2024\\. A year");
        CHECK(md::text("3.5 million") == "3.5 million");
        // Entities: only what a renderer would decode.
        CHECK(md::text("AT&T &amp; Tom & Jerry &#60;") == "AT&T &amp;amp; Tom & Jerry &amp;#60;");
        // One line; bidi controls dropped; invalid UTF-8 repaired.
        CHECK(md::text("a\nb\r\nc") == "a b  c");
        CHECK(md::text("abc\u202Egnp.exe") == "abcgnp.exe");
        CHECK(md::text("\xff") == "\uFFFD");
        CHECK(md::text("台風 🌀 Ação") == "台風 🌀 Ação");
        for (const char* hostile : {"<script>x</script>", "[a](javascript:b)", "![i](data:x)",
                                    "<javascript:alert(1)>", "[x]: javascript:y", "a](b)"})
            CHECK_MESSAGE(!fuzz::unsafe_inline(md::text(hostile)), hostile);
    }

    TEST_CASE("markdown::url keeps http(s) only and percent-encodes what could end a link") {
        CHECK(md::url("https://x.example/a)[evil](javascript:alert(7)") ==
              "https://x.example/a%29[evil]%28javascript:alert%287%29");
        CHECK(md::url("HTTPS://Example.com/path?q=1&r=2#f") ==
              "https://Example.com/path?q=1&r=2#f");
        CHECK(md::url("http://x.example/a b<c>\"d\\e`f") ==
              "http://x.example/a%20b%3Cc%3E%22d%5Ce%60f");
        CHECK(md::url("https://x.example/%E2%80%A6/%zz") == "https://x.example/%E2%80%A6/%25zz");
        CHECK(md::url("https://例え.jp/パス") ==
              "https://%E4%BE%8B%E3%81%88.jp/%E3%83%91%E3%82%B9");
        CHECK(md::url("  https://x.example/\n") == "https://x.example/");
        for (const char* refused :
             {"javascript:alert(1)", "JavaScript:alert(1)",
              "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox", "file:///etc/passwd",
              "//evil.example/x", "/relative", "", "https://", "https:///path", "http:\\\\evil",
              "ftp://x.example/", "mailto:a@b", " javascript:x", "https://@evil"})
            CHECK_MESSAGE(!md::url(refused), refused);
        CHECK_FALSE(md::url("https://x.example/" + std::string(3000, 'a')));
        // The cap is on the encoded URL, so sanitize() gives the same result twice.
        CHECK_FALSE(md::url("https://x.example/" + std::string(1000, '"')));
        CHECK(md::url("https://x.example/" + std::string(600, '"'))->size() == 1818);
    }

    TEST_CASE("markdown::link and heading") {
        CHECK(md::link("Headline [1]", "https://a.example/x") ==
              "[Headline \\[1\\]](https://a.example/x)");
        CHECK(md::link("Click", "javascript:alert(1)") == "Click");
        CHECK(md::link("", "https://a.example/") == "[https://a.example/](https://a.example/)");
        const std::string injected =
            md::link("News", "https://x.example/a)[evil](javascript:alert(7)");
        CHECK(injected == "[News](https://x.example/a%29[evil]%28javascript:alert%287%29)");
        CHECK_FALSE(fuzz::unsafe_markup(injected));
        CHECK(md::heading(1, "Why <b>x</b> trends") == "# Why &lt;b&gt;x&lt;/b&gt; trends");
        CHECK(md::heading(9, "x") == "###### x");
        CHECK(md::heading(0, "x") == "# x");
    }

    TEST_CASE("markdown::sanitize keeps the model's formatting and removes its weapons") {
        const std::string kept =
            "# Title\n\n**Key takeaways**\n\n- A *point* [1].\n\n> quote\n\n"
            "See [the report](https://a.example/r) and ![chart](https://c.example/c.png).\n";
        CHECK(md::sanitize(kept) == kept);
        CHECK(md::sanitize("x <script>alert(1)</script> y") ==
              "x &lt;script>alert(1)&lt;/script> y");
        CHECK(md::sanitize("[click](javascript:alert(1)) now") == "click now");
        CHECK(md::sanitize("![pic](data:image/png;base64,AAAA)") == "pic");
        CHECK(md::sanitize("[a](https://x.example/p \"title\")") == "[a](https://x.example/p)");
        CHECK(md::sanitize("[a](<javascript:x>)") == "a");
        CHECK(md::sanitize("[a]( \n javascript:x)") == "a");
        CHECK(md::sanitize("[a](java\\script:x)") == "a");
        CHECK(md::sanitize("[a](https://x.example/a)[evil](javascript:alert(7))") ==
              "[a](https://x.example/a)evil");
        CHECK(md::sanitize("[[x]](javascript:1)(javascript:2)") == "[x]\\(javascript:2)");
        CHECK(md::sanitize("a](javascript:x)") == "a]\\(javascript:x)");
        // Found by fuzz_markdown: a refused link's text must not complete a "](" before it.
        CHECK(md::sanitize("x][(javascript:y)](z)") == "x]\\(javascript:y)");
        // Reference definitions, also inside quotes and lists, lose their bracket.
        CHECK(md::sanitize("[x]: javascript:alert(1)\n\n[x]") ==
              "\\[x]: javascript:alert(1)\n\n[x]");
        CHECK(md::sanitize("> - [x]:\n>   javascript:y") == "> - \\[x]:\n>   javascript:y");
        CHECK(md::sanitize("[a\\]b]: javascript:x") == "\\[a\\]b]: javascript:x");
        // Found by fuzz_markdown: an escaped ']' in a link's text does not make a definition.
        const std::string url_as_text = md::link("", "https://x.example/[x]:y");
        CHECK(url_as_text == "[https://x.example/\\[x\\]:y](https://x.example/[x]:y)");
        CHECK_FALSE(fuzz::unsafe_markup(url_as_text));
        CHECK(md::sanitize("abc\u202Edef") == "abcdef");
        for (const char* hostile :
             {"<img src=x onerror=alert(1)>", "<!-- c --><a href='javascript:x'>y</a>",
              "[a](javascript:x \"t\")", "[a](https://ok.example) [b](vbscript:x)",
              "[x\ny]: javascript:z", "![a](https://ok.example/i.png)(javascript:x)",
              "[a]\n(javascript:x)", "[![i](https://ok.example/i)](javascript:x)"}) {
            const std::string out = md::sanitize(hostile);
            CHECK_MESSAGE(!fuzz::unsafe_markup(out), hostile << " -> " << out);
        }
    }

    TEST_CASE("markdown::front_matter_text cannot open a tag") {
        CHECK(md::front_matter_text("<script>alert(1)</script> & \"q\"") ==
              "‹script›alert(1)‹/script› & \"q\"");
        CHECK(md::front_matter_text("a\nb\u202E") == "a b");
        CHECK(md::front_matter_text("[x](javascript:y)") == "[x] (javascript:y)");
    }

    TEST_CASE("markdown::unescape gives the text a reader sees") {
        for (const char* s : {"<b>1 & 2</b> [x](y) *z* 20,000+ \"q\" 'a' C# \\ `c`", "- 1. # x"})
            CHECK(md::unescape(md::text(s)) == s);
        CHECK(md::unescape("&lt;&gt;&amp;&quot;&#39;&nbsp;") == "<>&\"'&nbsp;");
    }
}
