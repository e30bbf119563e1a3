import Foundation
import HyperDHT
import IPEncoding
import KBucket
import NATDiagnosis
import Testing
@testable import hyperdht

/// Each `--json` line type against its schema (docs/json/TYPE.schema.json): values encoded from the
/// Swift type validate and decode back to the same value; the same lines bent out of shape – a field
/// missing, an address as text, a field too many, a bad time – are rejected, so the validation can fail.
@Suite struct JSONLineSchemaTests {
    static let key = NodeID(topic: "json-schema-test")
    static let id = NodeID(topic: "json-schema-node")
    static let v4 = PeerAddress(host: .loopbackV4, port: 49737)
    static let v6 = PeerAddress(host: .loopbackV6, port: 5)
    static let mapped = PeerAddress(host: .v6(high: 0, low: 0xFFFF_7F00_0001), port: 65535)

    /// An encoded sample line and whether it decodes back to the value it was made from.
    struct Sample {
        var line: String
        var roundTrips: Bool
    }

    static func sample<Body: JSONLineBody & Equatable>(_ body: Body) throws -> Sample {
        let line = try JSONLine(body).text()
        let decoded = try JSONDecoder().decode(JSONLine<Body>.self, from: Data(line.utf8))
        return Sample(line: line, roundTrips: decoded.body == body)
    }

    static func summary(_ command: SummaryLine.Command) -> SummaryLine {
        SummaryLine(command: command, key: key, port: command == .lookup ? nil : 7777,
                    peersFound: command == .unannounce ? nil : 3, storedOn: command == .announce ? 12 : nil,
                    acknowledgedBy: command == .unannounce ? 11 : nil, responses: 20, errors: 1, hops: 3, durationMs: 12.25)
    }

    static func netcheck(_ mapping: MappingBehaviour, _ filtering: FilteringBehaviour, _ verdict: NATVerdict,
                         known: Bool) -> NetcheckLine {
        let evidence = NATReportLine.allCases.map { NATEvidence($0, "fact for \($0.rawValue)") }
        let report = NATReport(localAddresses: [v4, v6], publicAddress: known ? mapped : nil, reporters: known ? 5 : 0,
                               mapping: mapping, portPreserving: known ? true : nil, filtering: filtering,
                               hairpinning: known ? false : nil, verdict: verdict, verdictText: "in words", evidence: evidence)
        return NetcheckLine(report, cutShort: !known)
    }

    static func error(_ cause: PunchFailureCause?) -> ErrorLine {
        let diagnosis = cause.map {
            PunchFailureDiagnosis(peer: v4, referrer: v6, cause: $0, explanation: "what happened",
                                  evidence: [PunchEvidence(at: .milliseconds(3), text: "a step"),
                                             PunchEvidence(at: .milliseconds(1200), text: "a finding", isProblem: true)])
        }
        return ErrorLine(command: cause == nil ? "ping" : "holepunch", message: "no answer", status: 1,
                         diagnosis: diagnosis.map(ErrorLine.PunchDiagnosis.init))
    }

    /// Values of every line type, nullable fields both known and unknown, every enum case.
    static func samples(_ type: String) throws -> [Sample] {
        switch type {
        case SummaryLine.type:
            return try [.lookup, .announce, .unannounce].map { try sample(summary($0)) }
        case PongLine.type:
            return try [sample(PongLine(from: JSONAddress(v4), fromId: id, observedAddress: JSONAddress(mapped), rttMs: 0.4)),
                        sample(PongLine(from: JSONAddress(v6), fromId: nil, observedAddress: JSONAddress(v4), rttMs: 0))]
        case PunchedLine.type:
            return try [sample(PunchedLine(from: JSONAddress(v4), fromId: id, via: JSONAddress(v6),
                                           observedAddress: JSONAddress(v4), rttMs: 3.5)),
                        sample(PunchedLine(from: JSONAddress(v4), fromId: nil, via: JSONAddress(v4),
                                           observedAddress: JSONAddress(v4), rttMs: 3.5))]
        case NetcheckLine.type:
            return try MappingBehaviour.allCases.map { try sample(netcheck($0, .open, .unknown, known: true)) }
                + FilteringBehaviour.allCases.map { try sample(netcheck(.none, $0, .reachableDirectly, known: false)) }
                + NATVerdict.allCases.map { try sample(netcheck(.unknown, .unknown, $0, known: true)) }
        case ErrorLine.type:
            return try ([nil] + PunchFailureCause.allCases).map { try sample(error($0)) }
        case StoppedLine.type:
            return try [sample(StoppedLine(command: "node", signal: "SIGINT", status: 130)),
                        sample(StoppedLine(command: "announce", signal: "SIGTERM", status: 143))]
        case PeersLine.type:
            return try [sample(PeersLine(key: key, node: JSONAddress(v4), nodeId: id, local: false,
                                         peers: [JSONAddress(v4), JSONAddress(mapped)], localPeers: [JSONAddress(v4)])),
                        sample(PeersLine(key: key, node: JSONAddress(v6), nodeId: nil, local: true, peers: [], localPeers: []))]
        case ListeningLine.type:
            return try [sample(ListeningLine(address: JSONAddress(PeerAddress(host: .anyV4, port: 49737)), id: id))]
        case ReadyLine.type:
            return try [sample(ReadyLine(responses: 0)), sample(ReadyLine(responses: 9))]
        case BootstrapFailedLine.type:
            return try [sample(BootstrapFailedLine(error: "no node answered", retryInSeconds: 1)),
                        sample(BootstrapFailedLine(error: "no node answered", retryInSeconds: 60))]
        case ServedAnnounceLine.type:
            return try [sample(ServedAnnounceLine(key: key, peer: JSONAddress(v4), localAddress: JSONAddress(v4), refreshed: true)),
                        sample(ServedAnnounceLine(key: key, peer: JSONAddress(v6), localAddress: nil, refreshed: false))]
        case ServedUnannounceLine.type:
            return try [sample(ServedUnannounceLine(key: key, peer: JSONAddress(v4)))]
        case ServedLookupLine.type:
            return try [sample(ServedLookupLine(key: key, from: JSONAddress(v6), answered: 2))]
        case TestnetLine.type:
            return try [sample(TestnetLine(bootstrap: JSONAddress(v4), nodes: 20))]
        case MetricsLine.type:
            return try [sample(MetricsLine(url: "http://127.0.0.1:9464/metrics", address: JSONAddress(PeerAddress(host: .loopbackV4, port: 9464)))),
                        sample(MetricsLine(url: "http://[::1]:9464/metrics", address: JSONAddress(v6)))]
        case KeepingLine.type:
            return try [sample(KeepingLine(key: key, port: 0, lanAddress: nil)),
                        sample(KeepingLine(key: key, port: 7777, lanAddress: JSONAddress(v4)))]
        case KeepaliveLine.type:
            return try [sample(KeepaliveLine(key: key, storingNodes: 20, answered: 19, behindNAT: true, nextSeconds: 25)),
                        sample(KeepaliveLine(key: key, storingNodes: 0, answered: 0, behindNAT: nil, nextSeconds: nil))]
        default:
            return []
        }
    }

