import DHTMessages
import Foundation
import HyperDHT
import IPEncoding
import Testing

/// hyperdht payloads from the network never crash a decoder: every truncation and 20,000 seeded mutations of the
/// captured and reference `value`s decode to an error or a value that round-trips.
@Suite struct HyperdhtMessageRobustnessTests {
    /// Every hyperdht Request/Response payload in the fixtures.
    private func corpus() throws -> [[UInt8]] {
        var values = try CapturedPeersDatagram.all().compactMap { datagram -> [UInt8]? in
            let value = datagram.request?.value ?? datagram.response?.value
            return value.map { Array($0) }
        }
        let reference = try loadFixture("protobuf-messages")
        for section in ["encode", "decode"] {
            for vector in try #require(reference[section] as? [[String: Any]])
            where (vector["message"] as? String)?.hasPrefix("hyperdht") == true {
                values.append(bytes(try #require(vector["hex"] as? String)))
            }
        }
        return values
    }

    /// Decodes `payload` both ways; whatever decodes must round-trip and its compact fields must decode or throw.
    private func exercise(_ payload: [UInt8]) -> Bool {
        if let request = try? Hyperdht_Request(wireBytes: payload) {
            guard let again = try? request.wireBytes(), (try? Hyperdht_Request(wireBytes: again)) == request else { return false }
            _ = try? LocalAddressCodec.decode(request.localAddress)
        }
        if let response = try? Hyperdht_Response(wireBytes: payload) {
            guard let again = try? response.wireBytes(), (try? Hyperdht_Response(wireBytes: again)) == response else { return false }
            _ = try? PeerListCodec.ipv4.decode(response.peers)
            _ = try? LocalPeersCodec.decode(response.localPeers, requesterLocalAddress: PeerAddress(host: IPAddress(10, 0, 0, 1), port: 1))
        }
        return true
    }

    @Test func everyTruncationDecodesOrFailsCleanly() throws {
        for payload in try corpus() {
            for length in 0...payload.count where !exercise(Array(payload[..<length])) {
                Issue.record("round trip broke: \(hex(payload[..<length]))")
            }
        }
    }

    @Test func mutatedPayloadsDecodeOrFailCleanly() throws {
        let corpus = try corpus().filter { !$0.isEmpty }
        let seed: UInt64 = 0x7065_6572_73  // "peers"
        var generator = SplitMix64(seed: seed)
        for iteration in 0..<20_000 {
            var payload = corpus[Int.random(in: 0..<corpus.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let at = Int.random(in: 0...payload.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where at < payload.count: payload[at] = UInt8.random(in: 0...255, using: &generator)
                case 1 where at < payload.count: payload.remove(at: at)
                default: payload.insert(UInt8.random(in: 0...255, using: &generator), at: at)
                }
            }
            if !exercise(payload) { Issue.record("round trip broke (seed \(seed), iteration \(iteration)): \(hex(payload))") }
        }
    }
}
