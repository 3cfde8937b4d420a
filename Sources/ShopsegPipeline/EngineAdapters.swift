import ShopsegEngine

extension ColumnTransform {
    /// The name stored in `model_columns.transform`: none | log1p | signed_log1p.
    var storedName: String {
        switch self {
        case .none: return "none"
        case .log1p: return "log1p"
        case .signedLog1p: return "signed_log1p"
        }
    }

    init?(storedName: String) {
        switch storedName {
        case "none": self = .none
        case "log1p": self = .log1p
        case "signed_log1p": self = .signedLog1p
        default: return nil
        }
    }
}
