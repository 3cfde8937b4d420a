/// The evolving state of one mini-batch k-means run: per-centre counts, the
/// reassignment schedule and the early-stopping monitor (scikit-learn
/// `_mini_batch_step`, `_random_reassign`, `_mini_batch_convergence`).
struct MiniBatchState {
    let k: Int, d: Int, batchSize: Int, n: Int
    let reassignmentRatio: Double
    let maxNoImprovement: Int?
    let absoluteTolerance: Double
    /// Rows given to each centre so far (its learning rate is 1/count).
    private(set) var counts: [Double]
    private var sinceLastReassignment = 0
    private var smoothedInertia: Double?
    private var smoothedMinimum: Double?
    private var stepsWithoutImprovement = 0
    /// Reused between steps.
    private var newSums: [Double]
    private var batchCounts: [Double]
    private var positions: [Int]

    init(k: Int, d: Int, batchSize: Int, n: Int, reassignmentRatio: Double, maxNoImprovement: Int?,
         absoluteTolerance: Double) {
        self.k = k
        self.d = d
        self.batchSize = batchSize
        self.n = n
        self.reassignmentRatio = reassignmentRatio
        self.maxNoImprovement = maxNoImprovement
        self.absoluteTolerance = absoluteTolerance
        counts = [Double](repeating: 0, count: k)
        newSums = [Double](repeating: 0, count: k * d)
        batchCounts = [Double](repeating: 0, count: k)
        positions = Array(0..<batchSize)
    }

    /// `_random_reassign`, called before each step: true at once while some
    /// centre has count 0, else every time 10·k rows have been seen.
    mutating func dueForReassignment() -> Bool {
        sinceLastReassignment += batchSize
        if counts.contains(0) || sinceLastReassignment >= 10 * k {
            sinceLastReassignment = 0
            return true
        }
        return false
    }

    /// `_minibatch_update_dense`: each centre with rows in the batch becomes
    /// (c·count + Σ its rows, in batch order) / (count + nⱼ); the others stay.
    mutating func update(centres: [Double], batch: [Double], labels: [Int]) -> [Double] {
        for j in 0..<k {
            batchCounts[j] = 0
            for f in 0..<d { newSums[j * d + f] = centres[j * d + f] * counts[j] }
        }
        for t in 0..<batchSize {
            let j = labels[t]
            batchCounts[j] += 1
            for f in 0..<d { newSums[j * d + f] += batch[t * d + f] }
        }
        var updated = centres
        for j in 0..<k where batchCounts[j] > 0 {
            counts[j] += batchCounts[j]
            let alpha = 1 / counts[j]
            for f in 0..<d { updated[j * d + f] = newSums[j * d + f] * alpha }
        }
        return updated
    }

    /// The reassignment part of `_mini_batch_step`: centres whose count is below
    /// ratio · max count (at most ⌊batchSize/2⌋, lowest counts first, ties to the
    /// lower index) move to distinct uniformly drawn batch rows; their counts
    /// become the smallest count among the others.
    mutating func reassignLowCounts(_ centres: inout [Double], batch: [Double], rng: inout Xoshiro256StarStar) {
        guard reassignmentRatio > 0 else { return }
        let threshold = reassignmentRatio * counts.max()!
        var chosen = (0..<k).map { counts[$0] < threshold }
        let cap = Int(0.5 * Double(batchSize))
        if Double(chosen.filter { $0 }.count) > 0.5 * Double(batchSize) {
            let byCount = (0..<k).sorted { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
            for j in byCount[cap...] { chosen[j] = false }
        }
        let targets = (0..<k).filter { chosen[$0] }
        guard !targets.isEmpty else { return }
        // Distinct batch rows: partial Fisher–Yates shuffle of the batch positions.
        for t in 0..<batchSize { positions[t] = t }
        for (i, j) in targets.enumerated() {
            let pick = i + rng.uniformInt(below: batchSize - i)
            positions.swapAt(i, pick)
            for f in 0..<d { centres[j * d + f] = batch[positions[i] * d + f] }
        }
        let floor = (0..<k).filter { !chosen[$0] }.map { counts[$0] }.min()!
        for j in targets { counts[j] = floor }
    }

    /// `_mini_batch_convergence`, after step `step` (0-based) with the batch's
    /// inertia (before the update) and the squared centre movement of the step.
    mutating func shouldStop(step: Int, batchInertia: Double, movement: Double) -> Bool {
        let perRow = batchInertia / Double(batchSize)
        // The first step's inertia comes from the initial centres: ignored.
        guard step > 0 else { return false }
        if let s = smoothedInertia {
            let alpha = min(Double(batchSize) * 2.0 / Double(n + 1), 1)
            smoothedInertia = s * (1 - alpha) + perRow * alpha
        } else {
            smoothedInertia = perRow
        }
        if absoluteTolerance > 0 && movement <= absoluteTolerance { return true }
        if smoothedMinimum == nil || smoothedInertia! < smoothedMinimum! {
            stepsWithoutImprovement = 0
            smoothedMinimum = smoothedInertia
        } else {
            stepsWithoutImprovement += 1
        }
        if let limit = maxNoImprovement, stepsWithoutImprovement >= limit { return true }
        return false
    }
}
