// SPDX-License-Identifier: MIT
#include "trend/detect/rule.hpp"

#include <algorithm>
#include <stdexcept>

#include <strings.h>

namespace trend::detect {

Rule::Rule(config::RuleConfig config) : m_config(std::move(config)) {
    for (const std::string& m : m_config.match) {
        if (!m.starts_with("re:")) {
            m_terms.push_back(m);
            continue;
        }
        auto compiled = text::Regex::compile(std::string_view(m).substr(3));
        if (auto* error = std::get_if<std::string>(&compiled))
            throw std::invalid_argument("rule \"" + m_config.name + "\": " + *error);
        m_patterns.push_back(std::get<text::Regex>(std::move(compiled)));
    }
}

bool Rule::matches_term(std::string_view norm) const {
    if (m_terms.empty() && m_patterns.empty())
        return true;
    if (std::find(m_terms.begin(), m_terms.end(), norm) != m_terms.end())
        return true;
    return std::any_of(m_patterns.begin(), m_patterns.end(),
                       [&](const text::Regex& re) { return re.search(norm); });
}

bool Rule::applies_to(std::string_view feed_name, std::string_view geo) const {
    if (m_config.geo.empty())
        return true;
    auto same = [](std::string_view a, std::string_view b) {
        return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
    };
    return std::any_of(m_config.geo.begin(), m_config.geo.end(), [&](const std::string& g) {
        return same(g, feed_name) || (!geo.empty() && same(g, geo));
    });
}

std::vector<Rule> compile_rules(const std::vector<config::RuleConfig>& rules) {
    std::vector<Rule> out;
    out.reserve(rules.size());
    for (const auto& r : rules)
        out.emplace_back(r);
    return out;
}

} // namespace trend::detect
