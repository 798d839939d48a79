// SPDX-License-Identifier: MIT
#include "trend/pipeline/host_pacer.hpp"

#include <stdexcept>

namespace trend::pipeline {

bool HostPacer::ready(const std::string& host) const {
    const auto at = ready_at(host);
    return at && *at <= m_clock.precise_now();
}

std::optional<Instant> HostPacer::ready_at(const std::string& host) const {
    const auto it = m_hosts.find(host);
    if (it == m_hosts.end())
        return m_clock.precise_now();
    if (it->second.busy)
        return std::nullopt;
    return it->second.free_at;
}

void HostPacer::start(const std::string& host) {
    if (!ready(host))
        throw std::logic_error("HostPacer::start: " + host + " is not ready");
    m_hosts[host].busy = true;
}

void HostPacer::finish(const std::string& host) {
    Host& h = m_hosts[host];
    h.busy = false;
    h.free_at = m_clock.precise_now() + m_spacing;
}

int HostPacer::busy() const noexcept {
    int n = 0;
    for (const auto& [name, h] : m_hosts)
        n += h.busy ? 1 : 0;
    return n;
}

void HostPacer::prune() {
    const Instant now = m_clock.precise_now();
    std::erase_if(m_hosts,
                  [&](const auto& kv) { return !kv.second.busy && kv.second.free_at <= now; });
}

} // namespace trend::pipeline
