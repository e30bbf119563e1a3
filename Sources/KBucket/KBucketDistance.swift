/// How `KBucketTree.closest(to:count:)` orders the contacts it collected.
///
/// The default, `.xor`, is k-bucket's XOR metric compared exactly over all bytes (`XORDistance`). The reference
/// (`KBucket.distance`) folds the bytes into a JavaScript double, so with 32-byte ids only the top ~53 bits count
/// and contacts that differ only further down tie (and keep bucket order); we deliberately do not copy that loss.
/// `.referenceDouble` reproduces it for comparisons with the nodejs reference; `.custom` takes any metric.
public struct KBucketDistance: Sendable {
    @usableFromInline
    enum Storage: Sendable {
        case xor
        /// Given the target and the collected ids (in bucket-walk order), returns their indices sorted by
        /// distance, stable for ties.
        case custom(@Sendable (_ target: NodeID, _ ids: [NodeID]) -> [Int])
    }

    @usableFromInline let storage: Storage

    @inlinable
    init(storage: Storage) {
        self.storage = storage
    }

    /// Exact XOR distance over all bytes (`XORDistance`); the default.
    public static var xor: KBucketDistance { KBucketDistance(storage: .xor) }

    /// The reference's `KBucket.distance` folded into a double (`NodeID.referenceDoubleDistance(to:)`), ties in
    /// bucket order: reproduces k-bucket 3.3.1's `closest` answers exactly, rounding artefacts included.
    public static var referenceDouble: KBucketDistance {
        custom { contactID, target in contactID.referenceDoubleDistance(to: target) }
    }

    /// A caller-defined metric: `measure(contactID, target)` returns a distance; contacts are sorted by it in
    /// ascending order, ties keeping the order in which the tree walk collected them.
    public static func custom<Distance: Comparable & Sendable>(
        _ measure: @escaping @Sendable (_ contactID: NodeID, _ target: NodeID) -> Distance
    ) -> KBucketDistance {
        KBucketDistance(storage: .custom({ target, ids in
            let keys = ids.map { measure($0, target) }
            return ids.indices.sorted { keys[$0] < keys[$1] || (!(keys[$1] < keys[$0]) && $0 < $1) }
        }))
    }
}
