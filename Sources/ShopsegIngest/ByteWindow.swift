import Foundation

/// A sliding window on a source's bytes: the readers scan `bytes` and ask for more with
/// ``refill(keepingFrom:)`` when a record runs past its end, so a file is read in chunks
/// and memory holds about one chunk plus the longest record, whatever the file's size.
///
/// Made from bytes in memory, the window is the whole input and never refills.
struct ByteWindow {
    /// Bytes of the source from file offset ``base`` on.
    private(set) var bytes: [UInt8]
    /// File offset of `bytes[0]`.
    private(set) var base = 0
    /// `true` once the last byte of the source is in `bytes`.
    private(set) var atEnd: Bool
    /// Set when reading failed; the window then acts as if the source ended.
    private(set) var readError: String?
    private let handle: FileHandle?
    private let chunkSize: Int

    /// Bytes of a UTF-8 byte-order mark at the start of the source (0 or 3); the readers skip it.
    var utf8BOMLength: Int { base == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0 }

    /// 1 MiB: large enough that refills cost nothing next to the scan, small next to any file.
    static let defaultChunkSize = 1 << 20

    init(bytes: [UInt8]) {
        self.bytes = bytes
        atEnd = true
        handle = nil
        chunkSize = bytes.count
    }

    /// Opens the window on `handle` and reads the first chunk (owns the handle from here on).
    init(handle: FileHandle, chunkSize: Int = ByteWindow.defaultChunkSize) {
        self.handle = handle
        self.chunkSize = max(1, chunkSize)
        bytes = []
        bytes.reserveCapacity(self.chunkSize * 2)
        atEnd = false
        // At least the 3 bytes a readers' BOM check looks at, whatever the chunk size.
        while bytes.count < 3, refill(keepingFrom: 0) {}
    }

    /// Drops the bytes before `keep` (indices shift down by `keep`) and appends the next chunk.
    /// A record longer than a chunk doubles the read, so a huge record is rescanned O(log n) times.
    /// - Returns: `false` when nothing more could be read (end of source, or a read error).
    mutating func refill(keepingFrom keep: Int) -> Bool {
        guard !atEnd, let handle else { return false }
        if keep > 0 {
            bytes.removeSubrange(0..<keep)
            base += keep
        }
        do {
            let want = max(chunkSize, bytes.count)
            if let chunk = try handle.read(upToCount: want), !chunk.isEmpty {
                // A short read is not taken as the end: only an empty read is.
                bytes.append(contentsOf: chunk)
                return true
            }
            finish()
            return false
        } catch {
            readError = error.localizedDescription
            finish()
            return false
        }
    }

    private mutating func finish() {
        atEnd = true
        try? handle?.close()
    }
}
