import Dispatch
import Foundation

/// Deterministic data parallelism over fixed-size chunks of rows.
///
/// Rows `0..<count` are cut into chunks of `chunkSize` rows. The cut depends only
/// on `count` and `chunkSize`, never on the number of threads; each chunk is
/// computed by exactly one worker and the per-chunk results come back in chunk
/// order, so a caller that reduces them in that order gets bitwise-identical
/// results whatever the thread count. Workers are run with
/// `DispatchQueue.concurrentPerform`.
public enum ChunkedParallel {
    /// Default worker count: the active processor count (at least 1).
    public static var defaultWorkerCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The row ranges of the chunks of `0..<count`.
    static func chunks(count: Int, chunkSize: Int) -> [Range<Int>] {
        precondition(chunkSize > 0, "chunkSize=\(chunkSize) should be > 0")
        return stride(from: 0, to: count, by: chunkSize).map { $0..<min($0 + chunkSize, count) }
    }

    /// Computes `body(chunkIndex, rowRange)` for every chunk, on up to `workers`
    /// threads, and returns the results in chunk order.
    public static func map<T>(count: Int, chunkSize: Int, workers: Int,
                       _ body: (Int, Range<Int>) -> T) -> [T] {
        let ranges = chunks(count: count, chunkSize: chunkSize)
        let w = max(1, min(workers, ranges.count))
        if w == 1 {
            return ranges.enumerated().map { body($0.offset, $0.element) }
        }
        var results = [T?](repeating: nil, count: ranges.count)
        results.withUnsafeMutableBufferPointer { slots in
            withoutActuallyEscaping(body) { body in
                // Each chunk index is visited by exactly one worker (worker, worker + w, …),
                // so workers write disjoint slots; callers' bodies write disjoint row ranges.
                let shared = UncheckedSendable(value: (slots, body))
                DispatchQueue.concurrentPerform(iterations: w) { worker in
                    let (slots, body) = shared.value
                    var c = worker
                    while c < ranges.count {
                        slots[c] = body(c, ranges[c])
                        c += w
                    }
                }
            }
        }
        return results.map { $0! }
    }

    /// Calls `body(worker, chunkIndex, rowRange)` for every chunk, on up to `workers` threads;
    /// `worker` is in `0..<min(workers, chunk count)`, so a caller can give each worker its own
    /// scratch buffer (a worker runs its chunks one after another) and keep results in
    /// per-chunk slots — no allocation per chunk.
    static func forEach(count: Int, chunkSize: Int, workers: Int,
                        _ body: (_ worker: Int, _ chunk: Int, _ rows: Range<Int>) -> Void) {
        let ranges = chunks(count: count, chunkSize: chunkSize)
        let w = workerCount(count: count, chunkSize: chunkSize, workers: workers)
        if w == 1 {
            for (c, r) in ranges.enumerated() { body(0, c, r) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(value: body)
            DispatchQueue.concurrentPerform(iterations: w) { worker in
                var c = worker
                while c < ranges.count {
                    shared.value(worker, c, ranges[c])
                    c += w
                }
            }
        }
    }

    /// Threads `forEach` uses: `workers`, at most one per chunk, at least 1.
    static func workerCount(count: Int, chunkSize: Int, workers: Int) -> Int {
        max(1, min(workers, (count + chunkSize - 1) / chunkSize))
    }
}

/// Carries non-Sendable values (buffer pointers, closures over them) into
/// `concurrentPerform`, where the chunking guarantees disjoint writes.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
