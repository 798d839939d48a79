// SPDX-License-Identifier: MIT
#include "trend/pipeline/retry.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace trend::pipeline {

Seconds RetryPolicy::delay(int failures, std::optional<Seconds> retry_after,
                           double unit) const noexcept {
    const auto secs = [](Seconds s) { return static_cast<double>(s.count()); };
    const double exponential =
        secs(first) * std::pow(2.0, std::clamp(failures - 1, 0, 40)); // 2^40 s is past any max
    double wait = std::max(secs(floor), std::min(exponential, secs(max)));
    wait *= 1.0 - jitter + 2.0 * jitter * std::clamp(unit, 0.0, 1.0);
    if (retry_after)
        wait = std::max(wait, secs(std::min(*retry_after, retry_after_max)));
    return Seconds{std::max<long long>(1, std::llround(wait))};
}

double random_unit() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

} // namespace trend::pipeline
