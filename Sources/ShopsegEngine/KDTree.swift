/// A k-d tree over the rows of an n × d matrix for exact Euclidean radius and
/// nearest-neighbour queries (Bentley 1975, "Multidimensional binary search trees
/// used for associative searching"; layout as scikit-learn's `KDTree`).
///
/// Built once: each node holds a contiguous range of *positions* (rows reordered
/// so every node's rows are adjacent) and its bounding box. A node with more than
/// `leafSize` rows is split at the median of its widest dimension (ties stay on
/// either side; a node whose rows are all equal stays a leaf), so leaves hold
/// ⌈leafSize/2⌉ … leafSize rows and the depth is ≈ log₂(n / leafSize).
///
/// Distances are squared, summed over the dimensions left to right
/// (`Σ (qₖ − pₖ)²`, as scikit-learn's `rdist`), and compared with `r²` using `≤`:
/// points exactly at the radius are neighbours (scikit-learn's `query_radius`).
/// A node whose whole box lies within the radius contributes all its rows without
/// per-row distances; because rounding is monotone, the box bound is never
/// smaller than a row's computed distance, so the shortcut gives the same set as
/// checking every row.
///
/// Complexity: build O(n·d·log n) time, O(n·d) memory (a copy of the rows in tree
/// order plus 2·d doubles per node). A radius query costs
/// O(log n + neighbours found) on low-dimensional data (d ≲ 10); it degrades
/// towards O(n·d) as d grows. Read-only after build, so queries from several
/// threads at once are safe.
final class KDTree: @unchecked Sendable {
    /// n, the number of rows.
    let count: Int
    /// d, the number of columns.
    let dimension: Int
    /// `order[position]` is the original row index stored at `position`.
    let order: [Int]
    /// `positionOf[row]` is the position of original row `row`.
    let positionOf: [Int]
    /// Rows in tree order, `count × dimension`, row-major.
    let points: UnsafeMutablePointer<Double>

    /// Per node: first position, one past the last, and the index of the left
    /// child (the right child follows it), or −1 for a leaf.
    let nodeStart: [Int]
    let nodeEnd: [Int]
    let nodeLeft: [Int]
    /// Bounding boxes, `nodeCount × dimension` each, row-major.
    private let lower: UnsafeMutablePointer<Double>
    private let upper: UnsafeMutablePointer<Double>
    /// Levels of the tree (1 for a single leaf).
    let depth: Int

    var nodeCount: Int { nodeStart.count }

