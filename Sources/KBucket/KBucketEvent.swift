/// What a change to the routing table did, as k-bucket 3.3.1 would emit it.
///
/// `KBucketTree.add(_:)` and `KBucketTree.remove(_:)` return the event (or `nil` when the reference emits
/// nothing), so the owner – a single-threaded state machine – reacts to it right after the call, with the table
/// in a consistent state and no callback running inside the table's mutation.
public enum KBucketEvent<Payload> {
    /// A new contact was appended to its bucket (reference event `added`).
    case added(KBucketContact<Payload>)
    /// A known id was re-added and the arbiter chose `new`; the old entry was dropped and `new` now sits at the
    /// most-recently-seen end of its bucket (reference event `updated(incumbent, selection)`).
    case updated(old: KBucketContact<Payload>, new: KBucketContact<Payload>)
    /// A contact was removed (reference event `removed`).
    case removed(KBucketContact<Payload>)
    /// `newContact` belongs in a full bucket that may not split; it was *not* added. `oldContacts` are the
    /// bucket's `numberOfNodesToPing` least-recently-seen contacts, oldest first: ping them, remove the ones
    /// that do not answer, then add `newContact` again (reference event `ping(contacts, contact)`).
    case ping(oldContacts: [KBucketContact<Payload>], newContact: KBucketContact<Payload>)
}

extension KBucketEvent: Sendable where Payload: Sendable {}
extension KBucketEvent: Equatable where Payload: Equatable {}
