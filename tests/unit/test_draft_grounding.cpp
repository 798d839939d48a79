// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/draft/grounding.hpp"
#include "trend/draft/story.hpp"

#include <array>
#include <random>
#include <string>
#include <vector>

using namespace trend::draft::grounding;

namespace {

// Claim texts. A type of this file's own, so that failures can print it without clashing with
// how other test files print a std::vector<std::string>.
struct Texts : std::vector<std::string> {
    using std::vector<std::string>::vector;
    Texts(std::vector<std::string> v) : std::vector<std::string>(std::move(v)) {}
};

} // namespace

template <>
struct doctest::StringMaker<Texts> {
    static doctest::String convert(const Texts& v) {
        std::string out = "{";
        for (const std::string& s : v)
            out += (out.size() > 1 ? ", \"" : "\"") + s + "\"";
        return (out + "}").c_str();
    }
};

namespace {

Texts texts_of(const std::vector<Claim>& claims) {
    Texts out;
    for (const Claim& c : claims)
        out.push_back(c.text);
    return out;
}

Texts claims(std::string_view body) {
    return texts_of(extract_claims(body));
}

Texts unverified(std::string_view body, const Texts& evidence) {
    return unverified_claims(body, evidence);
}

Texts problems(std::string_view body, std::size_t sources) {
    return citation_problems(body, sources);
}

bool supported(ClaimKind kind, const std::string& text, const Texts& evidence) {
    return is_supported(Claim{kind, text}, evidence);
}

} // namespace

