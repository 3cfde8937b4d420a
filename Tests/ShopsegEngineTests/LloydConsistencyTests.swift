@testable import ShopsegEngine
import XCTest

/// With fewer distinct rows than k, empty clusters are relocated up to the last iteration; the
/// returned labels must still be the nearest returned centroid (the stored model relies on it).
final class LloydConsistencyTests: XCTestCase {
    func testLabelsAreNearestCentroidsWhenKExceedsTheDistinctRows() throws {
        var rng = Xoshiro256StarStar(seed: 5)
        for trial in 0..<20 {
            let distinct = 12 + trial % 5
            let points = (0..<distinct).map { _ in (0..<3).map { _ in Double(rng.next() % 1000) / 10 } }
            var rows: [[Double]] = []
            for (i, p) in points.enumerated() { for _ in 0..<(1 + i % 4) { rows.append(p) } }
            let x = Matrix(rows: rows)
            for k in [distinct - 2, distinct + 3, rows.count] {
                let result = try KMeans(clusterCount: k, nInit: 1, seed: UInt64(trial)).fit(x)
                var inertia = 0.0
                for (i, row) in rows.enumerated() {
                    let distances = (0..<k).map { c in zip(row, result.centroids.row(c)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
                    let own = distances[result.labels[i]]
                    XCTAssertEqual(own, distances.min()!, accuracy: 1e-9, "trial \(trial) k=\(k) row \(i)")
                    inertia += own
                }
                XCTAssertEqual(result.inertia, inertia, accuracy: 1e-6 * max(1, inertia), "trial \(trial) k=\(k)")
                if k >= distinct { XCTAssertEqual(result.inertia, 0, accuracy: 1e-9, "every distinct row can have its own centre") }
            }
        }
    }
}
