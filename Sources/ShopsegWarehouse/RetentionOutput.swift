/// What the retention step writes under a run: `retention_model` and `user_retention`.
public struct RetentionOutput: Sendable, Equatable {
    public struct Parameter: Sendable, Equatable {
        public let model: String            // bg_nbd | gamma_gamma
        public let parameter: String
        public let value: Double
        public let logLikelihood: Double
        public let customers: Int
        public init(model: String, parameter: String, value: Double, logLikelihood: Double, customers: Int) {
            self.model = model
            self.parameter = parameter
            self.value = value
            self.logLikelihood = logLikelihood
            self.customers = customers
        }
    }
    public struct User: Sendable, Equatable {
        public let userId: String
        /// Repeat purchase days; weeks from first to last purchase day; weeks from first purchase day to as_of.
        public let frequency: Int
        public let recency, age: Double
        public let pAlive, expected30d, expected90d, expectedOrderValue, clv: Double?
        public let churnRisk: String?
        public init(userId: String, frequency: Int, recency: Double, age: Double, pAlive: Double?, expected30d: Double?,
                    expected90d: Double?, expectedOrderValue: Double?, clv: Double?, churnRisk: String?) {
            self.userId = userId
            self.frequency = frequency
            self.recency = recency
            self.age = age
            self.pAlive = pAlive
            self.expected30d = expected30d
            self.expected90d = expected90d
            self.expectedOrderValue = expectedOrderValue
            self.clv = clv
            self.churnRisk = churnRisk
        }
    }
    public let timeUnit: String
    /// UTC date the models were calibrated to (the run's as_of day).
    public let calibrationEnd: String
    public let parameters: [Parameter]
    public let users: [User]
    public init(timeUnit: String, calibrationEnd: String, parameters: [Parameter], users: [User]) {
        self.timeUnit = timeUnit
        self.calibrationEnd = calibrationEnd
        self.parameters = parameters
        self.users = users
    }
}
