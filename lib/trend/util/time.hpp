// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace trend {

/** A point in time, UTC, second resolution: what the database and the feeds carry. */
using Timestamp = std::chrono::sys_seconds;
using Seconds = std::chrono::seconds;

/**
 * The source of "now". Everything that decides by time (polling, detection, cooldowns,
 * drafting, replay) takes a Clock so that tests and backtests can drive time by hand.
 */
class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual Timestamp now() const = 0;
};

/** Wall-clock time. */
class SystemClock final : public Clock {
public:
    [[nodiscard]] Timestamp now() const override;
};

/** A clock that only moves when told to. Not thread-safe. */
class ManualClock final : public Clock {
    Timestamp m_now;

public:
    explicit ManualClock(Timestamp start) : m_now(start) {}
    [[nodiscard]] Timestamp now() const override { return m_now; }
    void set(Timestamp t) { m_now = t; }
    void advance(Seconds d) { m_now += d; }
};

/** Formats as "2025-11-03T18:21:16Z". */
[[nodiscard]] std::string format_iso(Timestamp t);

/** Parses "2025-11-03T18:21:16Z", "2025-11-03T18:21:16.000Z", "2025-11-03T18:21:16+02:00" and
 *  "2025-11-03 18:21:16" (taken as UTC). Returns nullopt for anything else. */
[[nodiscard]] std::optional<Timestamp> parse_iso(std::string_view text);

/** Parses RFC 822/1123 dates as feeds write them: "Thu, 1 Oct 2026 09:20:00 -0700" (1- or
 *  2-digit day, numeric or named zone). Returns nullopt when it is not such a date, or not
 *  between 1970 and 9999. */
[[nodiscard]] std::optional<Timestamp> parse_rfc822(std::string_view text);

/** Parses a duration: "90s", "10m", "6h", "1d", "1h30m", "2w". nullopt when malformed or
 *  over 999999999 seconds (about 31 years). */
[[nodiscard]] std::optional<Seconds> parse_duration(std::string_view text);

/** The shortest faithful spelling of a duration: 600s -> "10m", 5400s -> "1h30m". */
[[nodiscard]] std::string format_duration(Seconds d);

/** "HH:MM" of a timestamp, UTC. */
[[nodiscard]] std::string format_hhmm(Timestamp t);

} // namespace trend
