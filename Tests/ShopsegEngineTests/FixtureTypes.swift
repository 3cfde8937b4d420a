@testable import ShopsegEngine

/// |a − b| ≤ rel · max(1, |b|): relative agreement, absolute near zero.
func agrees(_ a: Double, _ b: Double, rel: Double) -> Bool {
    abs(a - b) <= rel * max(1, abs(b))
}

/// Whether two labelings are the same partition (equal up to a permutation of labels).
func samePartition(_ a: [Int], _ b: [Int]) -> Bool {
    guard a.count == b.count else { return false }
    var forward: [Int: Int] = [:], backward: [Int: Int] = [:]
    for (x, y) in zip(a, b) {
        if let m = forward[x], m != y { return false }
        if let m = backward[y], m != x { return false }
        forward[x] = y
        backward[y] = x
    }
    return true
}
