import Foundation
import KBucket

/// A command other than `_ping` / `_find_node` that reached this node, as a registered handler sees it.
public struct IncomingQuery: Sendable {
    /// The requester (its id, if it sent a valid one, and its UDP source address).
    public var node: NodeReference
    /// The command name.
    public var command: String
    /// The 32-byte target.
    public var target: NodeID
    /// The request's value, if any.
    public var value: Data?
    /// Whether it carried a valid round-trip token from us: an *update* (dht-rpc's `update:<cmd>`),
    /// which proves the requester received one of our answers at this address. Otherwise a *query*.
    public var isUpdate: Bool

    /// Creates a query description (the node builds these; tests and local answers may too).
    public init(node: NodeReference, command: String, target: NodeID, value: Data?, isUpdate: Bool) {
        self.node = node
        self.command = command
        self.target = target
        self.value = value
        self.isUpdate = isUpdate
    }
}

/// What a handler wants sent back.
public enum QueryReply: Sendable {
    /// Answer with this value (or none); the node adds the closest nodes and a fresh token.
    case respond(value: Data?)
    /// Send nothing (the reference's handler calling back with an error).
    case ignore
}
