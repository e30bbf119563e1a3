import Foundation
import SwiftProtobuf

extension DhtRpc_Request {
    /// The command every node answers with `{id, value: requester's address, roundtripToken}`.
    public static let pingCommand = "_ping"
    /// The command every node answers with `{id, nodes: closest 20 to target, roundtripToken}`.
    public static let findNodeCommand = "_find_node"

    /// Creates a request with the given fields. A `nil` field is absent and not written; an empty `Data` is
    /// written as an empty field (tag, length 0), exactly as the reference encoder does.
    public init(
        command: String, id: Data? = nil, target: Data? = nil, forwardRequest: Data? = nil,
        forwardResponse: Data? = nil, roundtripToken: Data? = nil, value: Data? = nil
    ) {
        self.init()
        self.command = command
        if let id { self.id = id }
        if let target { self.target = target }
        if let forwardRequest { self.forwardRequest = forwardRequest }
        if let forwardResponse { self.forwardResponse = forwardResponse }
        if let roundtripToken { self.roundtripToken = roundtripToken }
        if let value { self.value = value }
    }
}
