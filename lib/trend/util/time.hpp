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

/**
 * Parses RFC 822/1123 dates as feeds write them, and RFC 850's spelling:
 * "Thu, 1 Oct 2026 09:20:00 -0700", "01 Oct 26 09:20 EST", "Thursday, 01-Oct-26 09:20:00 GMT".
 * - weekday optional (short or long name, never checked against the date), day of 1 or 2 digits;
 * - month as a short or long English name, any case;
 * - year of 4 digits, or 2 (00-49 = 20xx, 50-99 = 19xx, RFC 5322 section 4.3);
 * - time hh:mm or hh:mm:ss;
 * - zone: +hhmm / -hhmm (also +hh:mm), UT, UTC, GMT, Z, the US zones EST EDT CST CDT MST MDT
 *   PST PDT (also AKST AKDT HST), the European WET WEST BST MET MEST CET CEST MESZ EET EEST,
 *   JST, or a military letter as RFC 822 defines it (A = -0100 ... M = -1200, N = +0100 ...
 *   Y = +1200); an ambiguous name ("IST") is refused; no zone at all is taken as UTC;
 * - a trailing comment in parentheses: "+0000 (UTC)".
 * Returns nullopt for anything else, including impossible dates ("31 Feb") and years outside
 * 1000-9998: never a guess.
 */
[[nodiscard]] std::optional<Timestamp> parse_rfc822(std::string_view text);

/**
 * Parses W3C-DTF (ISO 8601 as feeds use it: dc:date, Atom, JSON APIs): "2026-10-01",
 * "2026-10-01T09:20Z", "2026-10-01T09:20:00+02:00", "2026-10-01T09:20:00.123456-07:00"; also
 * a space or a lower-case 't' before the time, 'z', offsets "+0200" and "+02", and no zone
 * (taken as UTC). A date alone is midnight UTC. Fractions of a second are dropped. Coarser
 * dates ("2026", "2026-10") are refused. nullopt for anything else.
 */
[[nodiscard]] std::optional<Timestamp> parse_w3cdtf(std::string_view text);

/** Parses asctime() and date(1) output: "Thu Oct  1 09:20:00 2026",
 *  "Thu Oct  1 09:20:00 UTC 2026" (zones as for parse_rfc822). nullopt for anything else. */
[[nodiscard]] std::optional<Timestamp> parse_asctime(std::string_view text);

/** Any date a news feed writes: W3C-DTF, RFC 822 or asctime, with white space around it
 *  trimmed. nullopt when none of them reads it. */
[[nodiscard]] std::optional<Timestamp> parse_feed_date(std::string_view text);

/** Parses a duration: "90s", "10m", "6h", "1d", "1h30m", "2w". nullopt when malformed or
 *  over 999999999 seconds (about 31 years). */
[[nodiscard]] std::optional<Seconds> parse_duration(std::string_view text);

/** The shortest faithful spelling of a duration: 600s -> "10m", 5400s -> "1h30m". */
[[nodiscard]] std::string format_duration(Seconds d);

/** "HH:MM" of a timestamp, UTC. */
[[nodiscard]] std::string format_hhmm(Timestamp t);

} // namespace trend
