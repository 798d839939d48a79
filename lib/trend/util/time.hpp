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
/** A point in time with millisecond precision: when a feed is due (schedules only). */
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

/**
 * The source of "now". Everything that decides by time (polling, detection, cooldowns,
 * drafting, replay) takes a Clock so that tests and backtests can drive time by hand.
 */
class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual Timestamp now() const = 0;
    /** Now to the millisecond, for schedules: a 2 s interval must not be 1 s or 3 s because
     *  the second was cut off. */
    [[nodiscard]] virtual Instant precise_now() const = 0;
};

/** Wall-clock time. */
class SystemClock final : public Clock {
public:
    [[nodiscard]] Timestamp now() const override;
    [[nodiscard]] Instant precise_now() const override;
};

/** A clock that only moves when told to. Not thread-safe. */
class ManualClock final : public Clock {
    Instant m_now;

public:
    explicit ManualClock(Instant start) : m_now(start) {}
    [[nodiscard]] Timestamp now() const override {
        return std::chrono::floor<Seconds>(m_now);
    }
    [[nodiscard]] Instant precise_now() const override { return m_now; }
    void set(Instant t) { m_now = t; }
    void advance(std::chrono::milliseconds d) { m_now += d; }
};

/** Formats as "2025-11-03T18:21:16Z". */
[[nodiscard]] std::string format_iso(Timestamp t);

/** Parses "2025-11-03T18:21:16Z", "2025-11-03T18:21:16.000Z", "2025-11-03T18:21:16+02:00" and
 *  "2025-11-03 18:21:16" (taken as UTC). Returns nullopt for anything else. */
[[nodiscard]] std::optional<Timestamp> parse_iso(std::string_view text);

/** Parses RFC 822/1123 dates as feeds write them: "Thu, 1 Oct 2026 09:20:00 -0700" (1- or
 *  2-digit day, numeric or named zone). Returns nullopt when it is not such a date. */
[[nodiscard]] std::optional<Timestamp> parse_rfc822(std::string_view text);

/** Parses a duration: "90s", "10m", "6h", "1d", "1h30m", "2w". nullopt when malformed. */
[[nodiscard]] std::optional<Seconds> parse_duration(std::string_view text);

/** The shortest faithful spelling of a duration: 600s -> "10m", 5400s -> "1h30m". */
[[nodiscard]] std::string format_duration(Seconds d);

/** "HH:MM" of a timestamp, UTC. */
[[nodiscard]] std::string format_hhmm(Timestamp t);

} // namespace trend
