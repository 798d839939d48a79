// SPDX-License-Identifier: MIT
// The Markdown escaper on any text: escaped text is inert (no tag, no link, no structure),
// every URL it lets through is an encoded http(s) URL, sanitized model Markdown has no raw HTML
// and no link to anything but http(s), front matter text cannot open a tag, and unescape undoes
// text().
#include "fuzz_support.hpp"
#include "markdown_check.hpp"
#include "trend/draft/markdown.hpp"

using namespace trend;
namespace md = trend::draft::markdown;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::text_of(data, size);

    const std::string escaped = md::text(in);
    if (const auto why = fuzz::unsafe_inline(escaped))
        fuzz::fail(why->c_str(), escaped);
    fuzz::check(fuzz::is_valid_utf8(escaped), "text() is UTF-8", escaped);

    if (const auto url = md::url(in)) {
        fuzz::check(url->starts_with("http://") || url->starts_with("https://"), "http(s) only",
                    *url);
        for (const char c : *url)
            fuzz::check(fuzz::safe_destination_byte(c), "URL bytes are safe", *url);
        fuzz::check(md::url(*url) == url, "url() is idempotent", *url);
    }

    // Split the input into link text and target, as a feed's news item would have them.
    const std::size_t cut = size > 0 ? data[0] % (size + 1) : 0;
    const std::string link = md::link(in.substr(0, cut), in.substr(cut));
    if (const auto why = fuzz::unsafe_markup(link))
        fuzz::fail(why->c_str(), link);

    const std::string heading = md::heading(size % 8, in);
    if (const auto why = fuzz::unsafe_markup(heading))
        fuzz::fail(why->c_str(), heading);

    const std::string sanitized = md::sanitize(in);
    if (const auto why = fuzz::unsafe_markup(sanitized))
        fuzz::fail(why->c_str(), sanitized);
    // Not checked: sanitize(sanitize(x)) == sanitize(x). A link whose text starts a line and
    // runs on to the next is kept by the first pass, then its '[' is escaped as a possible
    // reference definition, and a second pass breaks the now opener-less "](": safe both times.
    if (const auto why = fuzz::unsafe_markup(md::sanitize(sanitized)))
        fuzz::fail(why->c_str(), sanitized);

    const std::string plain = md::front_matter_text(in);
    fuzz::check(plain.find_first_of("<>\n") == std::string::npos &&
                    plain.find("](") == std::string::npos,
                "front matter text is inert", plain);

    // What a reader sees of escaped text is the text (on one line, without bidi controls).
    const std::string seen = md::unescape(escaped);
    fuzz::check(seen == md::unescape(md::text(seen)), "unescape(text(x)) is stable", seen);
    return 0;
}