TEST_SUITE("draft") {

    TEST_CASE("grounding finds amounts percentages numbers and quotes in order") {
        const auto found = extract_claims(
            "OpenAI signed a $38B deal, up 12% from 20,000 in 2024. \u201CWe are thrilled,\u201D "
            "said Sam at 14:00 on 2025-11-03.");
        REQUIRE(found.size() == 7);
        CHECK(found[0].kind == ClaimKind::amount);
        CHECK(found[0].text == "$38B");
        CHECK(found[1].kind == ClaimKind::percentage);
        CHECK(found[1].text == "12%");
        CHECK(found[2].kind == ClaimKind::number);
        CHECK(found[2].text == "20,000");
        CHECK(found[3].text == "2024");
        CHECK(found[4].kind == ClaimKind::quote);
        CHECK(found[4].text == "\u201CWe are thrilled,\u201D");
        CHECK(found[5].text == "14:00");
        CHECK(found[6].text == "2025-11-03");
    }

    TEST_CASE("grounding reads every spelling of an amount") {
        CHECK(claims("$38B, $38 billion, US$38bn, 38 billion dollars, USD 38bn, \u20AC2.5 million, "
                     "\u00A3400m, \u00A5500, $100B+, 5 trillion euros") ==
              Texts{"$38B", "$38 billion", "US$38bn", "38 billion dollars", "USD 38bn",
                    "\u20AC2.5 million", "\u00A3400m", "\u00A5500", "$100B+", "5 trillion euros"});
        CHECK(claims("12%, 12 percent, 12 per cent, 12.5%, 3 million people, 20K+ searches") ==
              Texts{"12%", "12 percent", "12 per cent", "12.5%", "3 million", "20K+"});
    }

    TEST_CASE("grounding skips digits inside words") {
        CHECK(
            claims("GPT-4o and GPT-4.5-turbo beat B2B mp3 H100 5G 3D sales in the 1990s.").empty());
        CHECK(claims("COVID-19 cases rose 7% on the 2nd day").size() == 1);
        CHECK(claims("COVID-19 cases rose 7% on the 2nd day") == Texts{"7%"});
        CHECK(claims("a 10-year deal") == Texts{"10"});
        CHECK(claims("Windows 11 and Top10") == Texts{"11"});
    }

    TEST_CASE("grounding skips URLs link targets citation markers and list numbering") {
        const std::string body =
            "## 2. What happened\n"
            "\n"
            "1. Nvidia [invested](https://example.com/2025/11/03/100-billion) "
            "[4](/news/2025) "
            "heavily [1][2].\n"
            "2) See https://example.org/article/12345 and www.x.com/7 too [1, 3].\n"
            "  10. Indented item [12]\n"
            "> 3. quoted list\n";
        CHECK(claims(body).empty());
    }

    TEST_CASE("grounding treats empty and text-only bodies as claim-free") {
        CHECK(extract_claims("").empty());
        CHECK(extract_claims("Just words, nothing to check.").empty());
        CHECK(unverified("", Texts{}).empty());
        CHECK(problems("", 0).empty());
    }

    TEST_CASE("grounding reports each claim once") {
        CHECK(claims("20,000 then 20,000 then $5B and $5B and 20000") ==
              Texts{"20,000", "$5B", "20000"});
        const Texts evidence{"nothing here"};
        CHECK(unverified("$100B+ and $100B+ again", evidence) == Texts{"$100B+"});
    }

    TEST_CASE("grounding quotes need three words and matching marks") {
        CHECK(claims("the \"AI\" hype and \u201Cbig tech\u201D") == Texts{});
        CHECK(claims("He said \"we will ship it\" today") == Texts{"\"we will ship it\""});
        CHECK(claims("She said: \u201CIt is done.\u201D") == Texts{"\u201CIt is done.\u201D"});
        CHECK(claims("a 12\" screen and 15\" laptop") == Texts{"12", "15"});
        CHECK(claims("\"unterminated quote with many words") == Texts{});
        CHECK(claims("\"Yes.\" he said, \"we did it again\"") == Texts{"\"we did it again\""});
    }

    TEST_CASE("grounding matches amounts by value and currency") {
        const Texts evidence{"OpenAI and Amazon sign $38 billion cloud deal"};
        CHECK(supported(ClaimKind::amount, "$38B", evidence));
        CHECK(supported(ClaimKind::amount, "US$38bn", evidence));
        CHECK(supported(ClaimKind::amount, "38 billion dollars", evidence));
        CHECK(supported(ClaimKind::amount, "$38,000 million", evidence));
        CHECK_FALSE(supported(ClaimKind::amount, "\u20AC38B", evidence));
        CHECK_FALSE(supported(ClaimKind::amount, "$38M", evidence));
        CHECK_FALSE(supported(ClaimKind::amount, "$100B+", evidence));
        CHECK(
            supported(ClaimKind::amount, "$100B", Texts{"Nvidia invests $100 billion in OpenAI"}));
        CHECK(supported(ClaimKind::amount, "$1.5tn", Texts{"a $1,500bn market"}));
        CHECK(supported(ClaimKind::number, "38 billion", evidence));
    }

    TEST_CASE("grounding matches numbers and percentages by value") {
        CHECK(supported(ClaimKind::number, "20,000", Texts{"traffic 20000"}));
        CHECK(supported(ClaimKind::number, "20,000+", Texts{"20,000+"}));
        CHECK(supported(ClaimKind::number, "20,000+", Texts{"20000"}));
        CHECK(supported(ClaimKind::number, "20,000+", Texts{"20K+ searches"}));
        CHECK_FALSE(supported(ClaimKind::number, "20,000", Texts{"2,000 or 200,000"}));
        CHECK(supported(ClaimKind::percentage, "12%", Texts{"shares fell 12 percent"}));
        CHECK(supported(ClaimKind::percentage, "12 per cent", Texts{"down 12.0%"}));
        CHECK_FALSE(supported(ClaimKind::percentage, "12%", Texts{"12 stores"}));
        CHECK(supported(ClaimKind::number, "14:00", Texts{"first seen at 14:00 UTC"}));
        CHECK_FALSE(supported(ClaimKind::number, "14:00", Texts{"1400 people"}));
        CHECK(supported(ClaimKind::number, "2025-11-03", Texts{"since 2025-11-03T18:00Z"}));
        CHECK(supported(ClaimKind::number, "18:00", Texts{"since 2025-11-03T18:00Z"}));
        CHECK(claims("at 2025-11-03T18:00:00Z") == Texts{"2025-11-03", "18:00:00"});
        CHECK(supported(ClaimKind::number, "2025-11-03", Texts{"on 2025-11-03 at noon"}));
    }

    TEST_CASE("grounding accepts numbers glued to words in the evidence") {
        CHECK(supported(ClaimKind::number, "4", Texts{"GPT-4o launches"}));
        CHECK(unverified("GPT-4o launches", Texts{}).empty());
    }

    TEST_CASE("grounding matches quotes with quote styles case and spacing normalised") {
        const Texts evidence{
            "Altman: \u201CWe\u2019re   excited about the partnership\u201D, he wrote."};
        CHECK(unverified("He said \"we're excited about the partnership.\"", evidence).empty());
        CHECK(
            unverified("\u201CWE\u2019RE EXCITED about\nthe partnership\u201D", evidence).empty());
        CHECK(unverified("\"we are excited about it\"", evidence) ==
              Texts{"\"we are excited about it\""});
        CHECK(supported(ClaimKind::quote, "\"excited about the partnership\"", evidence));
        CHECK_FALSE(
            supported(ClaimKind::quote, "\u201Cthis never happened at all\u201D", evidence));
    }

    TEST_CASE("grounding lists what no evidence supports") {
        const std::string body =
            "# OpenAI signs a $38B deal with Amazon\n\n"
            "Searches passed 20,000 in the US [1], up 12% [2]. Nvidia may add $100B+ [3].\n"
            "\u201CThis changes everything for us,\u201D said a spokesperson.\n"
            "Read more at [the blog](https://example.com/2025/11/03/38-billion).\n";
        const Texts evidence{"OpenAI and Amazon sign $38 billion deal",
                             "Interest rose 12 percent, analysts say", "traffic: 20000",
                             "Nvidia could invest up to 10 billion dollars"};
        CHECK(unverified(body, evidence) ==
              Texts{"$100B+", "\u201CThis changes everything for us,\u201D"});
    }

    TEST_CASE("grounding citation problems in both directions") {
        CHECK(problems("A [1]. B [2].", 2).empty());
        CHECK(problems("A [1][2] and [1, 2].", 2).empty());
        CHECK(problems("A [1]. B [3]. C [3]. D [0].", 2) ==
              Texts{"[3] cites no source", "[0] cites no source", "source [2] is never cited"});
        CHECK(problems("No markers at all.", 3) == Texts{"source [1] is never cited",
                                                         "source [2] is never cited",
                                                         "source [3] is never cited"});
    }

    TEST_CASE("grounding citation problems ignore links and source lists") {
        const std::string body =
            "See [1](https://example.com/1) and [the post](https://x.com/[2]).\n"
            "Cited once [1].\n\n"
            "## Sources\n"
            "[1] First source\n"
            "- [2] Second source\n"
            "[3]: https://example.com/3\n";
        CHECK(problems(body, 3) == Texts{"source [2] is never cited", "source [3] is never cited"});
    }

    TEST_CASE("grounding on random Markdown finds only its own text and is its own evidence") {
        constexpr std::array<std::string_view, 40> k_pieces{
            "$",          "US$",       "\u20AC",    "USD ",     "12",     "3.5",    ",000",
            "%",          " percent",  " per cent", "bn",       "B",      "+",      " ",
            "\n",         "\"",        "\u201C",    "\u201D",   "[1]",    "](",     ")",
            "(",          "http://x/", "GPT-",      "4o",       "-",      ":",      "T",
            "2025-11-03", " words",    "\xff",      "\xe2\x80", "\u00e9", "\u53f0", "# ",
            "1. ",        " dollars",  "k",         ".",        ","};
        std::mt19937 rng(20251103);
        std::uniform_int_distribution<std::size_t> piece(0, k_pieces.size() - 1);
        std::uniform_int_distribution<int> length(0, 40);
        for (int round = 0; round < 3000; ++round) {
            std::string body;
            for (int n = length(rng); n > 0; --n)
                body += k_pieces[piece(rng)];
            CAPTURE(body);
            const Texts found = claims(body);
            for (const std::string& text : found)
                CHECK(body.find(text) != std::string::npos);
            if (body.find("](") == std::string::npos) // a quote may hide a link's opening
                CHECK(unverified(body, Texts{body}).empty());
            CHECK(problems(body, 2).size() <= 4);
        }
    }

    TEST_CASE("grounding reads dates as claims and matches them by day") {
        CHECK(claims("Signed on March 3, 2025 and on 2025-10-15, again on 3 March, in Nov. 2024") ==
              Texts{"March 3, 2025", "2025-10-15", "3 March", "Nov. 2024"});
        CHECK(extract_claims("on March 3, 2025").front().kind == ClaimKind::date);
        CHECK(extract_claims("on 2025-10-15").front().kind == ClaimKind::date);
        const Texts evidence{"The deal closed on 3 March 2025.", "It trended on October 15, 2025."};
        CHECK(unverified("Closed March 3, 2025; trended 2025-10-15 and on March 3.", evidence)
                  .empty());
        CHECK(unverified("Closed March 4, 2025 and in 2025.", evidence) == Texts{"March 4, 2025"});
        CHECK(unverified("Announced on March 3, 2024.", evidence) == Texts{"March 3, 2024"});
        // Month names alone, and lower-case "may", are no dates.
        CHECK(claims("Shares may rise in March, analysts said") == Texts{});
    }

    TEST_CASE("grounding reads names of people and organisations as claims") {
        CHECK(claims("Analysts at the Brookings Institution and Jane Doe agree.") ==
              Texts{"Brookings Institution", "Jane Doe"});
        CHECK(claims("He said Dr. Lena Torres of the Brookings Institution disagrees.") ==
              Texts{"Dr. Lena Torres of the Brookings Institution"});
        CHECK(claims("A word from Mr. Smith.") == Texts{"Mr. Smith"});
        CHECK(extract_claims("met Jane Doe").front().kind == ClaimKind::name);
        // A sentence's capitalised first word is not part of a name; single words name nothing.
        CHECK(claims("The Brookings Institution said so. Apple rose. In Paris it rained.") ==
              Texts{"Brookings Institution"});
        // Months and days break names; all-capital words are not name words.
        CHECK(claims("It came on Monday March 3 and NASA said so, as did BBC News") ==
              Texts{"March 3"});
        // Headings, bold-only lines, link targets and the Sources section name nothing.
        CHECK(
            claims("## Why It Matters Now\n\n**Key Takeaways Here**\n\n"
                   "See [the post](https://example.com/Jane-Doe/Big-Tech).\n\n"
                   "## Sources\n\n1. [Big Tech Signs Deal](https://x.example), New York Times\n") ==
            Texts{});
        CHECK(claims("Taylor Swift's tour") == Texts{"Taylor Swift"});
        // A name inside a quote is checked with the quote.
        CHECK(claims("He said \u201CJane Doe Signs With Acme\u201D and left") ==
              Texts{"\u201CJane Doe Signs With Acme\u201D"});
    }

    TEST_CASE("grounding flags invented names and traces named ones") {
        const Texts evidence{"Jane Doe, the company's CFO, told Reuters the deal was done."};
        CHECK(unverified("The deal was done, said Jane Doe [1].", evidence).empty());
        CHECK(unverified("The deal was done, said Jane  Doe [1].", evidence).empty());
        CHECK(unverified("Dr. Lena Torres of the Brookings Institution doubts it [1].", evidence) ==
              Texts{"Dr. Lena Torres of the Brookings Institution"});
        // The sources' own names are no claims ("Channel 4 News" claims no "4" either).
        const std::vector<std::string> names{"Channel 4 News", "The Washington Post"};
        CHECK(unverified_claims("Channel 4 News and The Washington Post reported it [1].", evidence,
                                names)
                  .empty());
        CHECK(unverified_claims("As Washington Post readers know, Channel 4 News said so.",
                                evidence, names)
                  .empty());
    }

    TEST_CASE("grounding raises no alarm on a sentence copied from a source") {
        const std::string text =
            "Amazon Web Services will provide Nvidia chips to OpenAI under a $38 billion deal, "
            "Chief Executive Andy Jassy said on November 3, 2025.\n\n"
            "\u201CScaling frontier AI requires massive, reliable compute,\u201D said Sam Altman.";
        const Texts evidence{text};
        CHECK(unverified(text, evidence).empty());
        CHECK(unverified("Amazon Web Services will supply chips worth $38B, Andy Jassy said [1]. "
                         "\u201CScaling frontier AI requires massive, reliable compute,\u201D "
                         "Sam Altman said [1].",
                         evidence)
                  .empty());
    }

    TEST_CASE("grounding traces each claim to a sentence and its offset in the stored text") {
        trend::draft::PageText page;
        page.id = 42;
        page.paragraphs = {"OpenAI and Amazon signed a deal on Monday.",
                           "The deal is worth $38 billion over seven years. Shares rose 5%.",
                           "\u201CThis is a big day,\u201D said Jane Doe of Acme Capital."};
        const std::string stored = page.text();
        const std::vector<EvidenceText> evidence{
            {1, 42, "https://a.example/1", stored},
            {1, 0, "https://a.example/1", "Amazon and OpenAI sign deal"},
            {0, 0, "", "detected 2025-11-03 14:00 UTC at 20,000+"},
        };
        const std::string body = "The deal is worth $38B [1], shares rose 5 percent [1] and "
                                 "searches passed 20,000 on 2025-11-03. \u201CThis is a big "
                                 "day,\u201D said Jane Doe of Acme Capital [1]. "
                                 "Dr. Lena Torres of the Brookings Institution sees $100B+.";
        const auto traces = trace_claims(body, evidence);
        REQUIRE(traces.size() == 8);
        auto find = [&](std::string_view claim) -> const Trace& {
            for (const Trace& t : traces)
                if (t.claim.text == claim)
                    return t;
            FAIL("no claim " << std::string(claim));
            return traces.front();
        };
        const Trace& amount = find("$38B");
        CHECK(amount.claim.kind == ClaimKind::amount);
        CHECK(amount.origin == Origin::source);
        CHECK(amount.source == 1);
        CHECK(amount.page_text_id == 42);
        CHECK(amount.url == "https://a.example/1");
        CHECK(amount.sentence == "The deal is worth $38 billion over seven years.");
        CHECK(stored.substr(amount.offset, amount.sentence.size()) == amount.sentence);
        const Trace& pct = find("5 percent");
        CHECK(pct.sentence == "Shares rose 5%.");
        CHECK(stored.substr(pct.offset, pct.sentence.size()) == pct.sentence);
        const Trace& quote = find("\u201CThis is a big day,\u201D");
        CHECK(quote.claim.kind == ClaimKind::quote);
        CHECK(stored.substr(quote.offset).starts_with("\u201CThis is a big day"));
        const Trace& name = find("Jane Doe of Acme Capital");
        CHECK(name.claim.kind == ClaimKind::name);
        CHECK(name.page_text_id == 42);
        const Trace& data = find("20,000");
        CHECK(data.origin == Origin::data);
        CHECK(data.source == 0);
        CHECK(data.sentence == "detected 2025-11-03 14:00 UTC at 20,000+");
        CHECK(find("2025-11-03").origin == Origin::data);
        CHECK_FALSE(find("Dr. Lena Torres of the Brookings Institution").traced());
        CHECK_FALSE(find("$100B+").traced());
        CHECK(untraced(traces) ==
              std::vector<std::string>{"Dr. Lena Torres of the Brookings Institution", "$100B+"});
        CHECK(to_string(ClaimKind::name) == "name");
        CHECK(to_string(Origin::none).empty());
    }

    TEST_CASE("grounding traces a quote across sentences to where it starts") {
        const std::string text = "Intro here. She said: \u201CWe won. We will win again.\u201D";
        const std::vector<EvidenceText> evidence{{2, 7, "https://b.example", text}};
        const auto traces =
            trace_claims("She said \u201Cwe won. We will win again\u201D [2].", evidence);
        REQUIRE(traces.size() == 1);
        CHECK(traces[0].traced());
        CHECK(traces[0].source == 2);
        CHECK(text.substr(traces[0].offset, traces[0].sentence.size()) == traces[0].sentence);
        CHECK(traces[0].sentence.find("We won.") != std::string::npos);
    }
} // TEST_SUITE("draft")
