import Foundation

/// Reads one source file and yields a ``ParsedRecord`` per record.
///
/// The initializer opens the file, reads the header, and validates the mapping
/// against the target and the header, so every mapping problem is thrown before
/// the first row is produced. ``next()`` then yields records in file order:
/// accepted canonical rows, or rejects with their line, raw text and reason.
/// Exact repeated lines are kept (they are separate real events).
///
/// ```swift
/// var reader = try SourceFileReader(file: url, mapping: mapping, target: .events)
/// while let record = reader.next() {
///     switch record {
///     case .accepted(let line, let row): …
///     case .rejected(let line, let raw, let reason): …
///     }
/// }
/// ```
public struct SourceFileReader {
    /// Size of the file in bytes.
    public let totalBytes: Int
    /// Bytes consumed so far, for a progress line.
    public private(set) var bytesRead: Int
    /// Column names from the header (or `columns:`, or "1", "2", …); JSON Lines: empty.
    public let header: [String]

    // Exactly one of the two readers is set. Two optionals rather than an enum: a reader in an
    // enum payload cannot be advanced in place, and moving it out and back per record cost
    // copies, retains and releases of its buffers.
    private var csv: CSVReader?
    /// `csv != nil`, kept apart: comparing the optional with nil copied the reader per record.
    private let isCSV: Bool
    private var jsonl: JSONLinesReader?
    /// JSON Lines: the mapped keys, by slot.
    private var keys: [String] = []
    private let mapper: RowMapper
    /// Exact field count a CSV record must have, or the minimum when `atLeast`.
    private let expectedFields: Int
    private let atLeast: Bool

    /// Opens `file` and prepares to map it to `target`.
    ///
    /// - Throws: ``IngestError/fileNotFound(file:)``, ``IngestError/unreadable(file:message:)``,
    ///   ``IngestError/badMapping(file:message:)``, ``IngestError/missingColumn(file:column:field:available:)``,
    ///   ``IngestError/missingHeader(file:)``.
    public init(file: URL, mapping: SourceMapping, target: LoadTarget) throws {
        try self.init(file: file, mapping: mapping, target: target, chunkSize: ByteWindow.defaultChunkSize)
    }

