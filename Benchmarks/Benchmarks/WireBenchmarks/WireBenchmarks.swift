// Wire-format benchmarks: protobuf encode+decode of typical dht-rpc messages (SwiftProtobuf) and the IPEncoding
// node-list codec, sized like the nodejs reference's measurements in ../shared/PROTOCOL.md ("Reference figures"):
// `_ping` Request 41 B, announce commit Request 125 B, `_find_node` Request 80 B, Response with 20 nodes 853 B.
// One iteration = one encode plus one decode (plus, where named, decoding the 20 nodes), as the reference measured.
//
// Run: cd Benchmarks && swift package --disable-sandbox benchmark --target WireBenchmarks
import Benchmark
import DHTMessages
import Foundation
import IPEncoding

/// Bytes from hex (inputs below are constants, so a bad digit is a programming error).
private func bytes(_ hex: String) -> Data {
    let digits = Array(hex.utf8)
    return Data(stride(from: 0, to: digits.count, by: 2).map {
        UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)!
    })
}

/// The messages measured, built once.
private enum Samples {
    static let idA = bytes("693d723fc25bf2324331619dd4d8f3a155495bc9167c77e07253b9b133029c64")
    static let idC = bytes("7c8b1b91fcb1751828500101c3404a0ec9895da0383fd374d6fd7bc613963795")
    static let key = bytes("62518b7ee254c5426695f549d536d62c3c2374500711c708a970b19a5846b24c")
    static let token = bytes("5bce4bf6cc256e55b9bae2b8d3d30c4af8b4ebfb4047d09b479bf412cdadf4be")

    /// `_ping` with the sender's id: 41 bytes (ping_request in dht-rpc-messages.json).
    static let ping = DhtRpc_Request(command: DhtRpc_Request.pingCommand, id: idA)
    /// `_find_node` with id and target: 80 bytes (find_node_request).
    static let findNode = DhtRpc_Request(command: DhtRpc_Request.findNodeCommand, id: idA, target: key)
    /// hyperdht announce commit with a localAddress: 125 bytes (announce_update_request_localAddress).
    static let announceCommit = DhtRpc_Request(
        command: "peers", id: idC, target: key, roundtripToken: token, value: bytes("080110a09c011a06c0a801051f40"))

    /// 20 distinct nodes on 127.0.0.1.
    static let nodes: [CompactNode] = (0..<20).map { index in
        var id = [UInt8](repeating: 0, count: 32)
        for position in id.indices { id[position] = UInt8(truncatingIfNeeded: index &* 31 &+ position &* 7) }
        return CompactNode(id: id, address: PeerAddress(host: .loopbackV4, port: UInt16(49_801 + index)))
    }
    /// A `peers` lookup answer: id, 20 nodes, a hyperdht value with 3 peers, token: 853 bytes.
    static let response20 = DhtRpc_Response(
        id: idA, nodes: Data(try! NodeListCodec.dhtRPC.encode(nodes)),
        value: bytes("0a127f000001c2897f0000014e207f0000014e21"), roundtripToken: token)
    /// `response20` encoded.
    static let response20Bytes: [UInt8] = try! response20.wireBytes()
}

/// Throughput-oriented settings: 1,000 operations a sample, about 2 s a benchmark.
private var configuration: Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 5,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )
}

/// One encode+decode round of `message`.
@inline(__always)
private func roundTrip(_ message: DhtRpc_Request) throws {
    let wire: [UInt8] = try message.wireBytes()
    blackHole(try DhtRpc_Request(wireBytes: wire))
}

let benchmarks: @Sendable () -> Void = {
    precondition(try! Samples.ping.wireBytes().count == 41)
    precondition(try! Samples.findNode.wireBytes().count == 80)
    precondition(try! Samples.announceCommit.wireBytes().count == 125)
    precondition(Samples.response20Bytes.count == 853)

    Benchmark("Request _ping encode+decode (41 B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { try roundTrip(Samples.ping) }
    }

    Benchmark("Request _find_node encode+decode (80 B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { try roundTrip(Samples.findNode) }
    }

    Benchmark("Request announce commit encode+decode (125 B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { try roundTrip(Samples.announceCommit) }
    }

    Benchmark("Response 20 nodes encode+decode (853 B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let wire: [UInt8] = try Samples.response20.wireBytes()
            blackHole(try DhtRpc_Response(wireBytes: wire))
        }
    }

    // The path every node answer takes now: `DhtRpc_Response.datagram(header:)` writes header and body in one
    // allocation (DatagramFrame.encode uses it); decoded as a client would.
    Benchmark("Response 20 nodes datagram encode+decode (853 B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let wire = Samples.response20.datagram(header: 0x1234)!
            blackHole(try DhtRpc_Response(wireBytes: wire[2...]))
        }
    }

    Benchmark("Response 20 nodes encode+decode + nodes decode (853 B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let wire: [UInt8] = try Samples.response20.wireBytes()
            let response = try DhtRpc_Response(wireBytes: wire)
            blackHole(try NodeListCodec.dhtRPC.decode(response.nodes))
        }
    }

    Benchmark("Response 20 nodes decode + forEachNode (853 B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let response = try DhtRpc_Response(wireBytes: Samples.response20Bytes)
            var ports = 0
            try NodeListCodec.dhtRPC.forEachNode(in: response.nodes) { _, address in ports &+= Int(address.port) }
            blackHole(ports)
        }
    }

    Benchmark("NodeListCodec decode 20 nodes (760 B)", configuration: configuration) { benchmark in
        let nodes = [UInt8](Samples.response20.nodes)
        for _ in benchmark.scaledIterations { blackHole(try NodeListCodec.dhtRPC.decode(nodes)) }
    }

    Benchmark("NodeListCodec encode 20 nodes (760 B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try NodeListCodec.dhtRPC.encode(Samples.nodes)) }
    }
}