    /// The line bent out of shape in every way a schema must catch: each field but `type` left out,
    /// each address given as `host:port` text, a field the schema does not name, a time without milliseconds.
    static func wrongShapes(_ line: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        var bent: [[String: Any]] = []
        for field in object.keys where field != "type" {
            var missing = object
            missing.removeValue(forKey: field)
            bent.append(missing)
        }
        for (field, value) in object {
            guard let address = value as? [String: Any], let host = address["host"], let port = address["port"] else { continue }
            var text = object
            text[field] = "\(host):\(port)"
            bent.append(text)
        }
        var extra = object
        extra["extra"] = 1
        bent.append(extra)
        var time = object
        time["time"] = "2026-12-01T05:55:00Z"
        bent.append(time)
        return try bent.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
    }

    static let types = JSONLineCatalogue.types

    @Test func everyLineTypeHasASchemaAndEverySchemaALineType() throws {
        #expect(Set(Self.types) == (try JSONSchemaValidator.schemaTypes()))
        #expect(Set(Self.types).count == Self.types.count, "two bodies share a type")
        for type in Self.types { #expect(!(try Self.samples(type)).isEmpty, "no samples of \(type)") }
    }

    @Test(arguments: JSONLineSchemaTests.types)
    func encodedValuesValidateAndWrongShapesAreRejected(type: String) throws {
        let samples = try Self.samples(type)
        for sample in samples { #expect(sample.roundTrips, "\(type) does not decode to what it encoded: \(sample.line)") }
        let good = samples.map(\.line)
        let bad = try good.flatMap(Self.wrongShapes)
        let verdicts = try JSONSchemaValidator.verdicts(good + bad)
        for (line, verdict) in zip(good, verdicts.prefix(good.count)) {
            #expect(verdict == "ok \(type)", "\(verdict)\n\(line)")
        }
        for (line, verdict) in zip(bad, verdicts.dropFirst(good.count)) {
            #expect(verdict.hasPrefix("invalid: "), "the \(type) schema accepted a wrong shape: \(line)")
        }
    }

    @Test func anAddressHasOneShapeForBothFamilies() throws {
        let v4 = try JSONLine(TestnetLine(bootstrap: JSONAddress(Self.v4), nodes: 1)).text()
        #expect(v4.contains(#""bootstrap":{"family":4,"host":"127.0.0.1","port":49737}"#), "\(v4)")
        let v6 = try JSONLine(TestnetLine(bootstrap: JSONAddress(Self.v6), nodes: 1)).text()
        #expect(v6.contains(#""bootstrap":{"family":6,"host":"::1","port":5}"#), "\(v6)")
        let mapped = try JSONLine(TestnetLine(bootstrap: JSONAddress(Self.mapped), nodes: 1)).text()
        #expect(mapped.contains(#""bootstrap":{"family":6,"host":"::ffff:127.0.0.1","port":65535}"#), "\(mapped)")
        // A family that does not match the host is refused when read back.
        let wrong = #"{"bootstrap":{"family":4,"host":"::1","port":5},"nodes":1,"time":"2026-12-01T05:55:00.000Z","type":"testnet"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONLine<TestnetLine>.self, from: Data(wrong.utf8)) }
    }

    @Test func unknownValuesAreNullNotLeftOut() throws {
        let line = try JSONLine(PongLine(from: JSONAddress(Self.v4), fromId: nil, observedAddress: JSONAddress(Self.v4), rttMs: 1)).text()
        #expect(line.contains(#""fromId":null"#), "\(line)")
        #expect(line.range(of: #""time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z""#, options: .regularExpression) != nil, "\(line)")
        #expect(line.hasSuffix(#""type":"pong"}"#), "\(line)")
    }
}
