/// An arbiter's answer when a contact is added whose id is already in the table.
public enum KBucketArbitration<Payload> {
    /// Keep the stored contact where it is; `add` changes nothing and reports no event.
    case keepIncumbent
    /// Drop the stored contact and append this one (same id) at the most-recently-seen end of the bucket; `add`
    /// reports `.updated`. Return the candidate itself, or a merge of both.
    case replace(with: KBucketContact<Payload>)
}

extension KBucketArbitration: Sendable where Payload: Sendable {}
extension KBucketArbitration: Equatable where Payload: Equatable {}

/// Decides between the stored contact (`incumbent`) and a newly added one with the same id (`candidate`).
public typealias KBucketArbiter<Payload> =
    @Sendable (_ incumbent: KBucketContact<Payload>, _ candidate: KBucketContact<Payload>) -> KBucketArbitration<Payload>
