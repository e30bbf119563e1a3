import Foundation
import SwiftProtobuf

extension DhtRpc_Response {
    /// Creates a response with the given fields. A `nil` field is absent and not written; an empty `Data` is
    /// written as an empty field (tag, length 0), exactly as the reference encoder does.
    public init(id: Data? = nil, nodes: Data? = nil, value: Data? = nil, roundtripToken: Data? = nil) {
        self.init()
        if let id { self.id = id }
        if let nodes { self.nodes = nodes }
        if let value { self.value = value }
        if let roundtripToken { self.roundtripToken = roundtripToken }
    }
}
