@testable import ShopsegEngine

/// One `KMeans(init=array, n_init=1, algorithm="lloyd")` run recorded by scikit-learn.
struct LloydFixture {
    let name: String
    let rows: Int, columns: Int, k: Int
    let maxIter: Int, tol: Double
    let x: [Double]
    let initialCentres: [Double]
    let labels: [Int]
    let centres: [Double]
    let inertia: Double
    let iterationCount: Int

    var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
    var initialCentroids: Matrix { Matrix(rows: k, columns: columns, values: initialCentres) }
}

/// scikit-learn's best inertia over `n_init=10` k-means++ runs.
struct BestOfTenFixture {
    let name: String
    let rows: Int, columns: Int, k: Int
    let x: [Double]
    let inertia: Double

    var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
}

/// A `silhouette_score` value recorded by scikit-learn.
struct SilhouetteFixture {
    let name: String
    let rows: Int, columns: Int
    let x: [Double]
    let labels: [Int]
    let score: Double

    var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
}

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
