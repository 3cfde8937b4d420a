import ArgumentParser
import ShopsegEngine
import ShopsegPipeline

/// `build`'s feature-preparation options (scikit-learn imputers and scalers; PCA reduction).
struct PreparationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Missing values: median or mean of the column.", valueName: "how"))
    var impute: Imputation = .median

    @Option(help: ArgumentHelp("Per-column transform: auto (log1p when skewness > 1), log1p (every column) or none.", valueName: "how"))
    var transform: TransformPolicy = .auto

    @Option(help: ArgumentHelp("Scaler: standard, robust (median/IQR), minmax or none.", valueName: "name"))
    var scaler: Scaler = .standard

    @Option(parsing: .unconditional, help: ArgumentHelp("Clip each column at these quantiles before transforming, as LO,HI (e.g. 0.01,0.99).", valueName: "lo,hi"))
    var winsorize: String?

    @Option(help: ArgumentHelp("Cluster on principal components: none, pca:N (N components) or pca:F (fraction of variance, 0 < F < 1).", valueName: "how"))
    var reduce = "none"

    func validate() throws {
        if let winsorize, Self.parseWinsorize(winsorize) == nil {
            throw ValidationError("--winsorize \(winsorize): pass two quantiles LO,HI with 0 <= LO < HI <= 1, e.g. 0.01,0.99.")
        }
        if Reduction.parse(reduce) == nil {
            throw ValidationError("--reduce \(reduce): pass none, pca:N (N >= 1) or pca:F (0 < F < 1).")
        }
    }

    func apply(to options: inout BuildOptions) {
        options.impute = impute
        options.transform = transform
        options.scaler = scaler
        options.winsorize = winsorize.flatMap(Self.parseWinsorize)
        options.reduce = Reduction.parse(reduce) ?? .none
    }

    static func parseWinsorize(_ text: String) -> Winsorization? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo >= 0, hi <= 1, lo < hi else { return nil }
        return Winsorization(lower: lo, upper: hi)
    }
}

extension Imputation: ExpressibleByArgument {}
extension TransformPolicy: ExpressibleByArgument {}
extension Scaler: ExpressibleByArgument {}
