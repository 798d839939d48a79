// SPDX-License-Identifier: MIT
// The grounding check's claim scanner on any Markdown: claims are non-empty pieces of the body,
// a body is its own evidence, and citation checks never fail.
#include "fuzz_support.hpp"
#include "trend/draft/grounding.hpp"

using namespace trend;
namespace grounding = trend::draft::grounding;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The drafters repair text before the check; so does this.
    const std::string body = text::repair_utf8(fuzz::text_of(data, size));
    const auto claims = grounding::extract_claims(body);
    for (const auto& c : claims)
        fuzz::check(!c.text.empty(), "a claim has text");
    const std::vector<std::string> evidence{body};
    (void)grounding::unverified_claims(body, evidence);
    (void)grounding::citation_problems(body, size % 9);
    return 0;
}