    /// Builds the tree over the rows of `x` (n × d, finite, d ≥ 1; n may be 0).
    /// - Parameter leafSize: largest number of rows in a leaf; ≥ 1. Default 40.
    init(_ x: Matrix, leafSize: Int = 40) {
        precondition(leafSize >= 1, "leafSize=\(leafSize) should be >= 1")
        precondition(x.columns >= 1, "KDTree needs d >= 1")
        let n = x.rows, d = x.columns
        count = n
        dimension = d
        var perm = Array(0..<n)
        // At most 2·⌈n / ⌈leafSize/2⌉⌉ nodes: bound the box storage before building.
        let maxNodes = max(1, 2 * ((n + (leafSize + 1) / 2 - 1) / ((leafSize + 1) / 2)) + 1)
        let lower = UnsafeMutablePointer<Double>.allocate(capacity: maxNodes * d)
        let upper = UnsafeMutablePointer<Double>.allocate(capacity: maxNodes * d)
        let points = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n * d))
        var nodeStart: [Int] = [], nodeEnd: [Int] = [], nodeLeft: [Int] = []
        var depth = 0

        // Rows are moved physically while partitioning (with `perm` alongside), so
        // every scan reads contiguous memory and `points` ends in tree order.
        x.values.withUnsafeBufferPointer { xs in
            if n > 0 { points.initialize(from: xs.baseAddress!, count: n * d) }
        }
        perm.withUnsafeMutableBufferPointer { perm in
            // Breadth-first so that siblings get consecutive node indices.
            var queue: [(start: Int, end: Int, level: Int)] = [(0, n, 1)]
            var head = 0
            while head < queue.count {
                let (start, end, level) = queue[head]
                let node = head
                head += 1
                nodeStart.append(start)
                nodeEnd.append(end)
                nodeLeft.append(-1)
                depth = max(depth, level)
                // Bounding box and widest dimension.
                let lo = lower + node * d, hi = upper + node * d
                for k in 0..<d { lo[k] = .infinity; hi[k] = -.infinity }
                for p in start..<end {
                    let row = points + p * d
                    for k in 0..<d {
                        let v = row[k]
                        if v < lo[k] { lo[k] = v }
                        if v > hi[k] { hi[k] = v }
                    }
                }
                if end - start <= leafSize { continue }
                var widest = 0
                var spread = hi[0] - lo[0]
                for k in 1..<d where hi[k] - lo[k] > spread { widest = k; spread = hi[k] - lo[k] }
                if !(spread > 0) { continue }   // all rows equal: keep as a leaf
                let mid = start + (end - start) / 2
                KDTree.select(points, d, perm, start, end, kth: mid, column: widest)
                nodeLeft[node] = queue.count
                queue.append((start, mid, level + 1))
                queue.append((mid, end, level + 1))
            }
        }
        precondition(nodeStart.count <= maxNodes)
        self.lower = lower
        self.upper = upper
        self.points = points
        self.nodeStart = nodeStart
        self.nodeEnd = nodeEnd
        self.nodeLeft = nodeLeft
        self.depth = depth
        order = perm
        var inverse = [Int](repeating: 0, count: n)
        for (p, row) in perm.enumerated() { inverse[row] = p }
        positionOf = inverse
    }

    deinit {
        points.deallocate()
        lower.deallocate()
        upper.deallocate()
    }

    /// Reorders rows `start..<end` of `rows` (n × d), and `perm` alongside, so that
    /// the row at `kth` has the `column` value it would have in sorted order,
    /// smaller-or-equal values before it and greater-or-equal after (quickselect,
    /// median-of-three pivots; deterministic).
    private static func select(_ rows: UnsafeMutablePointer<Double>, _ d: Int,
                               _ perm: UnsafeMutableBufferPointer<Int>, _ start: Int, _ end: Int,
                               kth: Int, column: Int) {
        @inline(__always) func key(_ i: Int) -> Double { rows[i * d + column] }
        @inline(__always) func swapRows(_ i: Int, _ j: Int) {
            perm.swapAt(i, j)
            let a = rows + i * d, b = rows + j * d
            for k in 0..<d { let t = a[k]; a[k] = b[k]; b[k] = t }
        }
        var lo = start, hi = end - 1
        while lo < hi {
            let m = lo + (hi - lo) / 2
            // Median of three as pivot value.
            let a = key(lo), b = key(m), c = key(hi)
            let pivot = max(min(a, b), min(max(a, b), c))
            var i = lo, j = hi
            while i <= j {
                while key(i) < pivot { i += 1 }
                while key(j) > pivot { j -= 1 }
                if i <= j {
                    swapRows(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now [lo, j] ≤ pivot ≤ [i, hi], and j < i.
            if kth <= j { hi = j } else if kth >= i { lo = i } else { return }
        }
    }

    // MARK: - Distances

    /// Squared distance from `q` to the row at `position`, summed left to right.
    @inline(__always)
    func squaredDistance(_ q: UnsafePointer<Double>, position: Int) -> Double {
        let p = points + position * dimension
        var s = 0.0
        for k in 0..<dimension {
            let t = q[k] - p[k]
            s += t * t
        }
        return s
    }

    /// Smallest and largest squared distance from `q` to the box of `node`.
    @inline(__always)
    func boxBounds(_ q: UnsafePointer<Double>, node: Int) -> (min: Double, max: Double) {
        let lo = lower + node * dimension, hi = upper + node * dimension
        var near = 0.0, far = 0.0
        for k in 0..<dimension {
            let below = lo[k] - q[k], above = q[k] - hi[k]
            let t = below > 0 ? below : (above > 0 ? above : 0)
            near += t * t
            let u = max(q[k] - lo[k], hi[k] - q[k])
            far += u * u
        }
        return (near, far)
    }

    @inline(__always)
    private func minSquaredDistance(_ q: UnsafePointer<Double>, node: Int) -> Double {
        let lo = lower + node * dimension, hi = upper + node * dimension
        var near = 0.0
        for k in 0..<dimension {
            let below = lo[k] - q[k], above = q[k] - hi[k]
            let t = below > 0 ? below : (above > 0 ? above : 0)
            near += t * t
        }
        return near
    }

    /// The top-most nodes whose bounding box has squared diagonal ≤ `r2`: every
    /// pair of rows inside one of them is within squared distance `r2` (rounding is
    /// monotone, so the computed pair distance never exceeds the computed diagonal).
    /// Their position ranges are disjoint.
    func compactNodes(maxSquaredDiameter r2: Double) -> [Int] {
        guard count > 0 else { return [] }
        var result: [Int] = []
        var stack = [0]
        while let node = stack.popLast() {
            let lo = lower + node * dimension, hi = upper + node * dimension
            var diameter = 0.0
            for k in 0..<dimension {
                let t = hi[k] - lo[k]
                diameter += t * t
            }
            if diameter <= r2 {
                result.append(node)
            } else if nodeLeft[node] >= 0 {
                stack.append(nodeLeft[node] + 1)
                stack.append(nodeLeft[node])
            }
        }
        return result
    }

    /// The first position of the leaf holding `position` (0 ≤ position < count).
    func leafStart(containing position: Int) -> Int {
        var node = 0
        while nodeLeft[node] >= 0 {
            let left = nodeLeft[node]
            node = position < nodeEnd[left] ? left : left + 1
        }
        return nodeStart[node]
    }

    // MARK: - Queries

    /// Number of rows within squared radius `r2` of `q` (d values), counting up to
    /// `limit` at most: the search stops as soon as `limit` rows are found.
    func count(within r2: Double, of q: UnsafePointer<Double>, limit: Int) -> Int {
        guard count > 0 else { return 0 }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: depth + 2) { stack in
            var top = 0
            stack[0] = 0
            top = 1
            var found = 0
            while top > 0 {
                top -= 1
                let node = stack[top]
                let (near, far) = boxBounds(q, node: node)
                if near > r2 { continue }
                if far <= r2 {
                    found += nodeEnd[node] - nodeStart[node]
                } else if nodeLeft[node] < 0 {
                    for p in nodeStart[node]..<nodeEnd[node] where squaredDistance(q, position: p) <= r2 {
                        found += 1
                    }
                } else {
                    stack[top] = nodeLeft[node] + 1
                    stack[top + 1] = nodeLeft[node]
                    top += 2
                    continue
                }
                if found >= limit { return found }
            }
            return found
        }
    }

    /// Appends to `out` the positions p ≥ `from` whose rows lie within squared
    /// radius `r2` of `q`, in increasing position order (the depth-first order,
    /// left child first). Appends only; the caller clears and reuses `out`.
    func neighbours(within r2: Double, of q: UnsafePointer<Double>, from: Int, into out: inout [Int]) {
        guard count > 0, from < count else { return }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: depth + 2) { stack in
            stack[0] = 0
            var top = 1
            while top > 0 {
                top -= 1
                let node = stack[top]
                let end = nodeEnd[node]
                if end <= from { continue }
                let (near, far) = boxBounds(q, node: node)
                if near > r2 { continue }
                let start = max(nodeStart[node], from)
                if far <= r2 {
                    for p in start..<end { out.append(p) }
                } else if nodeLeft[node] < 0 {
                    for p in start..<end where squaredDistance(q, position: p) <= r2 { out.append(p) }
                } else {
                    stack[top] = nodeLeft[node] + 1
                    stack[top + 1] = nodeLeft[node]
                    top += 2
                }
            }
        }
    }

    /// The position of the row nearest to `q` among those within squared radius
    /// `r2` (inclusive), with its squared distance; ties go to the smallest
    /// original row index. Nil when no row is within `r2`.
    func nearest(to q: UnsafePointer<Double>, within r2: Double) -> (position: Int, squaredDistance: Double)? {
        guard count > 0 else { return nil }
        var best = r2
        var bestPosition = -1
        withUnsafeTemporaryAllocation(of: Int.self, capacity: depth + 2) { stack in
            stack[0] = 0
            var top = 1
            while top > 0 {
                top -= 1
                let node = stack[top]
                // `>` not `≥`: an equally near row with a smaller index may be inside.
                if minSquaredDistance(q, node: node) > best { continue }
                let left = nodeLeft[node]
                if left < 0 {
                    for p in nodeStart[node]..<nodeEnd[node] {
                        let s = squaredDistance(q, position: p)
                        if s < best || (s == best && (bestPosition < 0 || order[p] < order[bestPosition])) {
                            best = s
                            bestPosition = p
                        }
                    }
                } else {
                    // Visit the nearer child first (pushed last).
                    let dl = minSquaredDistance(q, node: left), dr = minSquaredDistance(q, node: left + 1)
                    if dl <= dr {
                        stack[top] = left + 1
                        stack[top + 1] = left
                    } else {
                        stack[top] = left
                        stack[top + 1] = left + 1
                    }
                    top += 2
                }
            }
        }
        return bestPosition < 0 ? nil : (bestPosition, best)
    }
}
