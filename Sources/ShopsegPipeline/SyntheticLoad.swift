import Foundation
import ShopsegIngest
import ShopsegSynth
import ShopsegWarehouse

/// What `shopseg generate --db` did: the generation and the three loads.
public struct SyntheticLoadSummary: Sendable, Codable, Equatable {
    public let generation: GenerationSummary
    public let items: LoadSummary
    public let users: LoadSummary
    public let events: LoadSummary
    /// Rows written to `synthetic_truth`.
    public let truthRows: Int
}

/// Fills a warehouse with a synthetic shop the way a user would: the generator writes temporary
/// files, the ordinary loader loads them (items, users, then events: batches, counts and rejects
/// as for any load), then the planted types go to `synthetic_truth`.
///
/// ```swift
/// let summary = try SyntheticLoad(shop: SyntheticShop(users: 10_000, seed: 1)).run(into: warehouse)
/// ```
public struct SyntheticLoad: Sendable {
    public let shop: SyntheticShop
    public let format: SyntheticFormat

    public init(shop: SyntheticShop, format: SyntheticFormat = .csv) {
        self.shop = shop
        self.format = format
    }

    /// Generates, loads and records the truth. The temporary files are removed however it ends.
    /// - Parameters:
    ///   - generated: called with the number of users written while generating.
    ///   - loading: called before each load with the table's name.
    /// - Throws: ``PipelineError/warehouseHasEvents(database:events:)`` when the warehouse already has
    ///   events (checked first); `SynthError` when a temporary file cannot be written; the loader's errors
    ///   (`WarehouseError`, e.g. the same content loaded before) otherwise. Truth is written only
    ///   after the events committed.
    public func run(into warehouse: Warehouse, generated: ((Int) -> Void)? = nil,
                    loading: ((String) -> Void)? = nil) throws -> SyntheticLoadSummary {
        try warehouse.prepareSchema()
        let loaded = try warehouse.eventCount()
        guard loaded == 0 else { throw PipelineError.warehouseHasEvents(database: warehouse.path, events: loaded) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shopseg-generate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = SyntheticFiles(events: folder.appendingPathComponent("events.\(format.fileExtension)"), format: format)
        let generation = try SyntheticWriter(shop: shop, format: format).write(to: files, progress: generated)

        let sourceFormat: SourceFormat = format == .csv ? .csv : .jsonl
        func load(_ target: LoadTarget, _ file: URL) throws -> LoadSummary {
            loading?(target.rawValue)
            let mapping = SourceMapping.canonical(target: target, format: sourceFormat, delimiter: .comma)
            // Items and users are upserted: a run killed after loading them (before the events) can
            // be run again, loading the same rows again (`force`) instead of stopping at "already loaded".
            var options = LoadOptions(target: target, mapping: mapping, force: target != .events)
            // The temporary file is removed afterwards: the batch names the generation instead.
            options.sourceName = "shopseg generate --users \(shop.users) --days \(shop.days) --seed \(shop.seed) (\(file.lastPathComponent))"
            return try warehouse.load(file: file, options: options)
        }
        let items = try load(.items, files.items)
        let users = try load(.users, files.users)
        let events = try load(.events, files.events)
        let truth = try warehouse.writeSyntheticTruth((0..<shop.users).lazy.map { index in
            (userId: shop.userId(index), plantedSegment: shop.segment(ofUser: index).rawValue)
        })
        return SyntheticLoadSummary(generation: generation, items: items, users: users, events: events, truthRows: truth)
    }
}
