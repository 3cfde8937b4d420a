// shopseg-bench: times ShopsegEngine algorithms on a matrix file, for scripts/bench.sh.
// Not part of shopseg; the harness compares it with bench/peer_engine.py (scikit-learn).
//
// Matrix files are raw little-endian float64, row-major, with the column count given on
// the command line (rows = bytes / 8 / cols). Label files: one integer per line.
// Every command prints one JSON object: {"seconds": fit time, ...}; reading and writing
// files is not timed.
//
//   shopseg-bench kmeans     X.f64 COLS K MAX_ITER TOL SEED [LABELS_OUT|-] [INIT.f64]
//                            (with INIT: one Lloyd run from those k × COLS centres, no k-means++)
//   shopseg-bench dbscan     X.f64 COLS EPS MIN_SAMPLES [LABELS_OUT]
//   shopseg-bench ward       X.f64 COLS K [LABELS_OUT]
//   shopseg-bench silhouette X.f64 COLS LABELS_IN
//   shopseg-bench sweep      X.f64 COLS KMIN KMAX N_INIT SAMPLE_LIMIT SEED
//                            (`build --k auto`'s engine work: k-means per k, then every k's indices;
//                             prints both times, each k's iterations and silhouette)
//   shopseg-bench prepare    FEATURES.csv X_OUT.f64     (shopseg's default preparation)
import Foundation
import ShopsegEngine

func fail(_ message: String) -> Never {
    FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
    exit(2)
}

func readMatrix(_ path: String, columns: Int) -> Matrix {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    let count = data.count / 8
    guard count % columns == 0 else { fail("\(path): \(count) values is not a multiple of \(columns)") }
    var values = [Double](repeating: 0, count: count)
    _ = values.withUnsafeMutableBytes { data.copyBytes(to: $0) }
    return Matrix(rows: count / columns, columns: columns, values: values)
}

func writeMatrix(_ m: Matrix, to path: String) {
    let data = m.values.withUnsafeBytes { Data($0) }
    FileManager.default.createFile(atPath: path, contents: data)
}

func writeLabels(_ labels: [Int], to path: String?) {
    guard let path else { return }
    let text = labels.map(String.init).joined(separator: "\n") + "\n"
    FileManager.default.createFile(atPath: path, contents: text.data(using: .utf8))
}

func readLabels(_ path: String) -> [Int] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)") }
    return text.split(separator: "\n").map { Int($0)! }
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func emit(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(data: data, encoding: .utf8)!)
}

let args = CommandLine.arguments
guard args.count >= 2 else { fail("usage: see bench/swift/main.swift") }
func arg(_ i: Int) -> String {
    guard i < args.count else { fail("missing argument \(i)") }
    return args[i]
}
func optionalArg(_ i: Int) -> String? { i < args.count ? args[i] : nil }

do {
    switch args[1] {
    case "kmeans":
        let x = readMatrix(arg(2), columns: Int(arg(3))!)
        let km = KMeans(clusterCount: Int(arg(4))!, nInit: 1, maxIter: Int(arg(5))!, tol: Double(arg(6))!,
                        seed: UInt64(arg(7))!)
        let initial = optionalArg(9).map { readMatrix($0, columns: x.columns) }
        let (r, s) = try timed { try initial.map { try km.fit(x, initialCentroids: $0) } ?? km.fit(x) }
        writeLabels(r.labels, to: optionalArg(8) == "-" ? nil : optionalArg(8))
        emit(["seconds": s, "inertia": r.inertia, "iterations": r.iterationCount, "rows": x.rows, "cols": x.columns])
    case "dbscan":
        let x = readMatrix(arg(2), columns: Int(arg(3))!)
        let db = DBSCAN(eps: Double(arg(4))!, minSamples: Int(arg(5))!)
        let (r, s) = try timed { try db.fit(x) }
        writeLabels(r.labels, to: optionalArg(6))
        emit(["seconds": s, "clusters": r.clusterCount, "noise": r.noiseCount, "rows": x.rows])
    case "ward":
        let x = readMatrix(arg(2), columns: Int(arg(3))!)
        let ag = Agglomerative(clusterCount: Int(arg(4))!, linkage: .ward)
        let (r, s) = try timed { try ag.fit(x) }
        writeLabels(r.labels, to: optionalArg(5))
        emit(["seconds": s, "clusters": r.clusterCount, "two_stage": r.isTwoStage, "rows": x.rows])
    case "silhouette":
        let x = readMatrix(arg(2), columns: Int(arg(3))!)
        let labels = readLabels(arg(4))
        let (r, s) = try timed { try Silhouette.score(x, labels: labels, sampleLimit: x.rows) }
        emit(["seconds": s, "value": r.value, "sampled": r.isSampled, "rows": x.rows])
    case "sweep":
        let x = readMatrix(arg(2), columns: Int(arg(3))!)
        let ks = Array(Int(arg(4))!...Int(arg(5))!)
        let nInit = Int(arg(6))!, limit = Int(arg(7))!, seed = UInt64(arg(8))!
        let (fits, fitSeconds) = try timed { try ks.map { try KMeans(clusterCount: $0, nInit: nInit, seed: seed).fit(x) } }
        let (qualities, qualitySeconds) = try timed {
            try ClusterQuality.evaluate(x, kmeans: fits, silhouetteSampleLimit: limit, seed: seed)
        }
        emit(["seconds": fitSeconds + qualitySeconds, "fit_seconds": fitSeconds, "quality_seconds": qualitySeconds,
              "iterations": fits.map(\.iterationCount), "silhouettes": qualities.map { $0.silhouette.value ?? .nan },
              "rows": x.rows])
    case "prepare":
        guard let text = try? String(contentsOfFile: arg(2), encoding: .utf8) else { fail("cannot read \(arg(2))") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let names = Array(header.dropFirst())
        var values: [Double] = []
        values.reserveCapacity(lines.count * names.count)
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).dropFirst()
            for f in fields { values.append(f.isEmpty ? .nan : Double(f)!) }
        }
        let raw = Matrix(rows: lines.count, columns: names.count, values: values)
        let (p, s) = try timed { try FeaturePreparation().fit(raw, columnNames: names) }
        writeMatrix(p.matrix, to: arg(3))
        emit(["seconds": s, "rows": p.matrix.rows, "cols": p.matrix.columns, "columns": p.columnNames,
              "warnings": p.warnings])
    default:
        fail("unknown command \(args[1])")
    }
} catch {
    fail("error: \(error)")
}
