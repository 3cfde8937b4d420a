import Foundation
import ShopsegIngest

/// Settings of one `load`.
public struct LoadOptions: Sendable {
    /// Which table the file feeds.
    public var target: LoadTarget
    /// How the file's columns map to canonical fields; `nil` = a header of canonical names.
    public var mapping: SourceMapping
    /// The mapping file's path, recorded on the batch (nil when none was given).
    public var mappingPath: String?
    /// Load even when the same content was loaded before.
    public var force: Bool = false
    /// Largest share of rejected rows (0...1) that still commits the batch.
    public var maxRejectRate: Double = LoadOptions.defaultMaxRejectRate
    /// What the batch records as `file_path` and messages name; `nil` = the file's path.
    /// (`shopseg generate --db` names its generation: its temporary files are gone afterwards.)
    public var sourceName: String?

    /// 1%: a clean export has no rejects; a few malformed lines are tolerated, a wrong mapping is not.
    public static let defaultMaxRejectRate = 0.01

    public init(target: LoadTarget, mapping: SourceMapping, mappingPath: String? = nil,
                force: Bool = false, maxRejectRate: Double = LoadOptions.defaultMaxRejectRate) {
        self.target = target
        self.mapping = mapping
        self.mappingPath = mappingPath
        self.force = force
        self.maxRejectRate = maxRejectRate
    }
}

/// A source file whose mapping was checked against its header, ready for ``Warehouse/load(_:progress:)``.
public struct CheckedSource {
    public let file: URL
    public let options: LoadOptions
    let reader: SourceFileReader
}

extension LoadOptions {
    /// Checks that `file` exists, is readable and has every column the mapping names,
    /// without touching any database: a command can refuse bad input before it opens one.
    /// - Throws: `IngestError` (`.fileNotFound`, `.unreadable`, `.missingColumn`, `.badMapping`, …).
    public func check(file: URL) throws -> CheckedSource {
        CheckedSource(file: file, options: self, reader: try SourceFileReader(file: file, mapping: mapping, target: target))
    }
}

/// Progress of a running load, reported about twice a second.
public struct LoadProgress: Sendable {
    public let bytesRead: Int
    public let totalBytes: Int
    public let rowsRead: Int
    public let elapsedSeconds: Double
}

/// What a committed load did. `rowsRead = rowsLoaded + rowsRejected` always.
public struct LoadSummary: Sendable, Codable, Equatable {
    public let batchId: Int64
    public let target: String
    public let filePath: String
    public let contentSHA256: String
    public let rowsRead: Int
    public let rowsLoaded: Int
    public let rowsRejected: Int
    public let durationMs: Int
    /// Up to five rejects as `file:line: reason`, for the command's message.
    public let firstRejects: [String]
    /// Things worth knowing that did not stop the load (a view that differs from its file).
    public let warnings: [String]
}
