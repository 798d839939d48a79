// SPDX-License-Identifier: MIT
#pragma once

#include "trend/util/time.hpp"

#include <optional>

namespace trend::pipeline {

/**
 * How long something that failed waits before its next attempt: a feed poll, a draft job, a
 * webhook delivery, a page fetch. One rule for all of them:
 *
 *     wait = max(floor, min(first * 2^(failures-1), max))  +- jitter
 *     wait = max(wait, min(Retry-After, retry_after_max))
 *
 * so a server's Retry-After is honoured (it is never shortened by jitter), but one odd header
 * cannot park a job for years. Pure and copyable; the caller supplies the random draw.
 */
struct RetryPolicy {
    Seconds first{1};              ///< the wait after the first failure
    Seconds max{600};              ///< the exponential wait never grows past this
    Seconds retry_after_max{3600}; ///< Retry-After is honoured up to this
    Seconds floor{0};              ///< never wait less (a feed never polls faster when failing)
    double jitter = 0;             ///< +- this fraction of the wait
    int max_attempts = 0;          ///< attempts before giving up; 0 = never give up

    /** The wait after `failures` failures in a row (>= 1). `unit` in [0, 1) draws the jitter
     *  (0.5 = none). At least one second. */
    [[nodiscard]] Seconds delay(int failures, std::optional<Seconds> retry_after,
                                double unit) const noexcept;

    /** Whether a job that has made `attempts` attempts may make another. */
    [[nodiscard]] bool allows_another(int attempts) const noexcept {
        return max_attempts == 0 || attempts < max_attempts;
    }
};

/** A uniform draw in [0, 1) for jitter, from a per-thread generator seeded once. */
[[nodiscard]] double random_unit();

} // namespace trend::pipeline
