// SPDX-License-Identifier: MIT
// The sentence splitter and the evidence ledger on any text: sentences are non-empty pieces of
// the text at their offsets, in order; every traced claim points at a sentence of the evidence
// text it names, at the right offset. The input is a source text, then "\n===\n", then a body.
#include "fuzz_support.hpp"
#include "trend/draft/grounding.hpp"
#include "trend/draft/sentences.hpp"

#include <vector>

using namespace trend;
namespace grounding = trend::draft::grounding;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = fuzz::text_of(data, size);
    const std::size_t cut = input.find("\n===\n");
    const std::string source(input.substr(0, cut));
    // The drafters repair text before the check; so does this.
    const std::string body =
        text::repair_utf8(cut == std::string_view::npos ? input : input.substr(cut + 5));

    std::size_t next = 0;
    for (const draft::Sentence& s : draft::split_sentences(source)) {
        fuzz::check(!s.text.empty(), "a sentence is not empty");
        fuzz::check(s.offset >= next, "sentences are in order and do not overlap", s.text);
        fuzz::check(s.text.data() == source.data() + s.offset, "a sentence is at its offset",
                    s.text);
        next = s.offset + s.text.size();
    }

    const std::vector<grounding::EvidenceText> evidence{{1, 7, "https://a.example/", source},
                                                        {0, 0, "", body}};
    for (const grounding::Trace& t : grounding::trace_claims(body, evidence)) {
        fuzz::check(!t.claim.text.empty(), "a claim has text");
        if (!t.traced())
            continue;
        const std::string& text = t.source == 1 ? source : body;
        fuzz::check(t.offset <= text.size() &&
                        text.compare(t.offset, t.sentence.size(), t.sentence) == 0,
                    "a traced claim's sentence is at its offset", t.sentence);
    }
    return 0;
}
