import Foundation
import ShopsegIngest

/// UTC ISO-8601 text for ledger columns (`started_at`, `finished_at`, …).
enum Timestamps {
    static func iso(_ date: Date) -> String {
        UTCTime.iso8601(Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
