// SPDX-License-Identifier: MIT
// The OpenAI-compatible reply parsers on any body: the completion envelope, the model's JSON
// draft (caps enforced) and error classification.
#include "fuzz_support.hpp"
#include "trend/draft/openai.hpp"

using namespace trend;
namespace openai = trend::draft::openai;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = fuzz::text_of(data, size);
    if (const auto c = openai::parse_completion(body);
        const auto* completion = std::get_if<openai::Completion>(&c)) {
        fuzz::check(!completion->content.empty(), "a completion has content");
        (void)openai::parse_model_draft(completion->content);
    }
    if (const auto m = openai::parse_model_draft(body);
        const auto* d = std::get_if<openai::ModelDraft>(&m)) {
        fuzz::check(!d->title.empty() && d->title.size() <= 300, "title within its cap", d->title);
        fuzz::check(d->body.size() >= 40 && d->body.size() <= 60000, "body within its caps");
        fuzz::check(d->tags.size() <= 8, "at most 8 tags");
        fuzz::check(fuzz::is_valid_utf8(d->title) && fuzz::is_valid_utf8(d->summary) &&
                        fuzz::is_valid_utf8(d->body),
                    "model text is repaired to UTF-8");
    }
    const long status = size > 0 ? 400 + data[0] % 200 : 500;
    const openai::CallFailure f = openai::classify_http_failure(status, body);
    fuzz::check(f.message.starts_with("HTTP "), "a failure names its status", f.message);
    return 0;
}
