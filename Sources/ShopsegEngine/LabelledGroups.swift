/// Rows grouped by label, as scikit-learn's `LabelEncoder` does for the metrics:
/// the distinct labels sorted ascending become groups 0..<L (any integers are
/// labels, −1 included), with each group's size and centroid.
struct LabelledGroups {
    /// Distinct labels, ascending; group g has label `classes[g]`.
    let classes: [Int]
    /// n group indices (0..<L), one per row.
    let groups: [Int]
    /// L group sizes.
    let counts: [Int]
    /// L × d centroids (means of each group's rows), row-major.
    let centroids: [Double]

    /// O(n·d + n·log L).
    init(_ x: Matrix, labels: [Int]) {
        let n = x.rows, d = x.columns
        classes = Array(Set(labels)).sorted()
        let code = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, $0.offset) })
        groups = labels.map { code[$0]! }
        let l = classes.count
        var counts = [Int](repeating: 0, count: l)
        var sums = [Double](repeating: 0, count: l * d)
        for i in 0..<n {
            let g = groups[i]
            counts[g] += 1
            for c in 0..<d { sums[g * d + c] += x.values[i * d + c] }
        }
        for g in 0..<l { for c in 0..<d { sums[g * d + c] /= Double(counts[g]) } }
        self.counts = counts
        self.centroids = sums
    }

    /// sklearn `check_number_of_labels`: 2 ≤ L ≤ n − 1.
    static func checkCount(labels l: Int, samples n: Int) throws {
        guard l >= 2 && l <= n - 1 else { throw EngineError.invalidLabelCount(labels: l, samples: n) }
    }

    /// The input checks shared by the metrics taking X and labels.
    static func validate(_ x: Matrix, labels: [Int]) throws {
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        guard x.columns > 0 else { throw EngineError.noFeatures(samples: x.rows) }
        guard labels.count == x.rows else { throw EngineError.labelCount(labels: labels.count, samples: x.rows) }
        if let bad = x.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "X", count: bad.count, row: bad.row, column: bad.column)
        }
    }
}
