import XCTest
@testable import ShopsegEngine

final class KDTreeTests: XCTestCase {
    /// n × d uniform values in [0, 10); with `grid`, rounded to multiples of 0.5 so
    /// that duplicate rows and distances exactly equal to the radius occur.
    private func randomMatrix(n: Int, d: Int, seed: UInt64, grid: Bool) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        let values = (0..<(n * d)).map { _ -> Double in
            let v = rng.uniform() * 10
            return grid ? (v * 2).rounded() / 2 : v
        }
        return Matrix(rows: n, columns: d, values: values)
    }

    private func bruteSquaredDistance(_ x: Matrix, _ i: Int, _ q: [Double]) -> Double {
        var s = 0.0
        for k in 0..<x.columns {
            let t = q[k] - x[i, k]
            s += t * t
        }
        return s
    }

    func testStructureIsAPermutationWithSmallLeaves() {
        let x = randomMatrix(n: 1000, d: 3, seed: 1, grid: false)
        let tree = KDTree(x, leafSize: 10)
        XCTAssertEqual(tree.order.sorted(), Array(0..<1000))
        for (p, row) in tree.order.enumerated() {
            XCTAssertEqual(tree.positionOf[row], p)
            for k in 0..<3 { XCTAssertEqual(tree.points[p * 3 + k], x[row, k]) }
        }
        // Balanced median splits: depth ≈ log2(1000 / 10) + 1 levels.
        XCTAssertLessThanOrEqual(tree.depth, 9)
        XCTAssertGreaterThan(tree.nodeCount, 100)
    }

    func testRadiusQueriesEqualBruteForce() {
        for (d, grid, seed) in [(1, true, UInt64(2)), (2, false, 3), (2, true, 4), (3, false, 5), (5, true, 6)] {
            let n = 600
            let x = randomMatrix(n: n, d: d, seed: seed, grid: grid)
            let tree = KDTree(x, leafSize: 8)
            var rng = Xoshiro256StarStar(seed: seed + 100)
            for trial in 0..<40 {
                // Queries at data rows (exact ties with grid data) and at random points.
                let q = trial % 2 == 0 ? x.row(rng.uniformInt(below: n)) : (0..<d).map { _ in rng.uniform() * 10 }
                let r = [0.0, 0.5, 1.0, 1.5, 3.0, 20.0][trial % 6]
                let r2 = r * r
                let expected = (0..<n).filter { bruteSquaredDistance(x, $0, q) <= r2 }
                var found: [Int] = []
                q.withUnsafeBufferPointer { tree.neighbours(within: r2, of: $0.baseAddress!, from: 0, into: &found) }
                XCTAssertEqual(found, found.sorted(), "positions come in increasing order")
                XCTAssertEqual(found.map { tree.order[$0] }.sorted(), expected, "d=\(d) r=\(r) trial=\(trial)")
                let total = q.withUnsafeBufferPointer { tree.count(within: r2, of: $0.baseAddress!, limit: n + 1) }
                XCTAssertEqual(total, expected.count)
                let limited = q.withUnsafeBufferPointer { tree.count(within: r2, of: $0.baseAddress!, limit: 3) }
                XCTAssertTrue(limited >= min(3, expected.count) && limited <= expected.count)
                // Restricted to positions ≥ from.
                let from = rng.uniformInt(below: n)
                var tail: [Int] = []
                q.withUnsafeBufferPointer { tree.neighbours(within: r2, of: $0.baseAddress!, from: from, into: &tail) }
                XCTAssertEqual(tail, found.filter { $0 >= from })
            }
        }
    }

    func testNearestEqualsBruteForceWithTiesToSmallestIndex() {
        for (d, grid, seed) in [(1, true, UInt64(7)), (2, true, 8), (3, false, 9)] {
            let n = 500
            let x = randomMatrix(n: n, d: d, seed: seed, grid: grid)
            let tree = KDTree(x, leafSize: 6)
            let brute = BruteForceIndex(x)
            var rng = Xoshiro256StarStar(seed: seed + 200)
            for trial in 0..<60 {
                let q = (0..<d).map { _ in (rng.uniform() * 20).rounded() / 2 }   // grid points: ties
                let r2 = [0.25, 1.0, 4.0][trial % 3]
                var best = -1
                var bestD = r2
                for i in 0..<n {
                    let s = bruteSquaredDistance(x, i, q)
                    if s < bestD || (s == bestD && best < 0) { best = i; bestD = s }
                }
                let hit = q.withUnsafeBufferPointer { tree.nearest(to: $0.baseAddress!, within: r2) }
                XCTAssertEqual(hit.map { tree.order[$0.position] } ?? -1, best, "d=\(d) trial=\(trial)")
                if let hit { XCTAssertEqual(hit.squaredDistance, bestD) }
                let bruteHit = q.withUnsafeBufferPointer { brute.nearest(to: $0.baseAddress!, within: r2) }
                XCTAssertEqual(bruteHit?.position ?? -1, best)
            }
        }
    }

    func testAllEqualRowsStayOneLeaf() {
        let x = Matrix(rows: 100, columns: 2, values: [Double](repeating: 1.5, count: 200))
        let tree = KDTree(x, leafSize: 4)
        XCTAssertEqual(tree.nodeCount, 1)
        let q = [1.5, 1.5]
        let c = q.withUnsafeBufferPointer { tree.count(within: 0, of: $0.baseAddress!, limit: 1000) }
        XCTAssertEqual(c, 100)
    }

    func testEmptyAndSingleRowTrees() {
        let q = [0.0]
        let empty = KDTree(Matrix(rows: 0, columns: 1, values: []))
        XCTAssertEqual(q.withUnsafeBufferPointer { empty.count(within: 1, of: $0.baseAddress!, limit: 5) }, 0)
        XCTAssertNil(q.withUnsafeBufferPointer { empty.nearest(to: $0.baseAddress!, within: 1) })
        let one = KDTree(Matrix(rows: [[0.5]]))
        XCTAssertEqual(q.withUnsafeBufferPointer { one.count(within: 0.25, of: $0.baseAddress!, limit: 5) }, 1)
        XCTAssertEqual(q.withUnsafeBufferPointer { one.count(within: 0.2, of: $0.baseAddress!, limit: 5) }, 0)
    }
}
