import Foundation

/// Derivative-free minimiser (Nelder & Mead 1965) with restarts, used to fit the
/// retention models on log-parameters. Deterministic: the same objective and start
/// give the same iterates.
///
/// Coefficients are the standard ones (reflection 1, expansion 2, contraction ½,
/// shrink ½), as scipy's `minimize(method="Nelder-Mead")`. A run stops like
/// scipy's: when every vertex is within `xTolerance` of the best one in each
/// coordinate and every value within `fTolerance` of the best value. Simplexes
/// can stall on a ridge, so after a run converges a fresh simplex is built around
/// its best point; restarts stop when one improves the value by no more than
/// `fTolerance` (at most `maxRestarts`). Non-finite objective values count as +∞,
/// so the simplex moves away from them.
struct NelderMead: Sendable {
    /// Absolute tolerance on the parameters (scipy `xatol`).
    var xTolerance = 1e-9
    /// Absolute tolerance on the objective (scipy `fatol`).
    var fTolerance = 1e-12
    /// Iteration limit of one run; hitting it throws `notConverged`.
    var maxIterations = 5_000
    /// Restarts after the first converged run.
    var maxRestarts = 5
    /// Size of the initial simplex's steps along each coordinate.
    var initialStep = 0.5

    struct Result: Sendable {
        /// The best point found.
        var x: [Double]
        /// The objective at `x`.
        var value: Double
        /// Iterations over all runs.
        var iterations: Int
        /// Runs (1 + restarts).
        var runs: Int
    }

    /// Minimises `f` from `start`. `model` names the fitted model in errors.
    /// Throws `EngineError.nonFiniteLikelihood` when `f(start)` is not finite and
    /// `EngineError.notConverged` when a run reaches `maxIterations`.
    func minimize(model: String, start: [Double], _ f: ([Double]) -> Double) throws -> Result {
        let first = f(start)
        guard first.isFinite else { throw EngineError.nonFiniteLikelihood(model: model) }
        var best = Result(x: start, value: first, iterations: 0, runs: 0)
        for run in 0...maxRestarts {
            let (x, value, iterations) = try singleRun(model: model, start: best.x,
                                                       doneIterations: best.iterations, f)
            let improvement = best.value - value
            best.iterations += iterations
            best.runs += 1
            if value <= best.value {
                best.x = x
                best.value = value
            }
            if run > 0 && improvement <= fTolerance { break }
        }
        return best
    }

    private func singleRun(
        model: String, start: [Double], doneIterations: Int, _ objective: ([Double]) -> Double
    ) throws -> (x: [Double], value: Double, iterations: Int) {
        let d = start.count
        func f(_ x: [Double]) -> Double {
            let v = objective(x)
            return v.isFinite ? v : .infinity
        }
        var simplex = [start]
        for j in 0..<d {
            var v = start
            v[j] += initialStep
            simplex.append(v)
        }
        var values = simplex.map(f)
        var centroid = [Double](repeating: 0, count: d)
        func point(_ t: Double) -> [Double] {
            // centroid + t · (centroid − worst)
            (0..<d).map { centroid[$0] + t * (centroid[$0] - simplex[d][$0]) }
        }
        for iteration in 0..<maxIterations {
            // Stable sort by value keeps the order deterministic on ties.
            let order = (0...d).sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            var spreadX = 0.0, spreadF = 0.0
            for i in 1...d {
                spreadF = max(spreadF, abs(values[i] - values[0]))
                for j in 0..<d { spreadX = max(spreadX, abs(simplex[i][j] - simplex[0][j])) }
            }
            if spreadX <= xTolerance && spreadF <= fTolerance {
                return (simplex[0], values[0], iteration)
            }
            for j in 0..<d {
                var s = 0.0
                for i in 0..<d { s += simplex[i][j] }
                centroid[j] = s / Double(d)
            }
            let reflected = point(1), fr = f(reflected)
            if fr < values[0] {
                let expanded = point(2), fe = f(expanded)
                if fe < fr { simplex[d] = expanded; values[d] = fe } else { simplex[d] = reflected; values[d] = fr }
                continue
            }
            if fr < values[d - 1] {
                simplex[d] = reflected; values[d] = fr
                continue
            }
            // Contraction: outside when the reflection beats the worst vertex, else inside.
            let outside = fr < values[d]
            let contracted = point(outside ? 0.5 : -0.5), fc = f(contracted)
            if fc < (outside ? fr : values[d]) {
                simplex[d] = contracted; values[d] = fc
                continue
            }
            for i in 1...d {
                simplex[i] = (0..<d).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                values[i] = f(simplex[i])
            }
        }
        throw EngineError.notConverged(model: model, iterations: doneIterations + maxIterations)
    }
}
