// SPDX-License-Identifier: MIT
#include "feed_support.hpp"
#include "trend/feed/term.hpp"
#include "trend/util/text.hpp"
#include "trend/util/time.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <variant>

using namespace std::literals;
using trend::format_iso;
using trend::feed::Item;
using trend::feed::ParseContext;
using trend::feed::ParseError;
using trend::feed::Snapshot;
using trend::feed::TrafficKind;
using trend::test::iso;
using trend::test::read_source_file;

namespace {

const std::string k_dir = "tests/data/feeds/";

ParseContext context(std::string url = "") {
    return trend::test::feed_context("2026-10-01T16:25:00Z", std::move(url));
}

Snapshot parse_ok(std::string_view body, const ParseContext& ctx = context()) {
    return trend::test::parse_ok(trend::feed::parse_rss, body, ctx);
}

std::string parse_error(std::string_view body, const ParseContext& ctx = context()) {
    return trend::test::parse_error(trend::feed::parse_rss, body, ctx);
}

/** An RSS 2.0 document around `items`, with the namespaces news feeds use. */
std::string rss2(const std::string& items, const std::string& channel_extra = "") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
           "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
           "xmlns:media=\"http://search.yahoo.com/mrss/\" "
           "xmlns:atom=\"http://www.w3.org/2005/Atom\" "
           "xmlns:slash=\"http://purl.org/rss/1.0/modules/slash/\"><channel>"
           "<title>Example News</title><link>https://news.example.org/</link>" +
           channel_extra + items + "</channel></rss>";
}

std::string atom(const std::string& entries, const std::string& feed_attrs = "") {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
           "<feed xmlns=\"http://www.w3.org/2005/Atom\"" +
           feed_attrs + "><title>Example</title>" + entries + "</feed>";
}

bool all_text_valid(const Snapshot& s) {
    const auto valid = [](const std::string& t) { return trend::text::repair_utf8(t) == t; };
    return std::all_of(s.items.begin(), s.items.end(), [&](const Item& i) {
        return valid(i.term) && valid(i.summary) && valid(i.author) && valid(i.url) &&
               valid(i.picture);
    });
}

} // namespace

