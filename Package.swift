// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "shopseg",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shopseg", targets: ["shopseg"]),
        .library(name: "ShopsegEngine", targets: ["ShopsegEngine"]),
        .library(name: "ShopsegWarehouse", targets: ["ShopsegWarehouse"]),
        .library(name: "ShopsegPipeline", targets: ["ShopsegPipeline"]),
        .library(name: "ShopsegSynth", targets: ["ShopsegSynth"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // System OpenBLAS + LAPACKE (Debian: libopenblas-dev, liblapacke-dev).
        .systemLibrary(
            name: "CBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        // Numeric engine: matrices, preparation, k-means, metrics. Never imports SQLite.
        .target(
            name: "ShopsegEngine",
            dependencies: ["CBLAS"]),
        // Ingest: reading source logs (CSV, JSON Lines), mappings (YAML), timestamps. No SQLite.
        .target(
            name: "ShopsegIngest",
            dependencies: [.product(name: "Yams", package: "Yams")]),
        // One C call Swift cannot make (sqlite3_config is variadic): SQLite process settings.
        .target(
            name: "CSQLiteSetup",
            linkerSettings: [.linkedLibrary("sqlite3")]),
        // Warehouse: SQLite schema, loaders, feature reader, result writers.
        .target(
            name: "ShopsegWarehouse",
            dependencies: [
                "ShopsegIngest",
                "ShopsegEngine",  // BackgroundValue only: the warehouse does no numeric work
                "CSQLiteSetup",
                .product(name: "GRDB", package: "GRDB.swift"),
                // Raw sqlite3_bind/step on GRDB's statement handle for the events insert (see RowWriter).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("../../migrations"), .copy("../../queries")]),
        // Synthetic shop: seeded generator of behaviour logs with planted customer types. No SQLite.
        .target(
            name: "ShopsegSynth",
            dependencies: ["ShopsegEngine", "ShopsegIngest"]),
        // Pipeline: orchestration of a build (features → engine → writers → publish).
        .target(
            name: "ShopsegPipeline",
            dependencies: ["ShopsegEngine", "ShopsegWarehouse", "ShopsegSynth"]),
        // The command-line tool: parsing and printing only.
        .executableTarget(
            name: "shopseg",
            dependencies: [
                "ShopsegPipeline", "ShopsegWarehouse", "ShopsegSynth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Benchmark driver for scripts/bench.sh (times the engine on matrix files); not shipped.
        .executableTarget(name: "shopseg-bench", dependencies: ["ShopsegEngine"], path: "bench/swift"),
        .testTarget(name: "ShopsegEngineTests", dependencies: ["ShopsegEngine"]),
        .testTarget(name: "ShopsegIngestTests", dependencies: ["ShopsegIngest"],
                    resources: [.copy("../Fixtures")]),
        // Temporary folders and databases shared by the warehouse and pipeline tests.
        .target(name: "ShopsegTestSupport", dependencies: ["ShopsegWarehouse"], path: "Tests/ShopsegTestSupport"),
        .testTarget(name: "ShopsegWarehouseTests", dependencies: ["ShopsegWarehouse", "ShopsegTestSupport"]),
        .testTarget(name: "ShopsegPipelineTests", dependencies: ["ShopsegPipeline", "ShopsegEngine", "ShopsegTestSupport"]),
        .testTarget(name: "ShopsegSynthTests", dependencies: ["ShopsegSynth", "ShopsegEngine", "ShopsegIngest"]),
        .testTarget(name: "ShopsegCLITests", dependencies: ["shopseg", .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Help", "bi_reader.py"]),
    ]
)
