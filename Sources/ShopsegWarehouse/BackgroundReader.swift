import Foundation
import ShopsegIngest

/// Parses a source file on a second thread while the loader inserts: the reader hands over
/// records in file order, in batches of ``batchSize``, through a queue of at most ``capacity``
/// batches (so memory stays a few thousand records, whatever the file's size). Parsing and
/// inserting were each about a third of a load's time; overlapped, a load takes about the
/// longer of the two. Results do not depend on timing: records keep their order.
final class BackgroundReader: @unchecked Sendable {
    /// Records in file order, and the bytes of the file consumed after the last of them.
    struct Batch {
        let records: [ParsedRecord]
        let bytesRead: Int
    }

    static let batchSize = 4096
    static let capacity = 4

    // All below guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var finished = false
    private var cancelled = false
    private var error: String?

    /// Starts reading `reader` on a new thread.
    init(reader: SourceFileReader) {
        let box = ReaderBox(reader)
        let thread = Thread { [self] in produce(&box.reader) }
        thread.name = "shopseg-reader"
        thread.start()
    }

    /// The next batch in file order, waiting for the reader thread; `nil` after the last one.
    func next() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let batch = queue.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Why reading failed part-way (see ``SourceFileReader/readError``); meaningful after ``next()`` gave `nil`.
    var readError: String? {
        condition.lock()
        defer { condition.unlock() }
        return error
    }

    /// Stops the reader thread after its current batch (the loader failed or is done).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    private func produce(_ reader: inout SourceFileReader) {
        while true {
            var records: [ParsedRecord] = []
            records.reserveCapacity(Self.batchSize)
            while records.count < Self.batchSize, let record = reader.next() { records.append(record) }
            let done = records.count < Self.batchSize
            condition.lock()
            while queue.count >= Self.capacity && !cancelled { condition.wait() }
            if cancelled { condition.unlock(); return }
            if !records.isEmpty { queue.append(Batch(records: records, bytesRead: reader.bytesRead)) }
            if done { finished = true; error = reader.readError }
            condition.broadcast()
            condition.unlock()
            if done { return }
        }
    }
}

/// Moves the (non-Sendable) reader to the thread that alone uses it from then on.
private final class ReaderBox: @unchecked Sendable {
    var reader: SourceFileReader
    init(_ reader: SourceFileReader) { self.reader = reader }
}