    /// As ``init(file:mapping:target:)``, reading `chunkSize` bytes at a time (tests use tiny chunks).
    init(file: URL, mapping: SourceMapping, target: LoadTarget, chunkSize: Int) throws {
        let path = file.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IngestError.fileNotFound(file: path)
        }
        guard !isDirectory.boolValue else { throw IngestError.unreadable(file: path, message: "it is a directory") }
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        guard type == .typeRegular else {
            throw IngestError.unreadable(file: path, message: "not a regular file (pipes and standard input are not supported: save the data to a file first)")
        }
        // Streamed in chunks: memory does not grow with the file.
        let handle: FileHandle, size: Int
        do {
            handle = try FileHandle(forReadingFrom: file)
            size = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
        } catch {
            throw IngestError.unreadable(file: path, message: error.localizedDescription)
        }
        let window = ByteWindow(handle: handle, chunkSize: chunkSize)
        if let problem = window.readError { throw IngestError.unreadable(file: path, message: problem) }
        try self.init(window: window, totalBytes: size, name: path, mapping: mapping, target: target)
    }

    /// Reads from bytes in memory; `name` stands for the file in messages.
    public init(bytes: [UInt8], name: String, mapping: SourceMapping, target: LoadTarget) throws {
        try self.init(window: ByteWindow(bytes: bytes), totalBytes: bytes.count, name: name, mapping: mapping, target: target)
    }

    private init(window: ByteWindow, totalBytes: Int, name: String, mapping: SourceMapping, target: LoadTarget) throws {
        try mapping.validate(for: target)
        self.totalBytes = totalBytes
        // A UTF-16 export (Excel's "Unicode text") would otherwise fail on its first NUL byte.
        if window.bytes.starts(with: [0xFF, 0xFE]) || window.bytes.starts(with: [0xFE, 0xFF]) {
            throw IngestError.unreadable(file: name, message: "it is UTF-16 text (byte-order mark "
                + (window.bytes[0] == 0xFF ? "FF FE" : "FE FF") + "); shopseg reads UTF-8: convert it first, "
                + "e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8")
        }
        switch mapping.format {
        case .jsonl:
            var keys: [String] = []
            var index: [String: Int] = [:]
            for name in mapping.fields.values.map(\.column) where index[name] == nil {
                index[name] = keys.count; keys.append(name)
            }
            let reader = JSONLinesReader(window: window)
            mapper = try RowMapper(mapping: mapping, target: target, sourceWord: "key") { index[$0] }
            jsonl = reader
            isCSV = false
            self.keys = keys
            header = []
            expectedFields = 0; atLeast = true
            bytesRead = reader.bytesConsumed
        case .csv:
            var reader = CSVReader(window: window, delimiter: mapping.delimiter)
            var names: [String]
            if mapping.hasHeader {
                guard reader.nextRecord() else { throw IngestError.missingHeader(file: name) }
                names = reader.fields.map(RowMapper.trimmed)
                if let problem = reader.malformed {
                    throw IngestError.unreadable(file: name, message: "line \(reader.line): header: \(problem)")
                }
                // Lines ended by CR alone (old Mac exports) read as one record: say so, whatever
                // the mapping, instead of "no data rows" or a missing column.
                if names.contains(where: { $0.contains("\r") }) {
                    throw IngestError.unreadable(file: name, message: "line 1: the header holds a carriage return: the file "
                        + "seems to end its lines with CR only (old Mac); convert them first, e.g. "
                        + "tr '\\r' '\\n' < FILE > FILE.unix")
                }
            } else {
                names = mapping.columns ?? []
            }
            let byPosition = !mapping.hasHeader && mapping.columns == nil
            var index: [String: Int] = [:]
            for (i, n) in names.enumerated() where index[n] == nil { index[n] = i }
            if !byPosition {
                for column in Set(mapping.fields.values.map(\.column)) {
                    let positions = names.indices.filter { names[$0] == column }.map { $0 + 1 }
                    if positions.count > 1 { throw IngestError.ambiguousColumn(file: name, column: column, positions: positions) }
                }
                // A canonical header (no mapping file) that has only the key is a file of another kind.
                let optional = mapping.fields.filter { $0.value.isOptional }
                if target != .events, !optional.isEmpty, optional.count == mapping.fields.count - 1,
                   !optional.values.contains(where: { index[$0.column] != nil }) {
                    throw IngestError.noFieldsForTarget(file: name, target: target.rawValue,
                                                        expected: optional.keys.sorted(), header: names)
                }
            }
            for (field, spec) in mapping.fields.sorted(by: { $0.key < $1.key }) where !byPosition && !spec.isOptional {
                if index[spec.column] == nil {
                    throw IngestError.missingColumn(file: name, column: spec.column, field: field, available: names)
                }
            }
            let positions = byPosition
            mapper = try RowMapper(mapping: mapping, target: target, sourceWord: "column") { column in
                if positions { return Int(column).map { $0 - 1 } }
                return index[column]
            }
            if byPosition {
                let highest = mapping.fields.values.compactMap { Int($0.column) }.max() ?? 0
                expectedFields = highest; atLeast = true
                names = (0..<highest).map { String($0 + 1) }
            } else {
                expectedFields = names.count; atLeast = false
            }
            header = names
            csv = reader
            isCSV = true
            bytesRead = reader.bytesConsumed
        }
    }

    /// Why reading the file failed part-way (the records before were good), or `nil`.
    /// A loader checks it after ``next()`` returned `nil`.
    public var readError: String? {
        csv?.readError ?? jsonl?.readError
    }

    /// The next record, or `nil` at the end of the file.
    public mutating func next() -> ParsedRecord? {
        if isCSV { return nextCSV() }
        return nextJSONLine()
    }

    private mutating func nextCSV() -> ParsedRecord? {
        defer { bytesRead = csv!.bytesConsumed }
        guard csv!.nextRecord() else { return nil }
        // `csv!.…` reads in place; a `let` copy of the reader would retain its buffers per record.
        if let problem = csv!.malformed {
            return .rejected(line: csv!.line, rawText: csv!.rawText, reason: problem)
        }
        let count = csv!.fieldCount
        if atLeast ? count < expectedFields : count != expectedFields {
            let expected = atLeast ? "at least \(expectedFields)" : "\(expectedFields)"
            return .rejected(line: csv!.line, rawText: csv!.rawText,
                             reason: "expected \(expected) field\(expectedFields == 1 ? "" : "s"), found \(count)")
        }
        let mapped = csv!.withRecord { bytes, spans in mapper.map(CSVRecordValues(bytes: bytes, spans: spans)) }
        switch mapped {
        case .success(let row): return .accepted(line: csv!.line, row: row)
        case .failure(let reason): return .rejected(line: csv!.line, rawText: csv!.rawText, reason: reason.text)
        }
    }

    private mutating func nextJSONLine() -> ParsedRecord? {
        defer { bytesRead = jsonl!.bytesConsumed }
        guard jsonl!.nextRecord() else { return nil }
        let reader = jsonl.unsafelyUnwrapped
        if let problem = reader.malformed {
            return .rejected(line: reader.line, rawText: reader.rawText, reason: problem)
        }
        switch mapper.map(JSONRecordValues(object: reader.object, keys: keys)) {
        case .success(let row): return .accepted(line: reader.line, row: row)
        case .failure(let reason): return .rejected(line: reader.line, rawText: reader.rawText, reason: reason.text)
        }
    }
}

/// Field values of the current CSV record, by column index: bytes in the reader's window.
private struct CSVRecordValues: RecordValues {
    let bytes: UnsafeBufferPointer<UInt8>
    let spans: UnsafeBufferPointer<FieldSpan>

    func withValue<T>(slot: Int, _ body: (SourceValue) -> T) -> T {
        let span = spans[slot]
        if !span.escaped { return body(.text(UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))) }
        // Quotes to remove (rare): through a String.
        var text = CSVReader.text(of: span, in: bytes)
        return text.withUTF8 { body(.text($0)) }
    }
}

/// Values of a JSON object, by the position of their key in the mapped keys.
private struct JSONRecordValues: RecordValues {
    let object: [String: JSONFieldValue]
    let keys: [String]

    func withValue<T>(slot: Int, _ body: (SourceValue) -> T) -> T {
        switch object[keys[slot]] {
        case .text(var s): return s.withUTF8 { body(.text($0)) }
        case .null: return body(.null)
        case .nested: return body(.nested)
        case nil: return body(.missing)
        }
    }
}
