/// One entry of the routing table: a node id, a vector clock for the default arbiter, and whatever the caller
/// keeps about the node (`Payload`: address, last-seen tick, round-trip token, RTT, ...).
///
/// The table only ever reads `id` (to place and find the contact) and, through the default arbiter,
/// `vectorClock`; `payload` is carried along untouched.
public struct KBucketContact<Payload> {
    /// The contact's node id; it decides the bucket the contact lives in.
    public var id: NodeID
    /// A version counter: the default arbiter keeps the incumbent only when its clock is higher.
    public var vectorClock: Int
    /// The caller's data about this contact.
    public var payload: Payload

    /// Creates a contact.
    @inlinable
    public init(id: NodeID, vectorClock: Int = 0, payload: Payload) {
        self.id = id
        self.vectorClock = vectorClock
        self.payload = payload
    }
}

extension KBucketContact where Payload == Void {
    /// Creates a contact that carries no payload.
    @inlinable
    public init(id: NodeID, vectorClock: Int = 0) {
        self.init(id: id, vectorClock: vectorClock, payload: ())
    }
}

extension KBucketContact: Sendable where Payload: Sendable {}
extension KBucketContact: Equatable where Payload: Equatable {}
extension KBucketContact: Hashable where Payload: Hashable {}
