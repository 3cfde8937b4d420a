import Crypto
import Foundation

/// Deterministic draws per (campaign, user): the same user is in the same campaign's control
/// group every night, whatever else changed, and different campaigns draw independently.
///
/// Both draws come from `SHA-256(campaign_id + "\u{1F}" + user_id)` (UTF-8; U+001F, the unit
/// separator, cannot occur in an id): its first 8 bytes, read big-endian as an unsigned integer
/// `h`, decide the holdout; the next 8 bytes rank users for `max_users`. In Python:
///
/// ```python
/// digest = hashlib.sha256(f"{campaign_id}\x1f{user_id}".encode()).digest()
/// is_holdout = int.from_bytes(digest[:8], "big") / 2**64 * 100 < holdout_pct
/// rank_key = int.from_bytes(digest[8:16], "big")
/// ```
///
/// Ranking with other bytes than the holdout's keeps the holdout share of a capped campaign at
/// `holdout_pct` (ranking by `h` would put the held-out users first).
public enum Holdout {
    /// The two draws of `(campaignId, userId)`.
    public static func keys(campaignId: String, userId: String) -> (holdout: UInt64, rank: UInt64) {
        var hasher = SHA256()
        hasher.update(data: Data(campaignId.utf8))
        hasher.update(data: Data([0x1F]))
        hasher.update(data: Data(userId.utf8))
        var holdout: UInt64 = 0, rank: UInt64 = 0
        for (index, byte) in hasher.finalize().prefix(16).enumerated() {
            if index < 8 { holdout = holdout << 8 | UInt64(byte) } else { rank = rank << 8 | UInt64(byte) }
        }
        return (holdout, rank)
    }

    /// `h / 2^64 × 100 < holdoutPct`; everyone when `holdoutPct` is 100, no one when it is 0.
    public static func isHoldout(key: UInt64, holdoutPct: Double) -> Bool {
        if holdoutPct >= 100 { return true }
        return Double(key) / 18_446_744_073_709_551_616.0 * 100 < holdoutPct
    }

    /// Whether `userId` is in `campaignId`'s control group at `holdoutPct` percent.
    public static func isHoldout(campaignId: String, userId: String, holdoutPct: Double) -> Bool {
        isHoldout(key: keys(campaignId: campaignId, userId: userId).holdout, holdoutPct: holdoutPct)
    }
}
