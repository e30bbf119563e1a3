import DHTMessages
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// Datagrams captured from the nodejs reference (Fixtures/, copied from ../shared/vectors), and the
/// message bodies of its protobuf decode cases behind a request or response header.
private enum Vectors {
    static func captured() throws -> [(name: String, bytes: [UInt8])] {
        var out: [(String, [UInt8])] = []
        for file in ["dht-rpc-messages", "hyperdht-peers", "udp-request-frames"] {
            for vector in try load(file)["vectors"] as? [[String: Any]] ?? [] {
                guard let hex = vector["hex"] as? String else { continue }
                out.append(("\(file)/\(vector["name"] as? String ?? "?")", try bytes(hex)))
            }
        }
        return out
    }

    /// protobuf-messages.json's decode cases for dht-rpc messages, framed as datagrams.
    static func protobufDecodeCases() throws -> [(name: String, bytes: [UInt8])] {
        var out: [(String, [UInt8])] = []
        for entry in try load("protobuf-messages")["decode"] as? [[String: Any]] ?? [] {
            guard let message = entry["message"] as? String, let hex = entry["hex"] as? String else { continue }
            let header: [UInt8]
            switch message {
            case "dht-rpc Request": header = [0x80, 0x07]
            case "dht-rpc Response": header = [0x00, 0x07]
            default: continue
            }
            out.append(("protobuf-messages/\(entry["note"] as? String ?? "?")", header + (try bytes(hex))))
        }
        return out
    }

    private static func load(_ file: String) throws -> [String: Any] {
        let url = try #require(Bundle.module.url(forResource: file, withExtension: "json", subdirectory: "Fixtures"))
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    private static func bytes(_ hex: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        try #require(digits.count.isMultiple(of: 2))
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            try #require(UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16))
        }
    }
}

/// Truncated, garbled and tiny datagrams: each one is dropped and counted, nothing is sent back,
/// and the node keeps serving (the reference crashes on some of these).
@Suite struct MalformedInputTests {
    /// A lone node and a raw endpoint that sends it bytes and records anything that comes back.
    private struct Bench {
        let network = SimulatedNetwork(seed: 41)
        let node: DHTNode
        let log: EventLog
        let raw: SimulatedTransport
        let returned = Outcome<[[UInt8]]>()

        init() throws {
            // Decoding is under test, so every datagram must reach it: no per-source limit here
            // (SourceRateLimitTests covers the limit, which would drop most of these from one source).
            node = try network.makeNode(host: IPAddress(10, 0, 0, 1), seed: 41) { $0.requestRateLimit = nil }
            log = EventLog(node)
            node.start()
            raw = try network.bind(host: IPAddress(10, 0, 9, 1), port: 40000)
            let returned = self.returned
            returned.value = []
            raw.setReceiver { datagram, _ in returned.value?.append(datagram) }
        }

        func send(_ datagrams: [[UInt8]]) {
            for datagram in datagrams {
                raw.send(datagram, to: node.localAddress)
            }
            network.scheduler.run(for: .seconds(1))
        }

        /// Pings the node from a fresh udp-request socket and returns the address it reports.
        func pingFromAnotherHost() throws -> PeerAddress {
            let peer = try RawPeer(network: network, host: IPAddress(10, 0, 9, 2))
            let outcome = peer.request(.make(command: "_ping"), to: node.localAddress)
            network.scheduler.run(for: .milliseconds(100))
            let response = try #require(outcome.value).get()
            return try PeerListCodec.ipv4.decodeSingle(response.message.value)
        }
    }

    private static func isMalformed(_ datagram: [UInt8]) -> Bool {
        (try? DatagramFrame.decode(datagram)) == nil
    }

    /// Every prefix of every captured datagram that no longer decodes.
    private static func malformedTruncations() throws -> [[UInt8]] {
        try (Vectors.captured() + Vectors.protobufDecodeCases()).flatMap { vector in
            (0..<vector.bytes.count).map { Array(vector.bytes.prefix($0)) }
        }.filter(isMalformed)
    }

