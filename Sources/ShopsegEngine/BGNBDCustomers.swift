/// The BG/NBD summary of n customers as indexes into its distinct values: the likelihood's
/// per-customer term depends only on (x, t_x, T), and the data hold far fewer distinct values
/// than customers (t_x and T are whole days in weeks), so ``BGNBD`` takes each log once per
/// distinct value and each term once per distinct triple.
struct BGNBDCustomers {
    struct Triple {
        /// Indexes into `frequencies`, `recencies`, `ages`.
        var frequency: Int, recency: Int, age: Int
    }

    /// Distinct x, t_x, T, in order of first appearance.
    private(set) var frequencies: [Int] = [], recencies: [Double] = [], ages: [Double] = []
    /// Distinct (x, t_x, T), in order of first appearance.
    private(set) var triples: [Triple] = []
    /// n indexes into `triples`, in input order.
    private(set) var tripleOfCustomer: [Int] = []

    var tripleCount: Int { triples.count }

    /// Values are told apart by their bits (the inputs are finite; -0.0 and 0.0 would be kept
    /// apart, which only costs a duplicate log).
    init(frequency: [Int], recency: [Double], age: [Double]) {
        var frequencyIndex: [Int: Int] = [:], recencyIndex: [UInt64: Int] = [:], ageIndex: [UInt64: Int] = [:]
        var tripleIndex: [SIMD3<Int>: Int] = [:]
        tripleOfCustomer.reserveCapacity(frequency.count)
        for i in frequency.indices {
            let f = Self.index(of: frequency[i], in: &frequencyIndex, values: &frequencies, value: frequency[i])
            let r = Self.index(of: recency[i].bitPattern, in: &recencyIndex, values: &recencies, value: recency[i])
            let a = Self.index(of: age[i].bitPattern, in: &ageIndex, values: &ages, value: age[i])
            let key = SIMD3(f, r, a)
            if let t = tripleIndex[key] {
                tripleOfCustomer.append(t)
            } else {
                tripleIndex[key] = triples.count
                tripleOfCustomer.append(triples.count)
                triples.append(Triple(frequency: f, recency: r, age: a))
            }
        }
    }

    private static func index<Key: Hashable, Value>(of key: Key, in index: inout [Key: Int], values: inout [Value], value: Value) -> Int {
        if let k = index[key] { return k }
        index[key] = values.count
        values.append(value)
        return values.count - 1
    }
}
