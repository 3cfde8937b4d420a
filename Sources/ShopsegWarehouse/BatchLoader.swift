import Foundation
import GRDB
import ShopsegIngest

/// Loads one source file as one batch: every row lands in its target table or in
/// `load_rejects`, the batch row records the counts, and all of it commits in one
/// transaction — or nothing does (reject rate above the limit, a database error, a crash).
struct BatchLoader {
    let warehouse: Warehouse

    /// 16 MiB (negative: KiB) of page cache while a batch loads (default 2 MiB): constant, whatever the
    /// file's size. 64 MiB measured no faster at 100k users and doubled the peak memory.
    static let loadCacheSize = -16_384

    func load(_ source: CheckedSource, progress: ((LoadProgress) -> Void)?) throws -> LoadSummary {
        // The file and the mapping were checked when `source` was made, before any write.
        let file = source.file, options = source.options
        let totalBytes = source.reader.totalBytes
        // The digest must describe the bytes loaded: a file that grows or is rewritten while it loads
        // is refused (a fresh user's pass appended to a file mid-load; the next load was not refused).
        let fingerprint = Self.fingerprint(file)
        let hashing = BackgroundHash(file: file)
        let schema = try warehouse.prepareSchema()
        let journal = RollbackJournal.enter(warehouse.pool, target: options.target)
        defer { journal.leave(warehouse.pool) }
        let started = Date()
        let filePath = options.sourceName ?? file.path

        return try warehouse.pool.writeWithoutForeignKeyChecks { db in
            // The file's digest is checked as soon as the hashing thread has it: between batches,
            // at the latest before the counts are written (a refused file rolls back its rows).
            var hash: String?
            func refuseIfLoaded(_ digest: String) throws {
                hash = digest
                guard !options.force, let previous = try Row.fetchOne(db, sql: """
                    select batch_id, started_at from load_batches
                    where target = ? and content_sha256 = ? order by batch_id limit 1
                    """, arguments: [options.target.rawValue, digest]) else { return }
                throw WarehouseError.alreadyLoaded(file: filePath, target: options.target.rawValue,
                                                   batchId: previous["batch_id"], loadedAt: previous["started_at"])
            }
            if let digest = try hashing.ready() { try refuseIfLoaded(digest) }
            // content_sha256 is filled in with the counts, once known.
            try db.execute(sql: """
                insert into load_batches (target, file_path, content_sha256, mapping_path, started_at, finished_at,
                                          duration_ms, rows_read, rows_loaded, rows_rejected)
                values (?, ?, '', ?, ?, ?, 0, 0, 0, 0)
                """, arguments: [options.target.rawValue, filePath, options.mappingPath,
                                 Timestamps.iso(started), Timestamps.iso(started)])
            let batchId = db.lastInsertedRowID
            let writer = try RowWriter(db: db, target: options.target, batchId: batchId)
            if options.target == .events { try DeferredIndexes.dropIfEmpty("events", in: db) }
            // A bigger page cache for the batch; not kept after it.
            let cachePages = try Int.fetchOne(db, sql: "pragma cache_size") ?? -2000
            try db.execute(sql: "pragma cache_size = \(Self.loadCacheSize)")
            defer { try? db.execute(sql: "pragma cache_size = \(cachePages)") }

            var loaded = 0, rejected = 0
            var firstRejects: [String] = []
            var lastReport = started
            let records = BackgroundReader(reader: source.reader)
            defer { records.cancel() }
            while let batch = records.next() {
                if hash == nil, let digest = try hashing.ready() { try refuseIfLoaded(digest) }
                for record in batch.records {
                    switch record {
                    case let .accepted(line, row):
                        try writer.insert(row, line: line)
                        loaded += 1
                    case let .rejected(line, rawText, reason):
                        try writer.reject(line: line, rawText: rawText, reason: reason)
                        rejected += 1
                        if firstRejects.count < 5 { firstRejects.append("\(filePath):\(line): \(reason)") }
                    }
                }
                if let progress {
                    let now = Date()
                    if now.timeIntervalSince(lastReport) >= 0.5 {
                        lastReport = now
                        progress(LoadProgress(bytesRead: batch.bytesRead, totalBytes: totalBytes,
                                              rowsRead: loaded + rejected, elapsedSeconds: now.timeIntervalSince(started)))
                    }
                }
            }
            if let problem = records.readError { throw IngestError.unreadable(file: filePath, message: problem) }
            try writer.finish()
            if hash == nil { try refuseIfLoaded(hashing.wait()) }
            if Self.fingerprint(file) != fingerprint { throw WarehouseError.changedWhileLoading(file: filePath) }
            let read = loaded + rejected
            if read == 0 { throw WarehouseError.emptyFile(file: filePath) }
            if Double(rejected) / Double(read) > options.maxRejectRate {
                throw WarehouseError.rejectRateExceeded(file: filePath, rejected: rejected, read: read,
                                                        limit: options.maxRejectRate, firstRejects: firstRejects)
            }
            let finished = Date()
            let durationMs = Int((finished.timeIntervalSince(started) * 1000).rounded())
            try db.execute(sql: """
                update load_batches set content_sha256 = ?, finished_at = ?, duration_ms = ?, rows_read = ?, rows_loaded = ?,
                                        rows_rejected = ?
                where batch_id = ?
                """, arguments: [hash, Timestamps.iso(finished), durationMs, read, loaded, rejected, batchId])
            return LoadSummary(batchId: batchId, target: options.target.rawValue, filePath: filePath, contentSHA256: hash ?? "",
                               rowsRead: read, rowsLoaded: loaded, rowsRejected: rejected, durationMs: durationMs,
                               firstRejects: firstRejects, warnings: schema.differingViewWarnings(sql: warehouse.sql))
        }
    }
}

extension BatchLoader {
    /// What tells a file changed while it loaded: its size and modification time.
    struct Fingerprint: Equatable {
        let size: Int?
        let modified: Date?
    }

    /// `file`'s ``Fingerprint`` (nil when its attributes cannot be read).
    static func fingerprint(_ file: URL) -> Fingerprint? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path) else { return nil }
        return Fingerprint(size: attributes[.size] as? Int, modified: attributes[.modificationDate] as? Date)
    }
}

extension Warehouse {
    /// Loads `file` into `options.target` as one batch (see ``LoadOptions``), after applying
    /// pending migrations and views.
    ///
    /// - Parameter progress: called about twice a second while rows are read.
    /// - Returns: the committed batch's counts.
    /// - Throws: `IngestError` for a missing file, an unreadable mapping or a mapped column the
    ///   file lacks (before anything is written); ``WarehouseError/alreadyLoaded(file:target:batchId:loadedAt:)``,
    ///   ``WarehouseError/rejectRateExceeded(file:rejected:read:limit:firstRejects:)`` or
    ///   ``WarehouseError/emptyFile(file:)`` with nothing written.
    public func load(file: URL, options: LoadOptions, progress: ((LoadProgress) -> Void)? = nil) throws -> LoadSummary {
        try load(options.check(file: file), progress: progress)
    }

    /// Loads a source already checked with ``LoadOptions/check(file:)`` (the file is read once).
    public func load(_ source: CheckedSource, progress: ((LoadProgress) -> Void)? = nil) throws -> LoadSummary {
        try BatchLoader(warehouse: self).load(source, progress: progress)
    }
}
