/// Exact Euclidean radius queries over a fixed set of rows, addressed by
/// *position* (an index-specific order of the rows chosen for locality).
/// Implemented by `KDTree` (low dimension) and `BruteForceIndex` (high dimension).
/// Read-only after construction: queries from several threads at once are safe.
protocol RadiusNeighbourIndex: Sendable {
    /// n, the number of rows.
    var count: Int { get }
    /// d, the number of columns.
    var dimension: Int { get }
    /// `order[position]` is the original row index stored at `position`.
    var order: [Int] { get }
    /// `positionOf[row]` is the position of original row `row`.
    var positionOf: [Int] { get }
    /// The rows in position order, n × d row-major.
    var points: UnsafeMutablePointer<Double> { get }
    /// Whether the row at `position` is within squared radius `r2` of `q` (inclusive).
    func isWithin(_ r2: Double, of q: UnsafePointer<Double>, position: Int) -> Bool
    /// Rows within squared radius `r2` of `q` (inclusive), counted up to `limit`.
    func count(within r2: Double, of q: UnsafePointer<Double>, limit: Int) -> Int
    /// Appends the positions p ≥ `from` within squared radius `r2` of `q`
    /// (inclusive), in increasing position order.
    func neighbours(within r2: Double, of q: UnsafePointer<Double>, from: Int, into out: inout [Int])
    /// The nearest row within `r2` (inclusive); ties to the smallest original index.
    func nearest(to q: UnsafePointer<Double>, within r2: Double) -> (position: Int, squaredDistance: Double)?
}

extension KDTree: RadiusNeighbourIndex {
    @inline(__always)
    func isWithin(_ r2: Double, of q: UnsafePointer<Double>, position: Int) -> Bool {
        squaredDistance(q, position: position) <= r2
    }
}

/// Radius queries by scanning every row: O(n·d) per query, no build cost.
///
/// Used for high-dimensional data (d > 30 with `DBSCAN.Algorithm.auto`), where a
/// k-d tree prunes almost nothing. Distances are summed
/// directly, left to right, exactly as `KDTree` does — not with the
/// ‖x‖² − 2x·y + ‖y‖² BLAS expansion, whose cancellation can move points across
/// the eps boundary — so both indexes return identical neighbour sets.
final class BruteForceIndex: RadiusNeighbourIndex, @unchecked Sendable {
    let count: Int
    let dimension: Int
    let order: [Int]
    let positionOf: [Int]
    let points: UnsafeMutablePointer<Double>

    /// Copies the rows of `x` (n × d, d ≥ 1); positions are the original row order.
    init(_ x: Matrix) {
        precondition(x.columns >= 1, "BruteForceIndex needs d >= 1")
        count = x.rows
        dimension = x.columns
        order = Array(0..<x.rows)
        positionOf = order
        points = .allocate(capacity: max(1, x.values.count))
        x.values.withUnsafeBufferPointer { points.initialize(from: $0.baseAddress!, count: $0.count) }
    }

    deinit { points.deallocate() }

    /// Sums the squared differences left to right (as `KDTree`) but gives up after
    /// any block of 8 dimensions once the partial sum exceeds `r2`: partial sums
    /// only grow, so the answer is the same as from the full sum.
    @inline(__always)
    func isWithin(_ r2: Double, of q: UnsafePointer<Double>, position: Int) -> Bool {
        let p = points + position * dimension
        var s = 0.0
        var k = 0
        while k < dimension {
            let blockEnd = min(k + 8, dimension)
            while k < blockEnd {
                let t = q[k] - p[k]
                s += t * t
                k += 1
            }
            if s > r2 { return false }
        }
        return true
    }

    /// Squared distance from `q` to the row at `position`, summed left to right.
    @inline(__always)
    private func squaredDistance(_ q: UnsafePointer<Double>, position: Int) -> Double {
        let p = points + position * dimension
        var s = 0.0
        for k in 0..<dimension {
            let t = q[k] - p[k]
            s += t * t
        }
        return s
    }

    func count(within r2: Double, of q: UnsafePointer<Double>, limit: Int) -> Int {
        var found = 0
        for p in 0..<count where isWithin(r2, of: q, position: p) {
            found += 1
            if found >= limit { break }
        }
        return found
    }

    func neighbours(within r2: Double, of q: UnsafePointer<Double>, from: Int, into out: inout [Int]) {
        var p = max(0, from)
        while p < count {
            if isWithin(r2, of: q, position: p) { out.append(p) }
            p += 1
        }
    }

    func nearest(to q: UnsafePointer<Double>, within r2: Double) -> (position: Int, squaredDistance: Double)? {
        var best = r2, bestPosition = -1
        for p in 0..<count {
            let s = squaredDistance(q, position: p)
            // Strict `<` keeps the first (smallest index) of equally near rows.
            if s < best || (s == best && bestPosition < 0) { best = s; bestPosition = p }
        }
        return bestPosition < 0 ? nil : (bestPosition, best)
    }
}
