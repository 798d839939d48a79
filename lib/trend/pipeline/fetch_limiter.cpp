// SPDX-License-Identifier: MIT
#include "trend/pipeline/fetch_limiter.hpp"

#include <algorithm>

namespace trend::pipeline {

bool FetchLimiter::fits(const std::string& host) const {
    const auto it = m_by_host.find(host);
    return m_active < m_total && (it == m_by_host.end() || it->second < m_per_host);
}

void FetchLimiter::take(const std::string& host) {
    ++m_active;
    ++m_by_host[host];
}

bool FetchLimiter::acquire(const std::string& key, const std::string& host) {
    if (fits(host)) {
        take(host);
        return true;
    }
    m_waiting.emplace_back(key, host);
    return false;
}

void FetchLimiter::release(const std::string& host) {
    if (m_active > 0)
        --m_active;
    auto it = m_by_host.find(host);
    if (it != m_by_host.end() && --it->second <= 0)
        m_by_host.erase(it);
}

std::optional<std::pair<std::string, std::string>> FetchLimiter::next() {
    for (auto it = m_waiting.begin(); it != m_waiting.end(); ++it) {
        if (fits(it->second)) {
            auto entry = std::move(*it);
            take(entry.second);
            m_waiting.erase(it);
            return entry;
        }
    }
    return std::nullopt;
}

void FetchLimiter::forget(const std::string& key) {
    m_waiting.erase(std::remove_if(m_waiting.begin(), m_waiting.end(),
                                   [&](const auto& w) { return w.first == key; }),
                    m_waiting.end());
}

} // namespace trend::pipeline
