import XCTest
@testable import ShopsegEngine

/// The k-means, mini-batch and metrics fixtures in `Tests/Fixtures/engine/kmeans_*.json`,
/// written by `Tests/FixtureGenerators/make_kmeans_fixtures.py` (scikit-learn 1.9.1).
enum KMeansFixtures {
    struct File<Case: Decodable>: Decodable {
        let description: String
        let cases: [Case]
    }

    static func cases<Case: Decodable>(_ file: String, as type: Case.Type) throws -> [Case] {
        try EngineFixtures.load(file, as: File<Case>.self).cases
    }

    static func lloyd(_ name: String) throws -> LloydFixture {
        try XCTUnwrap(cases("kmeans_lloyd", as: LloydFixture.self).first { $0.name == name }, name)
    }

    static func bestOfTen() throws -> [BestOfTenFixture] { try cases("kmeans_best_of_ten", as: BestOfTenFixture.self) }

    static func bestOfTen(_ name: String) throws -> BestOfTenFixture {
        try XCTUnwrap(bestOfTen().first { $0.name == name }, name)
    }

    static func silhouette() throws -> [SilhouetteFixture] { try cases("kmeans_silhouette", as: SilhouetteFixture.self) }
}

/// One `KMeans(init=array, n_init=1, algorithm="lloyd")` run recorded by scikit-learn.
struct LloydFixture: Decodable {
    let name: String
    let rows: Int, columns: Int, k: Int
    let maxIter: Int, tol: Double
    let x: [Double]
    let initialCentres: [Double]
    let labels: [Int]
    let centres: [Double]
    let inertia: Double
    let iterationCount: Int
    /// Clusters that receive no rows when rows are assigned to `initialCentres`
    /// (so the first iteration relocates them).
    let emptyAtStart: [Int]

    var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
    var initialCentroids: Matrix { Matrix(rows: k, columns: columns, values: initialCentres) }
}

/// scikit-learn's best inertia over `n_init=10` k-means++ runs.
struct BestOfTenFixture: Decodable {
    let name: String
    let rows: Int, columns: Int, k: Int
    let x: [Double]
    let inertia: Double

    var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
}

/// A `silhouette_score` value recorded by scikit-learn.
struct SilhouetteFixture: Decodable {
    let name: String
    let rows: Int, columns: Int
    let x: [Double]
    let labels: [Int]
    let score: Double

    var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
}
