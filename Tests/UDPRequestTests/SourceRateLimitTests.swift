import DHTMessages
import Foundation
import IPEncoding
import NetworkSimulation
import Testing
import UDPRequest

/// The per-source token buckets, alone and in a ``RequestSocket``.
@Suite struct SourceRateLimitTests {
    private func at(ms: Int64) -> Timestamp { Timestamp(nanoseconds: ms * 1_000_000) }

    @Test func aBucketAdmitsItsBurstThenItsRate() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 5, now: at(ms: 0))
        #expect((0..<8).filter { _ in bucket.take(now: at(ms: 0)) }.count == 5)
        let halfToken = bucket.take(now: at(ms: 50))
        let oneToken = bucket.take(now: at(ms: 100))  // one token after 100 ms
        let spent = bucket.take(now: at(ms: 100))
        #expect(!halfToken && oneToken && !spent)
        #expect(!bucket.isFull(at: at(ms: 500)))
        #expect(bucket.isFull(at: at(ms: 600)))   // 5 tokens after 500 ms more
        #expect((0..<8).filter { _ in bucket.take(now: at(ms: 10_000)) }.count == 5, "never more than the burst")
    }

    @Test func sourcesAreHostsAndIPv6SlashSixtyFours() throws {
        var limiter = SourceRateLimiter(limit: SourceRateLimit(ratePerSecond: 1, burst: 2, maxTrackedSources: 100))
        let a = try IPAddress(parsing: "203.0.113.1"), b = try IPAddress(parsing: "203.0.113.2")
        let v6 = { (net: UInt64, host: UInt64) in IPAddress.v6(high: 0x2001_0db8_0000_0000 | net, low: host) }
        let decisions = [
            limiter.admit(from: a, now: at(ms: 0)), limiter.admit(from: a, now: at(ms: 0)),
            limiter.admit(from: a, now: at(ms: 0)), limiter.admit(from: a, now: at(ms: 10)),
            limiter.admit(from: b, now: at(ms: 10)),
            limiter.admit(from: v6(1, 1), now: at(ms: 0)), limiter.admit(from: v6(1, 2), now: at(ms: 0)),
            limiter.admit(from: v6(1, 3), now: at(ms: 0)), limiter.admit(from: v6(2, 3), now: at(ms: 0)),
        ]
        // a: burst of 2, then dropped, reported once per second; b: its own bucket; one /64 is one source.
        #expect(decisions == [.admit, .admit, .drop(report: true), .drop(report: false), .admit,
                              .admit, .admit, .drop(report: true), .admit])
    }

    @Test func theTableIsBoundedAndNewSourcesShareOneBucketWhenItIsFull() {
        var limiter = SourceRateLimiter(limit: SourceRateLimit(ratePerSecond: 1, burst: 1, maxTrackedSources: 4))
        let first = (1...4).map { limiter.admit(from: .v4(UInt32($0)), now: at(ms: 0)) }
        #expect(first == Array(repeating: .admit, count: 4))
        // Four more sources while the table is full of sources that just spent their token: one shared bucket.
        let admitted = (5...8).filter { limiter.admit(from: .v4(UInt32($0)), now: at(ms: 0)) == .admit }
        #expect(admitted.count == 1)
        #expect(limiter.trackedSources == 4)
        // A million spoofed sources never grow it.
        for host in 10..<100_010 { _ = limiter.admit(from: .v4(UInt32(host)), now: at(ms: 0)) }
        #expect(limiter.trackedSources == 4)
        // Once the tracked buckets refill they carry no state and are forgotten to make room.
        let later = limiter.admit(from: .v4(200_000), now: at(ms: 5_000))
        #expect(later == .admit)
        #expect(limiter.trackedSources == 1)
    }

    @Test func aFloodFromOneSourceIsCutToItsLimitWhileOthersAreAnswered() throws {
        let network = try SimulatedNetwork(seed: 3, conditions: .perfect)
        let limit = SourceRateLimit(ratePerSecond: 500, burst: 1_000, maxTrackedSources: 64)
        let server = RequestSocket(transport: try network.bind(host: IPAddress(203, 0, 113, 1), port: 4000),
                                   scheduler: network.scheduler, tids: TransactionIDGenerator(start: 1),
                                   configuration: RequestSocketConfiguration(rateLimit: limit))
        var reports = 0
        server.onEvent = { if case .rateLimited = $0 { reports += 1 } }
        server.onRequest = { request in server.respond(DhtRpc_Response(), tid: request.tid, to: request.source) }
        let flooder = try network.bind(host: IPAddress(198, 51, 100, 66), port: 5000)
        var floodAnswers = 0
        flooder.setReceiver { _, _ in floodAnswers += 1 }
        let ping = try DatagramFrame.request(tid: 7, {
            var message = DhtRpc_Request()
            message.command = "_ping"
            return message
        }()).encode()
        let good = RequestSocket(transport: try network.bind(host: IPAddress(198, 51, 100, 7), port: 4000),
                                 scheduler: network.scheduler, tids: TransactionIDGenerator(start: 1))
        var goodAnswered = 0
        // 20,000 datagrams over 2 s (10,000/s) from the flooder, one request per 100 ms from the good peer.
        for step in 0..<2_000 {
            network.scheduler.schedule(at: Timestamp(nanoseconds: Int64(step) * 1_000_000)) {
                for _ in 0..<10 { flooder.send(ping, to: server.localAddress) }
                if step % 100 == 0 {
                    var message = DhtRpc_Request()
                    message.command = "_ping"
                    good.request(message, to: server.localAddress) { if case .success = $0 { goodAnswered += 1 } }
                }
            }
        }
        _ = network.scheduler.run(for: .seconds(3))
        // Admitted: the burst plus ~2 s of refill (the last datagrams are sent at 1.999 s).
        #expect(floodAnswers >= 1_000 + 900 && floodAnswers <= 1_000 + 1_000)
        #expect(server.counters.rateLimitedDropped == 20_000 - floodAnswers)
        #expect(server.counters.requestsIn == floodAnswers + goodAnswered)
        #expect(goodAnswered == 20, "the good peer is never limited")
        #expect(reports >= 2 && reports <= 3, "reported about once per second, not per datagram: \(reports)")
    }

    @Test func answersToOurOwnRequestsAreNeverLimited() throws {
        let network = try SimulatedNetwork(seed: 4, conditions: .perfect)
        let strict = SourceRateLimit(ratePerSecond: 1, burst: 1, maxTrackedSources: 8)
        let asker = RequestSocket(transport: try network.bind(host: IPAddress(203, 0, 113, 1), port: 4000),
                                  scheduler: network.scheduler, tids: TransactionIDGenerator(start: 1),
                                  configuration: RequestSocketConfiguration(rateLimit: strict))
        let answerer = RequestSocket(transport: try network.bind(host: IPAddress(203, 0, 113, 2), port: 4000),
                                     scheduler: network.scheduler, tids: TransactionIDGenerator(start: 1),
                                     configuration: RequestSocketConfiguration(rateLimit: nil))
        answerer.onRequest = { request in answerer.respond(DhtRpc_Response(), tid: request.tid, to: request.source) }
        var answered = 0
        for _ in 0..<50 {
            var message = DhtRpc_Request()
            message.command = "_ping"
            asker.request(message, to: answerer.localAddress) { if case .success = $0 { answered += 1 } }
        }
        _ = network.scheduler.run(for: .seconds(1))
        #expect(answered == 50)
        #expect(asker.counters.rateLimitedDropped == 0)
        // An unsolicited response from the same host is limited like anything else.
        let stray = try DatagramFrame.response(tid: 999, DhtRpc_Response()).encode()
        let other = try network.bind(host: IPAddress(203, 0, 113, 2), port: 4001)
        for _ in 0..<5 { other.send(stray, to: asker.localAddress) }
        _ = network.scheduler.run(for: .milliseconds(10))
        #expect(asker.counters.rateLimitedDropped == 4)
    }
}
