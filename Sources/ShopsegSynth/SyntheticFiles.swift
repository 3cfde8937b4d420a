import Foundation

/// Where generated files go: the events file as given, and three siblings named after it.
///
/// `out/events.csv` → `out/events.users.csv`, `out/events.items.csv`, `out/events.truth.csv`
/// (the truth file: `user_id, planted_segment`). The siblings take the events file's name
/// without its extension, and the format's extension.
public struct SyntheticFiles: Sendable, Equatable {
    public let events: URL
    public let users: URL
    public let items: URL
    public let truth: URL

    public init(events: URL, format: SyntheticFormat) {
        self.events = events
        let folder = events.deletingLastPathComponent()
        let stem = events.pathExtension.isEmpty ? events.lastPathComponent : events.deletingPathExtension().lastPathComponent
        func sibling(_ kind: String) -> URL { folder.appendingPathComponent("\(stem).\(kind).\(format.fileExtension)") }
        users = sibling("users")
        items = sibling("items")
        truth = sibling("truth")
    }

    public var all: [URL] { [events, users, items, truth] }
}

/// A runtime failure of the generator.
public enum SynthError: Error, Equatable, CustomStringConvertible {
    /// A file could not be created or written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}

/// Appends text to a file through a fixed-size buffer (64 KiB), so memory stays constant.
final class BufferedTextFile {
    let url: URL
    private let handle: FileHandle
    private var buffer = ""
    private(set) var bytesWritten = 0
    static let flushThreshold = 1 << 16

    init(_ url: URL) throws {
        self.url = url
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: url.path) else {
            let folder = url.deletingLastPathComponent().path
            throw SynthError.cannotWrite(path: url.path, reason: FileManager.default.fileExists(atPath: folder)
                                         ? "cannot create the file" : "folder \(folder) does not exist")
        }
        self.handle = handle
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Appends through `body`, flushing when the buffer passes the threshold.
    func append(_ body: (inout String) -> Void) throws {
        body(&buffer)
        if buffer.utf8.count >= Self.flushThreshold { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let data = Data(buffer.utf8)
        do { try handle.write(contentsOf: data) } catch {
            throw SynthError.cannotWrite(path: url.path, reason: "\(error.localizedDescription)")
        }
        bytesWritten += data.count
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try? handle.close()
    }
}