    /// Every captured datagram with one byte inverted, plus header-and-garbage datagrams and seeded
    /// random bytes – those that do not decode.
    private static func malformedGarbles() throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        for vector in try Vectors.captured() {
            for index in vector.bytes.indices {
                var garbled = vector.bytes
                garbled[index] ^= 0xFF
                out.append(garbled)
            }
            out.append(Array(vector.bytes.prefix(2)) + [0xFF, 0xFF, 0xFF])
            out.append(vector.bytes + [0xFF])
        }
        var generator = SeededRandomGenerator(seed: 0x6A7B)
        for _ in 0..<500 {
            let length = Int.random(in: 0...200, using: &generator)
            out.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        return out.filter(isMalformed)
    }

    @Test func everyTruncatedCapturedDatagramIsDroppedAndCountedAndTheNodeKeepsServing() throws {
        let truncations = try Self.malformedTruncations()
        #expect(truncations.count > 1000)
        let bench = try Bench()
        bench.send(truncations)

        let counters = bench.node.snapshot().socketCounters
        #expect(counters.datagramsIn == truncations.count)
        #expect(counters.malformedDropped == truncations.count)
        #expect(counters.requestsIn == 0 && counters.unmatchedResponses == 0)
        #expect(counters.datagramsOut == 0)
        #expect(bench.returned.value == [])
        #expect(bench.node.snapshot().routingTable.count == 0)
        #expect(try bench.pingFromAnotherHost() == PeerAddress(host: IPAddress(10, 0, 9, 2), port: 40000))
    }

    @Test func everyGarbledCapturedDatagramIsDroppedAndCountedAndTheNodeKeepsServing() throws {
        let garbles = try Self.malformedGarbles()
        #expect(garbles.count > 500)  // most inverted bytes inside an id or token still decode
        let bench = try Bench()
        bench.send(garbles)

        let counters = bench.node.snapshot().socketCounters
        #expect(counters.malformedDropped == garbles.count)
        #expect(counters.requestsIn == 0 && counters.datagramsOut == 0)
        #expect(bench.returned.value == [])
        #expect(try bench.pingFromAnotherHost() == PeerAddress(host: IPAddress(10, 0, 9, 2), port: 40000))
    }

    @Test func zeroAndOneByteDatagramsAreDroppedAndCounted() throws {
        // Each of these crashes a reference node (readUInt16BE on a short buffer).
        let tiny: [[UInt8]] = [[], [0x00], [0x80], [0xFF]]
        let bench = try Bench()
        bench.send(tiny)

        #expect(bench.node.snapshot().socketCounters.malformedDropped == tiny.count)
        let dropped = bench.log.events.compactMap { event -> Int? in
            if case .socket(.malformedDropped(let from, let bytes, let error)) = event,
               from == bench.raw.localAddress, error == .tooShort(length: bytes) {
                return bytes
            }
            return nil
        }
        #expect(dropped == [0, 1, 1, 1])
        #expect(bench.returned.value == [])
        #expect(try bench.pingFromAnotherHost() == PeerAddress(host: IPAddress(10, 0, 9, 2), port: 40000))
    }

    @Test func truncationsThatStillDecodeAreHandledWithoutHarm() throws {
        // A prefix that ends on a field boundary is a valid (if odd) message: not counted as
        // malformed, answered or ignored by the usual rules.
        let decodable = try (Vectors.captured() + Vectors.protobufDecodeCases()).flatMap { vector in
            (0...vector.bytes.count).map { Array(vector.bytes.prefix($0)) }
        }.filter { !Self.isMalformed($0) }
        #expect(decodable.count > 50)
        let bench = try Bench()
        bench.send(decodable)

        let counters = bench.node.snapshot().socketCounters
        #expect(counters.malformedDropped == 0)
        #expect(counters.datagramsIn == decodable.count)
        #expect(counters.requestsIn + counters.unmatchedResponses == decodable.count)
        #expect(try bench.pingFromAnotherHost() == PeerAddress(host: IPAddress(10, 0, 9, 2), port: 40000))
    }
}