TEST_SUITE("feed") {

    // ---- real feeds -------------------------------------------------------------------------

    TEST_CASE("rss reads the ISO-8859-1 Golem feed item by item") {
        const Snapshot s = parse_ok(read_source_file(k_dir + "feed_rss2_golem_iso-8859-1.xml"));
        CHECK(s.format == "RSS 2.0");
        CHECK(s.title == "Golem.de");
        CHECK(s.traffic_kind == TrafficKind::rank);
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 40);
        CHECK(all_text_valid(s));

        const Item& first = s.items[0];
        CHECK(first.rank == 1);
        CHECK(first.traffic.label == "#1");
        CHECK(first.traffic.value == 1);
        CHECK(first.term ==
              "Red Dead Redemption 2: Hinweise auf PC-Umsetzung in App von Rockstar Games");
        CHECK(first.url == "https://www.golem.de/news/"
                           "red-dead-redemption-2-hinweise-auf-pc-umsetzung-in-app-von-rockstar-"
                           "games-1810-137358-rss.html");
        CHECK(iso(first.published_at) == "2018-10-28T12:48:00Z"); // 13:48 +0100
        CHECK_FALSE(first.updated_at.has_value());
        // The summary is the description as text: umlauts converted, links' text kept, the
        // tracking pixel gone.
        CHECK(first.summary ==
              "Viele Spieler wünschen sich eine PC-Version von Red Dead Redemption 2, aber "
              "Entwickler Rockstar Games schweigt zu dem Thema. Anders die offizielle Companion "
              "App: In einigen ihrer Daten gibt es Hinweise auf die Umsetzung. (Red Dead "
              "Redemption 2, Red Dead Redemption)");
        // The description's only image is a 1x1 tracker; content:encoded has the article's.
        CHECK(first.picture == "https://www.golem.de/1810/137358-177541-177538_rc.jpg");
        CHECK_FALSE(first.comments.has_value()); // <slash:comments />
        CHECK(first.author.empty());
        CHECK(first.skip_reason.empty());

        CHECK(s.items[1].term ==
              "Let's Play: Twitch will Streamer zusammen spielen und singen lassen");
        CHECK(s.items[3].comments == 37);
        CHECK(s.items[6].term == "Star Wars: Boba-Fett-Film ist \"zu 100 Prozent tot\"");
        CHECK(s.items[6].comments == 148);
        CHECK(s.items[8].term == "Wochenrückblick: Wilder Westen, buntes Handy, nutzloses Siegel");
        CHECK(s.items[39].rank == 40);
        CHECK(s.items[39].traffic.label == "#40");
    }

    TEST_CASE("rss reads TechCrunch: dc:creator, media, origLink, CDATA HTML") {
        const Snapshot s =
            parse_ok(read_source_file(k_dir + "feed_rss2_techcrunch_feedburner.first4.xml"));
        CHECK(s.format == "RSS 2.0");
        CHECK(s.title == "TechCrunch");
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 4);

        const Item& a = s.items[0];
        CHECK(a.term ==
              "Angie’s List Sets Price Range IPO At $11 To $13 Per Share; Valued At Over $600M");
        // feedburner:origLink, not the dead feedproxy.google.com redirect in <link>
        CHECK(a.url == "http://techcrunch.com/2011/11/02/"
                       "angies-list-prices-ipo-at-11-to-13-per-share-valued-at-over-600m/");
        CHECK(a.author == "Leena Rao");
        CHECK(iso(a.published_at) == "2011-11-02T17:25:27Z");
        CHECK(a.picture ==
              "http://tctechcrunch2011.files.wordpress.com/2011/11/angies-list.jpeg?w=150");
        CHECK(a.comments == 0);
        CHECK(
            a.summary.starts_with("Angie's List, which offers consumers a way to review and rate "
                                  "doctors, contractors and service companies on the Web, has "
                                  "just set the terms for its IPO. In a new filing, the company"));
        CHECK(a.summary.find('<') == std::string::npos);

        CHECK(s.items[1].term ==
              "Google Launches Native Gmail App For iPhone, iPad and iPod Touch, "
              "Faces Instant Backlash");
        CHECK(s.items[1].author == "Sarah Perez");
        CHECK(s.items[1].picture ==
              "http://tctechcrunch2011.files.wordpress.com/2011/11/ios2.png?w=104");
        CHECK(s.items[2].term == "Maybe BBM Music Isn’t So Silly After All");
        CHECK(s.items[2].author == "Chris Velazco");
        CHECK(iso(s.items[2].published_at) == "2011-11-02T16:35:53Z");
        CHECK(s.items[3].url == "http://techcrunch.com/2011/11/02/"
                                "ex-google-reader-product-manager-posts-scathing-review-of-reader-"
                                "redesign/");
    }

    TEST_CASE("rss reads the Typepad Atom feed: xhtml content, xml:base, origLink") {
        const Snapshot s = parse_ok(read_source_file(k_dir + "feed_atom_typepad_news.xml"));
        CHECK(s.format == "Atom 1.0");
        CHECK(s.title == "Everything Typepad");
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 10);

        const Item& a = s.items[0];
        CHECK(a.term == "Spotlight: Friday Favorites!");
        CHECK(a.url ==
              "http://everything.typepad.com/blog/2013/02/spotlight-friday-favorites.html");
        CHECK(a.author == "The Typepad Team");
        CHECK(iso(a.published_at) == "2013-02-22T17:47:09Z"); // 09:47:09-08:00
        CHECK(iso(a.updated_at) == "2013-02-22T17:47:09Z");
        CHECK(a.summary.starts_with("Each week, we scout for great blogs in the Typepad Showcase"));
        CHECK(a.picture ==
              "http://everything.typepad.com/.a/6a00d83451c82369e2017c37087e65970b-600wi");

        CHECK(s.items[1].term == "Typepad Release Notes");
        CHECK(s.items[1].summary.starts_with("Fixes & Improvements For those of you who use the "
                                             "mobile /.m/ directory"));
        CHECK(s.items[3].term == "Today's Downtime");
        CHECK(iso(s.items[3].updated_at) == "2013-02-19T23:44:19Z");
        CHECK(iso(s.items[3].published_at) == "2013-02-19T23:45:16Z");
        // Two entries share a title: the second is kept, marked.
        CHECK(s.items[6].term == "Typepad Release Notes");
        CHECK(s.items[6].skip_reason == "same title as entry 2");
        CHECK(s.items[9].term == "Retiring Typepad Anti-Spam and Switching to Impermium");
    }

    TEST_CASE("rss reads the heise RSS 0.90 RDF feed") {
        const Snapshot s = parse_ok(read_source_file(k_dir + "feed_rdf_heise.xml"));
        CHECK(s.format == "RSS 0.90 (RDF)");
        CHECK(s.title == "heise online News");
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 60);
        CHECK(s.items[0].term == "OLED-TVs: Vorsichtsmaßnahmen gegen Einbrennen");
        CHECK(s.items[1].term == "Mega-Deal: IBM übernimmt Red Hat");
        CHECK(s.items[1].url ==
              "https://www.heise.de/newsticker/meldung/"
              "Mega-Deal-IBM-uebernimmt-Red-Hat-4205582.html?wt_mc=rss.ho.beitrag.rdf");
        CHECK(s.items[1].summary ==
              "Giganten-Hochzeit in den USA: Der Computerkonzern IBM übernimmt den "
              "Open-Source-Anbieter Red Hat für umgerechnet 30 Milliarden Euro.");
        CHECK(s.items[4].summary.find("der \"enhanced Audio Return Channel\" nach") !=
              std::string::npos);
        CHECK_FALSE(s.items[0].published_at.has_value()); // RSS 0.90 has no dates
        CHECK(s.items[59].rank == 60);
    }

    TEST_CASE("rss reads the BBC Urdu feed: CDATA, right-to-left text, media:thumbnail") {
        const Snapshot s = parse_ok(read_source_file(k_dir + "feed_rss2_bbc_urdu.xml"));
        CHECK(s.format == "RSS 2.0");
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 26);
        CHECK(all_text_valid(s));
        const Item& a = s.items[0];
        CHECK(a.term.starts_with("امریکی عسکری امداد کی بندش کی وجوہات"));
        CHECK(a.url == "http://www.bbc.com/urdu/pakistan-42575603");
        CHECK(iso(a.published_at) == "2018-01-05T16:51:00Z");
        CHECK(a.picture ==
              "http://c.files.bbci.co.uk/A787/production/_99478824_gettyimages-856735580.jpg");
        CHECK(s.items[1].url == "http://www.bbc.com/urdu/pakistan-42645212");
        CHECK(iso(s.items[1].published_at) == "2018-01-11T13:20:55Z");
        CHECK(std::all_of(s.items.begin(), s.items.end(), [](const Item& i) {
            return i.picture.starts_with("http://c.files.bbci.co.uk/");
        }));
    }

    // ---- written from the specifications ----------------------------------------------------

    TEST_CASE("rss reads the RSS 2.0 specification's sample, an item without a title too") {
        // RSS 2.0 specification, "Sample files" (Liftoff News), two of its items.
        const Snapshot s = parse_ok(rss2(
            "<item><title>Star City</title>"
            "<link>http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp</link>"
            "<description>How do Americans get ready to work with Russians aboard the "
            "International Space Station? They take a crash course in culture, language and "
            "protocol at Russia's &lt;a href=\"http://howe.iki.rssi.ru/GCTC/gctc_e.htm\"&gt;Star "
            "City&lt;/a&gt;.</description><pubDate>Tue, 03 Jun 2003 09:39:21 GMT</pubDate>"
            "<guid>http://liftoff.msfc.nasa.gov/2003/06/03.html#item573</guid></item>"
            "<item><description>Sky watchers in Europe, Asia, and parts of Alaska and Canada "
            "will experience a &lt;a href=\"http://science.nasa.gov/headlines/y2003/"
            "30may_solareclipse.htm\"&gt;partial eclipse of the Sun&lt;/a&gt; on Saturday, May "
            "31st.</description><pubDate>Fri, 30 May 2003 11:06:42 GMT</pubDate>"
            "<guid>http://liftoff.msfc.nasa.gov/2003/05/30.html#item572</guid></item>"));
        REQUIRE(s.items.size() == 2);
        CHECK(s.items[0].term == "Star City");
        CHECK(s.items[0].url == "http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp");
        CHECK(s.items[0].summary == "How do Americans get ready to work with Russians aboard the "
                                    "International Space Station? They take a crash course in "
                                    "culture, language and protocol at Russia's Star City.");
        CHECK(iso(s.items[0].published_at) == "2003-06-03T09:39:21Z");
        // "All elements of an item are optional, however at least one of title or description
        // must be present." Kept, marked; its guid is a permalink by default.
        CHECK(s.items[1].term.empty());
        CHECK(s.items[1].skip_reason == "no title");
        CHECK(s.items[1].url == "http://liftoff.msfc.nasa.gov/2003/05/30.html#item572");
        CHECK(s.items[1].summary.starts_with("Sky watchers in Europe"));
        CHECK(s.items[1].rank == 2);
    }

    TEST_CASE("rss reads the RSS 1.0 specification's example") {
        // RSS 1.0 specification, section 7 (example), with dc:date from the Dublin Core module.
        const Snapshot s = parse_ok(
            "<?xml version=\"1.0\"?>\n<rdf:RDF "
            "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns=\"http://purl.org/rss/1.0/\">"
            "<channel rdf:about=\"http://www.xml.com/xml/news.rss\"><title>XML.com</title>"
            "<link>http://xml.com/pub</link><description>XML.com features a rich mix of "
            "information and services for the XML community.</description>"
            "<image rdf:resource=\"http://xml.com/universal/images/xml_tiny.gif\" />"
            "<items><rdf:Seq><rdf:li resource=\"http://xml.com/pub/2000/08/09/xslt/xslt.html\" />"
            "<rdf:li resource=\"http://xml.com/pub/2000/08/09/rdfdb/index.html\" "
            "/></rdf:Seq></items>"
            "<textinput rdf:resource=\"http://search.xml.com\" /></channel>"
            "<image "
            "rdf:about=\"http://xml.com/universal/images/xml_tiny.gif\"><title>XML.com</title>"
            "<link>http://www.xml.com</link><url>http://xml.com/universal/images/xml_tiny.gif</"
            "url></image>"
            "<item rdf:about=\"http://xml.com/pub/2000/08/09/xslt/xslt.html\">"
            "<title>Processing Inclusions with XSLT</title>"
            "<link>http://xml.com/pub/2000/08/09/xslt/xslt.html</link>"
            "<description>Processing document inclusions with general XML tools can be "
            "problematic. This article proposes a way of preserving inclusion information "
            "through SAX-based processing.</description><dc:date>2000-08-09</dc:date>"
            "<dc:creator>Bob DuCharme</dc:creator></item>"
            "<item rdf:about=\"http://xml.com/pub/2000/08/09/rdfdb/index.html\">"
            "<title>Putting RDF to Work</title>"
            "<description>Tool and API support for the Resource Description Framework is slowly "
            "coming of age.</description><dc:date>2000-08-09T12:30:00+01:00</dc:date></item>"
            "<textinput rdf:about=\"http://search.xml.com\"><title>Search XML.com</title>"
            "<description>Search XML.com's XML collection</description><name>s</name>"
            "<link>http://search.xml.com</link></textinput></rdf:RDF>");
        CHECK(s.format == "RSS 1.0 (RDF)");
        CHECK(s.title == "XML.com");
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 2); // not the image or the textinput
        CHECK(s.items[0].term == "Processing Inclusions with XSLT");
        CHECK(s.items[0].url == "http://xml.com/pub/2000/08/09/xslt/xslt.html");
        CHECK(s.items[0].author == "Bob DuCharme");
        CHECK(iso(s.items[0].published_at) == "2000-08-09T00:00:00Z");
        CHECK(s.items[1].term == "Putting RDF to Work");
        CHECK(s.items[1].url == "http://xml.com/pub/2000/08/09/rdfdb/index.html"); // rdf:about
        CHECK(iso(s.items[1].published_at) == "2000-08-09T11:30:00Z");
    }

    TEST_CASE("rss reads RFC 4287's extensive Atom example") {
        // RFC 4287 section 1.1, the second ("more extensive") example.
        const Snapshot s = parse_ok(R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">dive into mark</title>
  <subtitle type="html">
    A &lt;em&gt;lot&lt;/em&gt; of effort
    went into making this effortless
  </subtitle>
  <updated>2005-07-31T12:29:29Z</updated>
  <id>tag:example.org,2003:3</id>
  <link rel="alternate" type="text/html" hreflang="en" href="http://example.org/"/>
  <link rel="self" type="application/atom+xml" href="http://example.org/feed.atom"/>
  <rights>Copyright (c) 2003, Mark Pilgrim</rights>
  <generator uri="http://www.example.com/" version="1.0">
    Example Toolkit
  </generator>
  <entry>
    <title>Atom draft-07 snapshot</title>
    <link rel="alternate" type="text/html"
     href="http://example.org/2005/04/02/atom"/>
    <link rel="enclosure" type="audio/mpeg" length="1337"
     href="http://example.org/audio/ph34r_my_podcast.mp3"/>
    <id>tag:example.org,2003:3.2397</id>
    <updated>2005-07-31T12:29:29Z</updated>
    <published>2003-12-13T08:29:29-04:00</published>
    <author>
      <name>Mark Pilgrim</name>
      <uri>http://example.org/</uri>
      <email>f8dy@example.com</email>
    </author>
    <contributor>
      <name>Sam Ruby</name>
    </contributor>
    <contributor>
      <name>Joe Gregorio</name>
    </contributor>
    <content type="xhtml" xml:lang="en"
     xml:base="http://diveintomark.org/">
      <div xmlns="http://www.w3.org/1999/xhtml">
        <p><i>[Update: The Atom draft is finished.]</i></p>
      </div>
    </content>
  </entry>
</feed>)");
        CHECK(s.format == "Atom 1.0");
        CHECK(s.title == "dive into mark");
        CHECK(s.warnings.empty());
        REQUIRE(s.items.size() == 1);
        const Item& e = s.items[0];
        CHECK(e.term == "Atom draft-07 snapshot");
        CHECK(e.url == "http://example.org/2005/04/02/atom"); // not the enclosure
        CHECK(e.author == "Mark Pilgrim");                    // contributors are not authors
        CHECK(iso(e.published_at) == "2003-12-13T12:29:29Z");
        CHECK(iso(e.updated_at) == "2005-07-31T12:29:29Z");
        CHECK(e.summary == "[Update: The Atom draft is finished.]");
        CHECK(e.picture.empty()); // the enclosure is audio
    }

    TEST_CASE("rss: Atom entries inherit the feed's author and default rel is alternate") {
        // RFC 4287 section 1.1's first example, and section 4.2.1 (author inheritance).
        const Snapshot s = parse_ok(R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Feed</title>
  <link href="http://example.org/"/>
  <updated>2003-12-13T18:30:02Z</updated>
  <author>
    <name>John Doe</name>
  </author>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <entry>
    <title>Atom-Powered Robots Run Amok</title>
    <link href="http://example.org/2003/12/13/atom03"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2003-12-13T18:30:02Z</updated>
    <summary>Some text.</summary>
  </entry>
</feed>)");
        REQUIRE(s.items.size() == 1);
        CHECK(s.items[0].term == "Atom-Powered Robots Run Amok");
        CHECK(s.items[0].url == "http://example.org/2003/12/13/atom03");
        CHECK(s.items[0].author == "John Doe");
        CHECK(s.items[0].summary == "Some text.");
        CHECK_FALSE(s.items[0].published_at.has_value());
        CHECK(iso(s.items[0].updated_at) == "2003-12-13T18:30:02Z");
    }

    TEST_CASE("rss reads Atom 0.3") {
        const Snapshot s = parse_ok(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><title>Old Atom</title>"
            "<entry><title mode=\"escaped\" type=\"text/html\">Caf&amp;eacute; "
            "&lt;b&gt;opens&lt;/b&gt;</title>"
            "<link rel=\"alternate\" type=\"text/html\" href=\"http://example.org/cafe\"/>"
            "<issued>2004-01-02T03:04:05Z</issued><modified>2004-01-03T03:04:05Z</modified>"
            "<author><name>Ann</name></author>"
            "<content type=\"application/xhtml+xml\" mode=\"xml\"><div "
            "xmlns=\"http://www.w3.org/1999/xhtml\">Hello <b>there</b></div></content></entry>"
            "<entry><title>Encoded</title><content "
            "mode=\"base64\">SGVsbG8=</content></entry></feed>");
        CHECK(s.format == "Atom 0.3");
        REQUIRE(s.items.size() == 2);
        CHECK(s.items[0].term == "Café opens");
        CHECK(s.items[0].url == "http://example.org/cafe");
        CHECK(iso(s.items[0].published_at) == "2004-01-02T03:04:05Z");
        CHECK(iso(s.items[0].updated_at) == "2004-01-03T03:04:05Z");
        CHECK(s.items[0].author == "Ann");
        CHECK(s.items[0].summary == "Hello there");
        CHECK(s.items[1].summary.empty()); // base64 content is not read
    }

    TEST_CASE("rss: Atom text constructs are read by their type") {
        const Snapshot s = parse_ok(atom(
            "<entry><title type=\"html\">AT&amp;amp;T &lt;b&gt;bold&lt;/b&gt;</title></entry>"
            "<entry><title type=\"text\">Less: &lt;em&gt; &amp;amp;</title></entry>"
            "<entry><title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">X "
            "<b>Y</b></div></title></entry>"
            "<entry><title>Plain &amp; simple</title><summary type=\"html\">&lt;p&gt;A&lt;/p&gt;"
            "&lt;script&gt;alert(1)&lt;/script&gt;</summary></entry>"));
        REQUIRE(s.items.size() == 4);
        CHECK(s.items[0].term == "AT&T bold");
        CHECK(s.items[1].term == "Less: <em> &amp;"); // text is text, never parsed as HTML
        CHECK(s.items[2].term == "X Y");
        CHECK(s.items[3].term == "Plain & simple");
        CHECK(s.items[3].summary == "A");
    }

    TEST_CASE("rss resolves relative links against xml:base, then the document URL") {
        SUBCASE("xml:base on the feed, the entry and the link") {
            const Snapshot s = parse_ok(
                atom("<entry xml:base=\"2026/\"><title>A</title><link href=\"post.html\"/></entry>"
                     "<entry><title>B</title><link href=\"/abs/b\"/></entry>"
                     "<entry><title>C</title><link xml:base=\"https://cdn.example.com/x/\" "
                     "href=\"c\"/></entry>",
                     " xml:base=\"http://example.org/blog/\""),
                context("https://feeds.example.net/atom.xml"));
            REQUIRE(s.items.size() == 3);
            CHECK(s.items[0].url == "http://example.org/blog/2026/post.html");
            CHECK(s.items[1].url == "http://example.org/abs/b");
            CHECK(s.items[2].url == "https://cdn.example.com/x/c");
        }
        SUBCASE("a relative xml:base is itself resolved against the document URL") {
            const Snapshot s =
                parse_ok(atom("<entry><title>A</title><link href=\"a.html\"/></entry>",
                              " xml:base=\"sub/\""),
                         context("https://example.org/feeds/atom.xml"));
            CHECK(s.items[0].url == "https://example.org/feeds/sub/a.html");
        }
        SUBCASE("RSS: against the document URL, else the channel's link") {
            const std::string doc = rss2("<item><title>A</title><link>/news/a</link>"
                                         "<media:thumbnail url=\"img/a.jpg\"/></item>");
            const Snapshot with_url = parse_ok(doc, context("https://example.org/rss/feed.xml"));
            CHECK(with_url.items[0].url == "https://example.org/news/a");
            CHECK(with_url.items[0].picture == "https://example.org/rss/img/a.jpg");
            const Snapshot without = parse_ok(doc);
            CHECK(without.items[0].url == "https://news.example.org/news/a");
            CHECK(without.items[0].picture == "https://news.example.org/img/a.jpg");
        }
        SUBCASE("nothing to resolve against: dropped with a warning") {
            const Snapshot s =
                parse_ok(atom("<entry><title>A</title><link href=\"a.html\"/></entry>"));
            CHECK(s.items[0].url.empty());
            REQUIRE(s.warnings.size() == 1);
            CHECK(s.warnings[0] == "entry 1 \"A\": link \"a.html\" dropped, not a usable web URL");
        }
    }

    TEST_CASE("rss: Atom prefers rel=alternate text/html and skips self, replies, enclosures") {
        const Snapshot s = parse_ok(atom(
            "<entry><title>A</title>"
            "<link rel=\"replies\" href=\"http://example.org/comments\"/>"
            "<link rel=\"self\" href=\"http://example.org/self\"/>"
            "<link rel=\"related\" href=\"http://example.org/related\"/>"
            "<link rel=\"alternate\" type=\"application/pdf\" href=\"http://example.org/a.pdf\"/>"
            "<link rel=\"alternate\" type=\"text/html\" href=\"http://example.org/a.html\"/>"
            "<link rel=\"enclosure\" type=\"image/png\" href=\"http://example.org/a.png\"/>"
            "</entry>"
            "<entry><title>B</title><link rel=\"related\" "
            "href=\"http://example.org/b\"/></entry>"));
        CHECK(s.items[0].url == "http://example.org/a.html");
        CHECK(s.items[0].picture == "http://example.org/a.png");
        CHECK(s.items[1].url == "http://example.org/b"); // better than nothing
    }

    TEST_CASE("rss: titles are plain text unless they carry HTML, decoded once") {
        const Snapshot s = parse_ok(rss2(
            "<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Breaking &amp;amp; "
            "news</title></item>"
            "<item><title><![CDATA[<b>Bold</b> move]]></title></item>"
            "<item><title>x &lt; y &amp; z</title></item>"
            "<item><title>AT&amp;T</title></item>"
            "<item><title>&amp;amp;amp; three</title></item>"
            "<item><title>Tom &amp;#39;s &lt;img src=x onerror=alert(1)&gt;diner</title></item>"
            "<item><title>  spaced\n\t out  </title></item>"));
        REQUIRE(s.items.size() == 7);
        CHECK(s.items[0].term == "Breaking & news");
        CHECK(s.items[1].term == "Bold move");
        CHECK(s.items[2].term == "x < y & z");
        CHECK(s.items[3].term == "AT&T");
        CHECK(s.items[4].term == "&amp; three"); // double-encoded: one HTML pass only
        CHECK(s.items[5].term == "Tom 's diner");
        CHECK(s.items[6].term == "spaced out");
    }

    TEST_CASE("rss: summaries are sanitised text") {
        const Snapshot s = parse_ok(
            rss2("<item><title>A</title><description><![CDATA[<p onclick=\"steal()\">Hello "
                 "<a href=\"javascript:alert(1)\">link</a></p><script>alert(1)</script>"
                 "<style>p{}</style><iframe src=\"https://evil.example/\">x</iframe>world]]>"
                 "</description></item>"
                 "<item><title>B</title><description>&amp;lt;b&amp;gt;literal&amp;lt;/b&amp;gt;"
                 "</description></item>"
                 "<item><title>C</title><description></description><content:encoded><![CDATA["
                 "<p>From content</p>]]></content:encoded></item>"
                 "<item><title>D</title><description>" +
                 std::string(5000, 'w') + "</description></item>"));
        REQUIRE(s.items.size() == 4);
        CHECK(s.items[0].summary == "Hello link world");
        CHECK(s.items[1].summary == "<b>literal</b>"); // escaped twice: text shows the tag
        CHECK(s.items[2].summary == "From content");
        CHECK(s.items[3].summary == std::string(2000, 'w') + "…");
    }

    TEST_CASE("rss: dates in every spelling, bad ones absent with a warning") {
        const Snapshot s = parse_ok(
            rss2("<item><title>A</title><pubDate>Tue, 03 Jun 2003 09:39:21 GMT</pubDate></item>"
                 "<item><title>B</title><pubDate>03 Jun 03 09:39 EDT</pubDate></item>"
                 "<item><title>C</title><pubDate>Tue, 3 Jun 2003 09:39:21 +0200</pubDate></item>"
                 "<item><title>D</title><dc:date>2003-06-03T09:39:21.5-05:00</dc:date></item>"
                 "<item><title>E</title><pubDate>yesterday</pubDate></item>"
                 "<item><title>F</title><pubDate>Tue, 31 Feb 2003 09:39:21 GMT</pubDate>"
                 "<dc:date>2003-06-03</dc:date></item>"
                 "<item><title>G</title><pubDate>Tue Jun  3 09:39:21 2003</pubDate>"
                 "<atom:updated>2003-06-04T00:00:00Z</atom:updated></item>"));
        REQUIRE(s.items.size() == 7);
        CHECK(iso(s.items[0].published_at) == "2003-06-03T09:39:21Z");
        CHECK(iso(s.items[1].published_at) == "2003-06-03T13:39:00Z");
        CHECK(iso(s.items[2].published_at) == "2003-06-03T07:39:21Z");
        CHECK(iso(s.items[3].published_at) == "2003-06-03T14:39:21Z");
        CHECK_FALSE(s.items[4].published_at.has_value());
        CHECK(iso(s.items[5].published_at) == "2003-06-03T00:00:00Z"); // the next source
        CHECK(iso(s.items[6].published_at) == "2003-06-03T09:39:21Z");
        CHECK(iso(s.items[6].updated_at) == "2003-06-04T00:00:00Z");
        REQUIRE(s.warnings.size() == 2);
        CHECK(s.warnings[0] == "entry 5 \"E\": pubDate \"yesterday\" not understood");
        CHECK(s.warnings[1] ==
              "entry 6 \"F\": pubDate \"Tue, 31 Feb 2003 09:39:21 GMT\" not understood");
    }

    TEST_CASE("rss: authors from author, dc:creator and Atom person constructs") {
        const Snapshot s = parse_ok(rss2(
            "<item><title>A</title><author>jo@example.com (Jo Doe)</author></item>"
            "<item><title>B</title><author>jo@example.com</author></item>"
            "<item><title>C</title><dc:creator>Ann</dc:creator><dc:creator>Bo</dc:creator></item>"
            "<item><title>D</title><atom:author><atom:name>Cy</atom:name></atom:author></item>"));
        CHECK(s.items[0].author == "Jo Doe");
        CHECK(s.items[1].author == "jo@example.com");
        CHECK(s.items[2].author == "Ann, Bo");
        CHECK(s.items[3].author == "Cy");
    }

    TEST_CASE("rss: pictures from media, enclosures and the HTML, never from other media") {
        const Snapshot s = parse_ok(rss2(
            "<item><title>A</title><media:group><media:content url=\"https://e.org/v.mp4\" "
            "type=\"video/mp4\"/><media:content url=\"https://e.org/a.jpg\" medium=\"image\"/>"
            "</media:group></item>"
            "<item><title>B</title><enclosure url=\"https://e.org/p.mp3\" length=\"1\" "
            "type=\"audio/mpeg\"/><enclosure url=\"https://e.org/b.jpg\" length=\"1\" "
            "type=\"image/jpeg\"/></item>"
            "<item><title>C</title><enclosure url=\"https://e.org/p.mp3\" "
            "type=\"audio/mpeg\"/></item>"
            "<item><title>D</title><description>&lt;img src=\"https://e.org/px.gif\" width=\"1\" "
            "height=\"1\"&gt;&lt;img src=\"/d.jpg\"&gt;text</description></item>"
            "<item><title>E</title><media:content url=\"javascript:alert(1)\" "
            "medium=\"image\"/></item>"));
        REQUIRE(s.items.size() == 5);
        CHECK(s.items[0].picture == "https://e.org/a.jpg");
        CHECK(s.items[1].picture == "https://e.org/b.jpg");
        CHECK(s.items[2].picture.empty());
        CHECK(s.items[3].picture == "https://news.example.org/d.jpg");
        CHECK(s.items[4].picture.empty());
        REQUIRE(s.warnings.size() == 1);
        CHECK(s.warnings[0] ==
              "entry 5 \"E\": media:content \"javascript:alert(1)\" dropped, not a usable web URL");
    }

    TEST_CASE("rss: links that are not web links are dropped") {
        const Snapshot s = parse_ok(
            rss2("<item><title>A</title><link>javascript:alert(document.cookie)</link></item>"
                 "<item><title>B</title><link>data:text/html,&lt;script&gt;</link></item>"
                 "<item><title>C</title><guid "
                 "isPermaLink=\"false\">http://e.org/not-a-link</guid></item>"
                 "<item><title>D</title><link>  https://e.org/d  </link></item>"));
        CHECK(s.items[0].url.empty());
        CHECK(s.items[1].url.empty());
        CHECK(s.items[2].url.empty());
        CHECK(s.items[3].url == "https://e.org/d");
        CHECK(s.warnings.size() == 2);
    }

    TEST_CASE("rss: comment counts, missing fields and duplicates") {
        const Snapshot s =
            parse_ok(rss2("<item><title>A</title><slash:comments>12</slash:comments></item>"
                          "<item><title>B</title><slash:comments>many</slash:comments></item>"
                          "<item><title>a</title></item>"
                          "<item/>"
                          "<item><title>   </title><link>https://e.org/e</link></item>"));
        REQUIRE(s.items.size() == 5);
        CHECK(s.items[0].comments == 12);
        CHECK_FALSE(s.items[1].comments.has_value());
        CHECK(s.items[2].skip_reason == "same title as entry 1");
        CHECK(s.items[3].skip_reason == "no title");
        CHECK(s.items[3].url.empty());
        CHECK(s.items[4].skip_reason == "no title");
        CHECK(s.items[4].url == "https://e.org/e");
        CHECK(s.items[4].rank == 5);
    }

    TEST_CASE("rss: namespaces are matched by URI, with the usual prefixes as a fallback") {
        const Snapshot s =
            parse_ok("<rss version=\"2.0\" xmlns:x=\"http://purl.org/dc/elements/1.1/\" "
                     "xmlns:m=\"http://search.yahoo.com/mrss\"><channel><title>T</title>"
                     "<atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" rel=\"self\" "
                     "href=\"https://e.org/feed\"/>"
                     "<item><title>A</title><x:creator>Ann</x:creator><m:thumbnail "
                     "url=\"https://e.org/a.jpg\"/>"
                     "</item><item><title>B</title><dc:creator>Undeclared</dc:creator></item></"
                     "channel></rss>");
        REQUIRE(s.items.size() == 2);
        CHECK(s.items[0].author == "Ann");
        CHECK(s.items[0].picture == "https://e.org/a.jpg");
        CHECK(s.items[1].author == "Undeclared");
    }

    TEST_CASE("rss converts legacy charsets and repairs invalid UTF-8") {
        SUBCASE("windows-1252 from the declaration") {
            const Snapshot s = parse_ok("<?xml version=\"1.0\" encoding=\"windows-1252\"?>"
                                        "<rss version=\"2.0\"><channel><title>T</title><item>"
                                        "<title>\x93"
                                        "Caf\xE9\x94 \x80 5</title></item></channel></rss>");
            CHECK(s.items[0].term == "\u201cCaf\u00e9\u201d \u20ac 5");
        }
        SUBCASE("UTF-16LE with a byte order mark") {
            const std::string text =
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\">"
                "<channel><title>T</title><item><title>Hi</title></item>"
                "</channel></rss>";
            std::string utf16 = "\xFF\xFE";
            for (const char c : text) {
                utf16 += c;
                utf16 += '\0';
            }
            const Snapshot s = parse_ok(utf16);
            REQUIRE(s.items.size() == 1);
            CHECK(s.items[0].term == "Hi");
        }
        SUBCASE("the Content-Type charset when the document names none") {
            ParseContext ctx = context();
            ctx.content_type = "application/rss+xml; charset=ISO-8859-1";
            const Snapshot s = parse_ok("<rss version=\"2.0\"><channel><title>T</title><item>"
                                        "<title>M\xFCnchen</title></item></channel></rss>",
                                        ctx);
            CHECK(s.items[0].term == "München");
        }
        SUBCASE("invalid UTF-8 becomes U+FFFD") {
            const Snapshot s = parse_ok(rss2("<item><title>bad \xC3\x28 byte</title></item>"));
            CHECK(s.items[0].term == "bad \uFFFD( byte");
        }
        SUBCASE("an unknown charset is read as UTF-8, with a warning") {
            const Snapshot s = parse_ok("<?xml version=\"1.0\" encoding=\"x-martian\"?>"
                                        "<rss version=\"2.0\"><channel><title>T</title><item>"
                                        "<title>ok</title></item></channel></rss>");
            CHECK(s.items[0].term == "ok");
            REQUIRE(s.warnings.size() == 1);
            CHECK(s.warnings[0] == "unknown charset \"x-martian\", read as UTF-8");
        }
    }

    TEST_CASE("rss caps entries, titles and warnings") {
        SUBCASE("100k entries: the first max_items are kept") {
            std::string items;
            items.reserve(100000 * 40);
            for (int i = 1; i <= 100000; ++i)
                items += "<item><title>t" + std::to_string(i) + "</title></item>";
            const auto start = std::chrono::steady_clock::now();
            const Snapshot s = parse_ok(rss2(items));
            const auto elapsed = std::chrono::steady_clock::now() - start;
            REQUIRE(s.items.size() == 1000);
            CHECK(s.items.back().term == "t1000");
            REQUIRE(s.warnings.size() == 1);
            CHECK(s.warnings[0] == "99000 entries past the cap of 1000 dropped");
            CHECK(elapsed < std::chrono::seconds(5));
        }
        SUBCASE("a long title goes through the term guard: cut, hashed, with a warning") {
            const Snapshot s = parse_ok(rss2("<item><title>" + std::string(999, 'a') + "é" +
                                             std::string(4000, 'b') + "</title></item>"));
            const Snapshot t = parse_ok(rss2("<item><title>" + std::string(999, 'a') + "é" +
                                             std::string(4000, 'c') + "</title></item>"));
            CHECK(s.items[0].term.size() <= trend::feed::k_max_term_bytes);
            CHECK(s.items[0].term.starts_with(std::string(200, 'a')));
            CHECK(s.items[0].term != t.items[0].term); // same start, different terms
            REQUIRE(s.warnings.size() == 1);
            CHECK(s.warnings[0].find("cut to 300") != std::string::npos);
        }
        SUBCASE("at most 100 warnings, then a count") {
            std::string items;
            for (int i = 0; i < 150; ++i)
                items +=
                    "<item><title>t" + std::to_string(i) + "</title><pubDate>bad</pubDate></item>";
            const Snapshot s = parse_ok(rss2(items));
            REQUIRE(s.warnings.size() == 101);
            CHECK(s.warnings.back() == "50 more warnings not shown");
        }
        SUBCASE("documents over max_bytes are refused") {
            ParseContext ctx = context();
            ctx.max_bytes = 100;
            CHECK(parse_error(rss2("<item><title>A</title></item>"), ctx)
                      .starts_with("RSS: document is "));
        }
    }

    TEST_CASE("rss says precisely what a document is when it is not a feed") {
        CHECK(parse_error("") == "RSS: empty document");
        CHECK(parse_error(" \n ") == "RSS: empty document");
        CHECK(parse_error("<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
                          "<body><p>Checking your browser</body></html>") ==
              "RSS: an HTML page, not a feed (title: \"Just a moment...\")");
        CHECK(parse_error("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"
                          "<head><title>x</title></head><body/></html>") ==
              "RSS: document element is <html>: this is a web page, not a feed");
        CHECK(parse_error("<?xml version=\"1.0\"?>\n<html><head><meta "
                          "charset=utf-8></head><body><br></body></html>") ==
              "RSS: an HTML page, not a feed");
        CHECK(parse_error("{\"hits\":[]}") == "RSS: a JSON document, not a feed");
        CHECK(parse_error(")]}'\n{}") == "RSS: a JSON document, not a feed");
        CHECK(parse_error("<opml version=\"2.0\"><body/></opml>") ==
              "RSS: document element is <opml>, not a feed (<rss>, <rdf:RDF> or <feed>)");
        CHECK(parse_error("<rss version=\"2.0\"><title>no channel</title></rss>") ==
              "RSS: <rss> has no <channel>");
        const std::string truncated =
            read_source_file(k_dir + "feed_rss2_bbc_urdu.xml").substr(0, 5000);
        CHECK(parse_error(truncated).starts_with("RSS: not XML: "));
    }

    TEST_CASE("rss drops NUL and other control bytes like every invalid character") {
        const Snapshot s =
            parse_ok(rss2("<item><title>A\x01" + std::string(1, '\0') + "B</title></item>"));
        CHECK(s.items[0].term == "AB");
    }

    TEST_CASE("rss ignores DTDs: no entity expansion") {
        const std::string bomb =
            "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\">"
            "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">"
            "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            "<rss version=\"2.0\"><channel><title>T</title><item><title>&c; &x;</title></item>"
            "</channel></rss>";
        const Snapshot s = parse_ok(bomb);
        REQUIRE(s.items.size() == 1);
        CHECK(s.items[0].term.find("root:") == std::string::npos);
        CHECK(s.items[0].term.size() < 100);
    }
}
