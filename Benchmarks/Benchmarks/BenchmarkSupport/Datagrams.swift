// Pre-encoded dht-rpc / hyperdht request datagrams for the load generators (tid 0; the generator patches it).
import DHTMessages
import Foundation
import HyperDHT
import KBucket
import UDPRequest

/// Builders of whole udp-request datagrams.
public enum Datagrams {
    /// 32 random bytes from `generator`.
    public static func randomID(_ generator: inout SeededRandomGenerator) -> NodeID {
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for _ in 0..<4 { withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) } }
        return NodeID(bytes)
    }

    /// A request frame with tid 0.
    public static func request(_ message: DhtRpc_Request, tid: UInt16 = 0) -> [UInt8] {
        try! DatagramFrame.request(tid: tid, message).encode()
    }

    /// `_find_node` toward `target`, sent by `sender` (80-byte body, as the reference's `find_node_request`).
    public static func findNode(sender: NodeID, target: NodeID) -> [UInt8] {
        request(DhtRpc_Request(command: DhtRpc_Request.findNodeCommand, id: Data(sender.bytes), target: Data(target.bytes)))
    }

    /// `_ping` from `sender`.
    public static func ping(sender: NodeID, tid: UInt16 = 0) -> [UInt8] {
        request(DhtRpc_Request(command: DhtRpc_Request.pingCommand, id: Data(sender.bytes)), tid: tid)
    }

    /// A hyperdht `peers` request of `type` (0 lookup, 1 announce, 2 unannounce) for `key`; an announce needs the
    /// `token` the storing node gave this host, and stores `host:port` (port 0: the UDP source port).
    public static func peers(sender: NodeID?, key: NodeID, type: UInt32, port: UInt32 = 0, token: Data? = nil,
                             tid: UInt16 = 0) -> [UInt8] {
        var value = Hyperdht_Request()
        value.type = type
        if port != 0 { value.port = port }
        let message = DhtRpc_Request(command: "peers", id: sender.map { Data($0.bytes) }, target: Data(key.bytes),
                                     roundtripToken: token, value: try! value.serializedData())
        return request(message, tid: tid)
    }

    /// The round-trip token in a response datagram, if it decodes as one.
    public static func token(inResponse datagram: [UInt8]) -> Data? {
        guard case .response(_, let response)? = try? DatagramFrame.decode(datagram), response.hasRoundtripToken else {
            return nil
        }
        return response.roundtripToken
    }

    /// The decoded response, if `datagram` is one.
    public static func response(_ datagram: [UInt8]) -> DhtRpc_Response? {
        guard case .response(_, let response)? = try? DatagramFrame.decode(datagram) else { return nil }
        return response
    }
}
