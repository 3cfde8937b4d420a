import Foundation

/// Converts naive local wall-clock times in one IANA zone to UTC instants.
///
/// ## DST rule ("compatible", as RFC 5545 and JS Temporal)
/// - A local time that does not exist (the spring-forward gap) is read with the
///   offset in force *before* the transition, which moves it forward by the
///   length of the gap: Europe/London 2011-03-27 01:30 → 01:30 UTC (= 02:30 BST).
/// - A local time that occurs twice (fall-back) takes the *earlier* instant:
///   Europe/London 2011-10-30 01:30 → 00:30 UTC (still BST).
///
/// ## Cost
/// `TimeZone` is asked about each distinct local day at most three times; a day
/// that is at least two days from any transition gets a single cached offset, so
/// a file of 500k rows over one year makes about a thousand `TimeZone` calls.
final class LocalTimeConverter {
    /// The zone's identifier, e.g. `Europe/London`.
    let identifier: String
    private let zone: TimeZone
    private let isUTC: Bool
    /// Per local day (days since 1970-01-01 of the wall-clock date): the one
    /// offset in force all day, or `nil` when a transition is near.
    private var dayOffsets: [Int64: Int64?] = [:]
    private var lastDay: Int64 = .min
    private var lastOffset: Int64? = nil

    /// Returns `nil` when the identifier is not a known time zone.
    init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.zone = zone
        self.isUTC = ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Zulu", "Etc/Zulu", "Universal", "Etc/Universal"]
            .contains(identifier)
    }

    /// The UTC instant of local wall-clock seconds (`days * 86400 + secondOfDay`).
    func utc(localSeconds: Int64) -> Int64 {
        if isUTC { return localSeconds }
        let day = UTCTime.floorDivMod(localSeconds, 86_400).0
        if day != lastDay {
            lastDay = day
            if let cached = dayOffsets[day] {
                lastOffset = cached
            } else {
                let offset = uniformOffset(day: day)
                dayOffsets[day] = offset
                lastOffset = offset
            }
        }
        if let offset = lastOffset { return localSeconds - offset }
        return resolve(localSeconds: localSeconds)
    }

    /// Offset of the zone at a UTC instant, in seconds east of UTC.
    private func offset(atUTC t: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))))
    }

    /// The single offset of a local day if no transition happens within two days of it.
    private func uniformOffset(day: Int64) -> Int64? {
        let start = day * 86_400 - 2 * 86_400
        let end = day * 86_400 + 3 * 86_400
        let a = offset(atUTC: start), b = offset(atUTC: end)
        guard a == b else { return nil }
        if let next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(start))),
           next.timeIntervalSince1970 <= TimeInterval(end) {
            return nil
        }
        return a
    }

    /// The slow path near a transition: the compatible rule.
    private func resolve(localSeconds l: Int64) -> Int64 {
        let before = offset(atUTC: l - 86_400)
        let after = offset(atUTC: l + 86_400)
        var candidates: [Int64] = []
        for o in [before, after] where offset(atUTC: l - o) == o {
            candidates.append(l - o)
        }
        if let earliest = candidates.min() { return earliest }   // normal or repeated time
        return l - before                                          // gap: shift forward
    }
}
