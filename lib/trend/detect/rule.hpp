// SPDX-License-Identifier: MIT
#pragma once

#include "trend/config/config.hpp"
#include "trend/util/regex.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace trend::detect {

/**
 * A [[rule]] made ready to evaluate: exact terms (normalised) and `re:` patterns compiled once
 * (RE2, case-insensitive, linear time).
 * Immutable after construction, so it may be shared across threads.
 */
class Rule final {
    config::RuleConfig m_config;
    std::vector<std::string> m_terms;
    std::vector<text::Regex> m_patterns;

public:
    /** Throws std::invalid_argument for a pattern RE2 refuses (config validation reports it
     *  first, as FILE:LINE). */
    explicit Rule(config::RuleConfig config);

    [[nodiscard]] const config::RuleConfig& config() const noexcept { return m_config; }
    [[nodiscard]] const std::string& name() const noexcept { return m_config.name; }

    /** True when `norm` (a normalised term) is one of the rule's terms or matches one of its
     *  patterns; every term matches a rule without `match`. */
    [[nodiscard]] bool matches_term(std::string_view norm) const;

    /** True when the rule's `geo` list is empty or names the feed or its geo (any case). */
    [[nodiscard]] bool applies_to(std::string_view feed_name, std::string_view geo) const;
};

/** Compiles every rule of a config. */
[[nodiscard]] std::vector<Rule> compile_rules(const std::vector<config::RuleConfig>& rules);

} // namespace trend::detect
