import Foundation

/// ``ContentHash/sha256(of:)`` of a file, computed on its own thread while the batch loads.
///
/// Hashing first and loading after read the file twice in a row: ≈ 1.3–4.6 s at 1M users
/// (1.5 GiB) before the first row was parsed. The loader now asks for the digest between
/// batches (``ready``) and refuses an already-loaded file as soon as it is known — after about
/// the time hashing alone takes — rolling back what it inserted meanwhile.
final class BackgroundHash: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var result: Result<String, any Error>?

    /// Starts hashing `file` on a new thread.
    init(file: URL) {
        let thread = Thread { [self] in
            let outcome = Result { try ContentHash.sha256(of: file) }
            condition.lock()
            result = outcome
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "shopseg-hash"
        thread.start()
    }

    /// The digest when the thread has finished, else `nil` (never waits).
    /// - Throws: the error reading the file.
    func ready() throws -> String? {
        condition.lock()
        defer { condition.unlock() }
        return try result?.get()
    }

    /// The digest, waiting for the thread.
    /// - Throws: the error reading the file.
    func wait() throws -> String {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }
}
