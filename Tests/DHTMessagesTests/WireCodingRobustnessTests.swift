import DHTMessages
import Foundation
import IPEncoding
import Testing

/// Hostile input never crashes a decoder: every truncation of every vector, 100,000 seeded random byte strings and
/// 20,000 seeded mutations of real vectors each decode to an error or a value. Anything that decodes re-encodes and
/// decodes back to the same message, and its compact fields go through the IPEncoding decoders. A failure prints
/// the seed and iteration, so it replays.
@Suite struct WireCodingRobustnessTests {
    static let seed: UInt64 = 0x6879_7065_7264_6874  // "hyperdht"

    /// Every protobuf body in the fixtures: captured datagrams and the reference encoder's vectors.
    static func corpus() throws -> [[UInt8]] {
        var bodies: [[UInt8]] = []
        for file in ["dht-rpc-messages", "hyperdht-peers"] {
            for vector in try capturedVectors(file) {
                let decoded = try #require(vector["decoded"] as? [String: Any])
                bodies.append([UInt8](hex: try #require(decoded["protobufHex"] as? String)))
            }
        }
        let reference = try loadFixture("protobuf-messages")
        for section in ["encode", "decode"] {
            for vector in try #require(reference[section] as? [[String: Any]]) {
                bodies.append([UInt8](hex: try #require(vector["hex"] as? String)))
            }
        }
        return bodies
    }

    /// Which protobuf decoders ``exercise(_:as:)`` runs.
    enum Kind { case request, response, both }

    /// Decodes `bytes` as the messages `kind` names; a message that decodes must round-trip, and its bytes fields
    /// are fed to the IPEncoding decoders that read them. Returns a description of a broken round trip, or nil.
    static func exercise(_ bytes: ArraySlice<UInt8>, as kind: Kind = .both) -> String? {
        if kind != .response, let request = try? DhtRpc_Request(wireBytes: bytes) {
            guard let again = try? request.wireBytes(), (try? DhtRpc_Request(wireBytes: again)) == request else {
                return "Request did not round-trip"
            }
            for field in [request.forwardRequest, request.forwardResponse, request.value] where !field.isEmpty {
                _ = try? PeerListCodec.ipv4.decode(field)
                _ = try? PeerListCodec.ipv4.decodeSingle(field)
            }
        }
        if kind != .request, let response = try? DhtRpc_Response(wireBytes: bytes) {
            guard let again = try? response.wireBytes(), (try? DhtRpc_Response(wireBytes: again)) == response else {
                return "Response did not round-trip"
            }
            if !response.nodes.isEmpty {
                _ = try? NodeListCodec.dhtRPC.decode(response.nodes)
                _ = try? NodeListCodec.dhtRPC.decode(response.nodes, trailingBytes: .ignore)
            }
            if !response.value.isEmpty { _ = try? PeerListCodec.ipv4.decodeSingle(response.value) }
        }
        return nil
    }

    /// Feeds raw `bytes` to every IPEncoding decoder under both trailing-bytes policies.
    static func exerciseCompactCodecs(_ bytes: ArraySlice<UInt8>) {
        for policy in [TrailingBytesPolicy.reject, .ignore] {
            _ = try? NodeListCodec.dhtRPC.decode(bytes, trailingBytes: policy)
            _ = try? PeerListCodec.ipv4.decode(bytes, trailingBytes: policy)
            _ = try? PeerListCodec.ipv6.decode(bytes, trailingBytes: policy)
            _ = try? LocalPeersCodec.decode(bytes, requesterLocalAddress: PeerAddress(host: .loopbackV4, port: 1), trailingBytes: policy)
        }
        _ = try? PeerListCodec.ipv4.decodeSingle(bytes)
        _ = try? LocalAddressCodec.decode(bytes)
    }

    @Test func everyTruncationOfEveryVectorDecodesOrFailsCleanly() throws {
        var truncations = 0
        for body in try Self.corpus() {
            for length in 0...body.count {
                if let problem = Self.exercise(body[..<length]) {
                    Issue.record("\(problem): \(Array(body[..<length]).hex)")
                }
                Self.exerciseCompactCodecs(body[..<length])
                truncations += 1
            }
        }
        #expect(truncations > 3_000)
    }

    /// 100,000 strings in 4 independently seeded batches, so they run in parallel.
    @Test(arguments: 0..<4)
    func randomByteStringsDecodeOrFailCleanly(batch: Int) {
        let seed = Self.seed &+ UInt64(batch)
        var generator = SplitMix64(seed: seed)
        var buffer = [UInt8](repeating: 0, count: 1_208)
        for iteration in 0..<25_000 {
            let length = Int.random(in: 0...1_200, using: &generator)
            buffer.withUnsafeMutableBytes { raw in
                for word in 0..<(length + 7) / 8 {
                    raw.storeBytes(of: generator.next(), toByteOffset: word * 8, as: UInt64.self)
                }
            }
            // A request or a response, as a datagram's header bit would say; a quarter of the requests start like a
            // real one (field 1, length-delimited) so decoding gets past the first tag.
            let isRequest = buffer[0] & 1 == 1
            if isRequest && iteration.isMultiple(of: 4) && length > 0 { buffer[0] = 0x0A }
            let bytes = buffer[..<length]
            if let problem = Self.exercise(bytes, as: isRequest ? .request : .response) {
                Issue.record("\(problem) (seed \(seed), iteration \(iteration)): \(Array(bytes).hex)")
            }
            if iteration.isMultiple(of: 10) { Self.exerciseCompactCodecs(bytes) }
        }
    }

    @Test func mutatedVectorsDecodeOrFailCleanly() throws {
        let corpus = try Self.corpus().filter { !$0.isEmpty }
        let seed = Self.seed ^ 0xFF
        var generator = SplitMix64(seed: seed)
        var decoded = 0
        for iteration in 0..<20_000 {
            var bytes = corpus[Int.random(in: 0..<corpus.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                Self.mutate(&bytes, using: &generator)
            }
            if let problem = Self.exercise(bytes[...]) {
                Issue.record("\(problem) (seed \(seed), iteration \(iteration)): \(bytes.hex)")
            }
            if (try? DhtRpc_Request(wireBytes: bytes)) != nil { decoded += 1 }
        }
        #expect(decoded > 1_000)
    }

    /// One random edit: set a byte, flip a bit, insert, delete, duplicate a run, or cut the tail.
    static func mutate(_ bytes: inout [UInt8], using generator: inout SplitMix64) {
        guard !bytes.isEmpty else { bytes.append(UInt8.random(in: 0...255, using: &generator)); return }
        let at = Int.random(in: 0..<bytes.count, using: &generator)
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: bytes[at] = UInt8.random(in: 0...255, using: &generator)
        case 1: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
        case 2: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: at)
        case 3: bytes.remove(at: at)
        case 4:
            let end = min(bytes.count, at + Int.random(in: 1...40, using: &generator))
            bytes.insert(contentsOf: bytes[at..<end], at: at)
        default: bytes.removeLast(bytes.count - at)
        }
    }
}
