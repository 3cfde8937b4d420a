import ShopsegEngine

/// Gives a new run's clusters stable segment ids by matching them to the previous published run.
///
/// Matching is on **shared users**: cluster c of the new run and segment s of the previous run
/// score the number of users in both; a maximum-weight assignment (Hungarian method,
/// `LinearSumAssignment`) pairs them, and a pair keeps the previous id only when it is a
/// **majority both ways**, counted over returning users (in both runs; brand-new users do not
/// vote): more than half of the cluster's returning users were in that segment, and more than
/// half of that segment's returning users are in the cluster.
/// So an id never passes to a group that merely shares a few of its users (a 29-user cluster
/// does not inherit a 6,669-user segment's id). Why users and not centroids: every build refits imputation, scaling
/// and PCA on that night's data, so yesterday's centroids live in a different space; shared users
/// need no common space and work across feature views, algorithms and k.
///
/// Unmatched clusters get fresh ids, above every id the warehouse has ever used, so a retired id
/// never comes back with another meaning. Previous segments left unmatched are `vanished`.
/// Noise (label -1) is always segment -1 and is never matched.
///
/// Rebuilding unchanged data with the same seed gives the same partition, so every cluster
/// matches its previous segment entirely and every user keeps their segment id.
struct SegmentIdentity {
    struct Lineage: Equatable {
        let segmentId: Int
        let status: String          // kept | new | vanished
        let sharedUsers: Int
    }
    struct Transition: Equatable, Hashable {
        let from: Int?
        let to: Int?
    }

    /// Segment id for each cluster label 0..<clusterCount.
    let segmentIdOfLabel: [Int]
    let lineage: [Lineage]
    /// Users per (previous segment, new segment); nil for users present in one run only.
    let transitions: [Transition: Int]

    /// - Parameters:
    ///   - userIds: the new run's users, in matrix order.
    ///   - labels: their cluster labels, 0..<clusterCount or -1 (noise).
    ///   - clusterCount: number of clusters (labels are numbered by decreasing size).
    ///   - previous: the previous published run's user → segment id; empty for a first run.
    ///   - firstFreshId: the smallest id never used before (0 for a first run).
    init(userIds: [String], labels: [Int], clusterCount: Int, previous: [String: Int], firstFreshId: Int) throws {
        let previousIds = Array(Set(previous.values.filter { $0 >= 0 })).sorted()
        let column = Dictionary(uniqueKeysWithValues: previousIds.enumerated().map { ($1, $0) })
        var shared = [Double](repeating: 0, count: clusterCount * previousIds.count)
        for (user, label) in zip(userIds, labels) where label >= 0 {
            if let before = previous[user], let j = column[before] { shared[label * previousIds.count + j] += 1 }
        }
        var ids = [Int](repeating: -1, count: clusterCount)
        var lineage: [Lineage] = []
        var matched = Set<Int>()
        if clusterCount > 0, !previousIds.isEmpty {
            let pairs = try LinearSumAssignment.solve(
                cost: Matrix(rows: clusterCount, columns: previousIds.count, values: shared), maximize: true)
            var clusterSize = [Int](repeating: 0, count: clusterCount)
            var returning = [Int](repeating: 0, count: previousIds.count)
            for (user, label) in zip(userIds, labels) {
                guard let before = previous[user] else { continue }   // brand-new users do not vote
                if label >= 0 { clusterSize[label] += 1 }
                if let j = column[before] { returning[j] += 1 }
            }
            for pair in pairs {
                let both = Int(shared[pair.row * previousIds.count + pair.column])
                guard 2 * both > clusterSize[pair.row], 2 * both > returning[pair.column] else { continue }
                ids[pair.row] = previousIds[pair.column]
                matched.insert(pair.column)
            }
        }
        var fresh = firstFreshId
        for label in 0..<clusterCount {
            if ids[label] >= 0 {
                let j = column[ids[label]]!
                lineage.append(Lineage(segmentId: ids[label], status: "kept", sharedUsers: Int(shared[label * previousIds.count + j])))
            } else {
                ids[label] = fresh
                fresh += 1
                lineage.append(Lineage(segmentId: ids[label], status: "new", sharedUsers: 0))
            }
        }
        for (j, id) in previousIds.enumerated() where !matched.contains(j) {
            lineage.append(Lineage(segmentId: id, status: "vanished", sharedUsers: 0))
        }
        if labels.contains(-1) {
            let noiseBoth = zip(userIds, labels).filter { $0.1 == -1 && previous[$0.0] == -1 }.count
            lineage.append(Lineage(segmentId: -1, status: "noise", sharedUsers: noiseBoth))
        }

        var transitions: [Transition: Int] = [:]
        var seen = Set<String>()
        for (user, label) in zip(userIds, labels) {
            seen.insert(user)
            transitions[Transition(from: previous[user], to: label >= 0 ? ids[label] : -1), default: 0] += 1
        }
        for (user, before) in previous where !seen.contains(user) {
            transitions[Transition(from: before, to: nil), default: 0] += 1
        }
        segmentIdOfLabel = ids
        self.lineage = lineage.sorted { $0.segmentId < $1.segmentId }
        self.transitions = transitions
    }
}
