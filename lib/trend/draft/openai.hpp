// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/draft/builtin_drafter.hpp"
#include "trend/draft/story.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

/**
 * The OpenAI chat-completions protocol, as pure functions: the prompt, the request body, the
 * reply and its validation, error classification and cost. Any compatible server works
 * (OpenAI, Azure-style gateways, vLLM, llama.cpp's server, Ollama). The transfer itself is the
 * draft worker's (an HttpClient transfer on the daemon's loop). docs/drafting.md explains it.
 */
namespace trend::draft::openai {

struct Prompt {
    std::string system;
    std::string user;
};

/**
 * The instructions (the sections to write, a [n] citation on every factual sentence, in
 * `language`, quotes translated) and the story: its term and related searches, each source as
 * `<source n="1" outlet="..." url="...">` with its title, snippet and the most relevant
 * paragraphs of its extracted text (relevant_paragraphs, ~600 tokens a source, ~3,600 in
 * all), and our own data in `<data>`. Content is escaped ('<' and '>' as &lt; &gt;, '"' in
 * attributes as &quot;) so that no page can close its block; the detection rule, threshold and
 * reason are never in it.
 */
[[nodiscard]] Prompt build_prompt(const Story& story, const std::vector<Source>& sources,
                                  const std::vector<std::string>& facts,
                                  std::string_view language = "en");

/** The paragraphs of `page` that share the most words (3+ letters, any case) with `topic`,
 *  most first (ties in text order), as many as fit in `budget` bytes; a first paragraph longer
 *  than the budget is cut (at a character) and ends with "…". */
[[nodiscard]] std::vector<std::string>
relevant_paragraphs(const PageText& page, std::string_view topic, std::size_t budget);

/** The JSON body of POST {base_url}/chat/completions (JSON object reply requested). */
[[nodiscard]] std::string request_body(const Prompt& prompt, const config::OpenAIConfig& cfg);

struct Usage {
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    std::optional<std::int64_t> cached_tokens;
};

struct Completion {
    std::string content;
    std::string model; ///< as the server reports it
    Usage usage;
};

/** Reads a 200 reply: choices[0].message.content and usage. An error message otherwise. */
[[nodiscard]] std::variant<Completion, std::string> parse_completion(std::string_view body);

/** What the model must return inside content. */
struct ModelDraft {
    std::string title;
    std::string summary;
    std::vector<std::string> tags;
    std::string body;
};

/** Validates content as {"title","summary","tags":[...],"body"} (tolerating a ```json fence);
 *  the reason it does not validate otherwise. */
[[nodiscard]] std::variant<ModelDraft, std::string> parse_model_draft(std::string_view content);

/** How a failed call should be handled. */
struct CallFailure {
    bool retryable = false;
    std::string message; ///< "HTTP 429 rate_limit_exceeded: Rate limit reached ..."
};

/** Classifies a non-200 reply: 429 (except insufficient_quota), 408, 409 and 5xx retry;
 *  everything else (400, 401, 403, 404, ...) does not. The provider's message is kept. */
[[nodiscard]] CallFailure classify_http_failure(long status, std::string_view body);

/** USD of a call at the configured prices (per million tokens). */
[[nodiscard]] double cost_usd(const Usage& usage, const config::OpenAIConfig& cfg);

/** The most a call with this prompt can cost: prompt tokens estimated generously from its size
 *  (one token per 3 bytes) plus max_tokens of completion. */
[[nodiscard]] double worst_case_usd(const Prompt& prompt, const config::OpenAIConfig& cfg);

/** The model's body made ours: made safe (markdown::sanitize: no raw HTML, http(s) links
 *  only), a leading H1 removed (the title is the front matter's), any Sources section it wrote
 *  removed, our numbered Sources list and
 *  attribution appended. */
[[nodiscard]] std::string finish_body(const ModelDraft& d, const std::vector<Source>& sources,
                                      const Story& story);

/** `text` with every occurrence of `secret` replaced by "[redacted]" (no-op for ""). */
[[nodiscard]] std::string scrub(std::string text, std::string_view secret);

} // namespace trend::draft::openai
