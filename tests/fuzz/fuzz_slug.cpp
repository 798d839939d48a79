// SPDX-License-Identifier: MIT
// draft::slugify on any term: [a-z0-9-] only, no leading/trailing/doubled '-', never empty,
// within its length cap; stable.
#include "fuzz_support.hpp"
#include "trend/draft/slug.hpp"

using namespace trend;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = fuzz::text_of(data, size);
    const std::size_t max_len = size > 0 ? data[0] % 100 : 80;
    const std::string slug = draft::slugify(in, max_len);
    fuzz::check(!slug.empty(), "a slug is never empty", in);
    fuzz::check(slug.size() <= std::max<std::size_t>(max_len, 14), "a slug fits its cap", slug);
    fuzz::check(slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
                    std::string::npos,
                "a slug is [a-z0-9-]", slug);
    fuzz::check(slug.front() != '-' && slug.back() != '-' && slug.find("--") == std::string::npos,
                "no leading, trailing or doubled '-'", slug);
    fuzz::check(draft::slugify(in, max_len) == slug, "slugify is pure", slug);
    return 0;
}
