import Dispatch

/// The smallest of n candidate values, found on up to `workers` threads.
///
/// The nearest-neighbour scans of hierarchical clustering are O(n) (or O(n·d))
/// each and are repeated O(n) times; splitting each scan across both cores
/// halves the dominant cost. Ties are broken by the smaller `key` (a cluster's
/// id), so the minimum is a total order and the result is identical whatever the
/// thread count or how the range is split.
enum ParallelMinimum {
    /// A scanned candidate: its `value`, its tie-breaking `key` and its position.
    struct Candidate {
        var value: Double
        var key: Int
        var position: Int

        static let none = Candidate(value: .infinity, key: Int.max, position: -1)

        /// Whether `self` comes before `other` in (value, key) order.
        @inline(__always)
        func precedes(_ other: Candidate) -> Bool {
            value < other.value || (value == other.value && key < other.key)
        }
    }

    /// How a scan may be split.
    struct Plan: Sendable {
        /// Threads to use at most.
        var workers: Int
        /// Below this many positions a scan runs on the calling thread: dispatch
        /// costs a few microseconds, about the time to scan a few thousand short
        /// rows. Each worker gets at least half of it.
        var threshold: Int = 4096
    }

    /// The minimum over `body(range)` for ranges splitting `0..<count` into one
    /// part per worker; `body` returns the minimum of its range (or `.none`).
    static func scan(count: Int, plan: Plan, _ body: (Range<Int>) -> Candidate) -> Candidate {
        let w = min(plan.workers, max(1, count / max(1, plan.threshold / 2)))
        if w <= 1 { return body(0..<count) }
        return withUnsafeTemporaryAllocation(of: Candidate.self, capacity: w) { slots in
            slots.initialize(repeating: .none)
            withoutActuallyEscaping(body) { body in
                // Each worker writes only its own slot.
                let shared = UncheckedSendable(value: (slots, body))
                DispatchQueue.concurrentPerform(iterations: w) { part in
                    let (slots, body) = shared.value
                    slots[part] = body((count * part / w)..<(count * (part + 1) / w))
                }
            }
            var best = Candidate.none
            for c in slots where c.precedes(best) { best = c }
            return best
        }
    }
}
