/// Step 2 of `DBSCAN.fit`: the connected components of the core samples.
extension DBSCANCore {
    /// For each position, the root (a position) of its core component; meaningful
    /// for core samples only.
    ///
    /// Core samples in one compact tree node, and core samples within eps inside one
    /// leaf, are joined up front. Then each core
    /// sample at position p is joined to the core samples within eps at positions
    /// > p (each pair is seen once). Positions are processed in waves of chunks;
    /// within a wave the chunks run in parallel and return candidate edges, which
    /// are then applied in chunk order (deterministic). An edge is dropped when its
    /// ends were already connected when the wave started (a snapshot of the roots)
    /// or earlier in the same chunk (a chunk-local union–find over those roots), so
    /// a chunk returns fewer edges than there are components — memory stays O(n)
    /// even when eps covers most rows.
    ///
    /// With a k-d tree, each wave also tags every node with the one snapshot
    /// component of all its core samples (or "none" / "mixed"). A query skips nodes
    /// without core samples or already in the query's component, and a node of one
    /// other component lying wholly within eps yields a single edge without visiting
    /// its rows — inside a cluster most of the neighbourhood is never enumerated.
    static func coreComponents<Index: RadiusNeighbourIndex>(_ index: Index, isCore: [Bool], r2: Double,
                                                            compact: [Int], workers: Int) -> [Int] {
        let n = index.count, d = index.dimension
        let points = index.points
        let tree = index as? KDTree
        var parent = Array(0..<n)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]      // path halving
                x = parent[x]
            }
            return x
        }
        if let tree {
            for node in compact {
                var first = -1
                for p in tree.nodeStart[node]..<tree.nodeEnd[node] where isCore[p] {
                    if first < 0 { first = p } else { parent[p] = first }
                }
            }
            let edges = tree.inLeafCoreEdges(isCore: isCore, within: r2, workers: workers)
            var e = 0
            while e < edges.count {
                let ra = find(edges[e]), rb = find(edges[e + 1])
                if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
                e += 2
            }
        }

        let chunksPerWave = max(1, 2 * workers)
        let waveRows = chunkSize * chunksPerWave
        // Chunk-local union–find per chunk slot of a wave, initialised lazily: an
        // entry is valid only when its stamp equals the chunk's stamp.
        let localParent = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, chunksPerWave * n))
        let stamp = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, chunksPerWave * n))
        stamp.initialize(repeating: 0, count: max(1, chunksPerWave * n))
        defer {
            localParent.deallocate()
            stamp.deallocate()
        }
        var snapshot = [Int](repeating: 0, count: n)
        let noCore = -1, mixed = -2
        var tag = [Int](repeating: noCore, count: tree?.nodeCount ?? 0)
        var wave = 0
        var waveStart = 0
        while waveStart < n {
            let waveEnd = min(n, waveStart + waveRows)
            // Queries from this wave visit only nodes reaching past waveStart; those
            // nodes' rows start at or after the leaf holding waveStart.
            let low = tree?.leafStart(containing: waveStart) ?? waveStart
            for p in low..<n where isCore[p] { snapshot[p] = find(p) }
            if let tree {
                // Children follow their parent in node order: fill tags bottom-up.
                for node in stride(from: tree.nodeCount - 1, through: 0, by: -1) where tree.nodeEnd[node] > waveStart {
                    var t = noCore
                    let left = tree.nodeLeft[node]
                    if left < 0 {
                        for p in tree.nodeStart[node]..<tree.nodeEnd[node] where isCore[p] {
                            if t == noCore { t = snapshot[p] } else if t != snapshot[p] { t = mixed; break }
                        }
                    } else {
                        let a = tag[left], b = tag[left + 1]
                        t = a == noCore ? b : (b == noCore || a == b ? a : mixed)
                    }
                    tag[node] = t
                }
            }
            let start = waveStart, waveIndex = wave
            let edges = ChunkedParallel.map(count: waveEnd - start, chunkSize: chunkSize,
                                            workers: workers) { c, range -> [Int] in
                let lp = localParent + c * n, st = stamp + c * n
                let s = Int32(truncatingIfNeeded: waveIndex * chunksPerWave + c + 1)
                func localFind(_ x: Int) -> Int {
                    if st[x] != s {
                        st[x] = s
                        lp[x] = Int32(x)
                        return x
                    }
                    var x = x
                    while Int(lp[x]) != x {
                        lp[x] = lp[Int(lp[x])]
                        x = Int(lp[x])
                    }
                    return x
                }
                var out: [Int] = []
                func link(_ a: Int, _ b: Int) {
                    let ra = localFind(a), rb = localFind(b)
                    if ra != rb {
                        lp[ra] = Int32(rb)
                        out.append(a)
                        out.append(b)
                    }
                }
                var stack: [Int] = []
                for offset in range {
                    let p = start + offset
                    guard isCore[p] else { continue }
                    let a = snapshot[p]
                    let q0 = points + p * d
                    guard let tree else {
                        // Brute force: rule out pairs already connected before
                        // computing their distance.
                        for q in (p + 1)..<n where isCore[q] && snapshot[q] != a {
                            let b = snapshot[q]
                            if localFind(b) != localFind(a) && index.isWithin(r2, of: q0, position: q) { link(a, b) }
                        }
                        continue
                    }
                    stack.removeAll(keepingCapacity: true)
                    stack.append(0)
                    while let node = stack.popLast() {
                        let end = tree.nodeEnd[node]
                        let t = tag[node]
                        if end <= p + 1 || t == noCore { continue }
                        if t >= 0 && (t == a || localFind(t) == localFind(a)) { continue }
                        let (near, far) = tree.boxBounds(q0, node: node)
                        if near > r2 { continue }
                        if t >= 0 && far <= r2 {
                            // Any core sample of the node is within eps, wherever it lies.
                            link(a, t)
                            continue
                        }
                        let left = tree.nodeLeft[node]
                        if left >= 0 {
                            stack.append(left + 1)
                            stack.append(left)
                            continue
                        }
                        for q in max(tree.nodeStart[node], p + 1)..<end where isCore[q] && snapshot[q] != a {
                            if tree.squaredDistance(q0, position: q) <= r2 {
                                link(a, snapshot[q])
                                if t >= 0 { break }     // one component: one edge is enough
                            }
                        }
                    }
                }
                return out
            }
            for chunkEdges in edges {
                var e = 0
                while e < chunkEdges.count {
                    let ra = find(chunkEdges[e]), rb = find(chunkEdges[e + 1])
                    if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
                    e += 2
                }
            }
            waveStart = waveEnd
            wave += 1
        }
        for p in 0..<n { parent[p] = find(p) }
        return parent
    }
}
