import DHTMessages
import Foundation
import IPEncoding
import NetworkSimulation
import Testing
import UDPRequest

/// A few request sockets on one simulated network.
final class SocketHarness {
    let network: SimulatedNetwork
    var sockets: [RequestSocket] = []
    var events: [[RequestSocketEvent]] = []

    init(seed: UInt64 = 7, conditions: LinkConditions = .perfect, count: Int) throws {
        network = try SimulatedNetwork(seed: seed, conditions: conditions)
        for index in 0..<count {
            let transport = try network.bind(host: IPAddress(10, 0, 0, UInt8(index + 1)), port: 4000)
            let socket = RequestSocket(transport: transport, scheduler: network.scheduler,
                                       tids: TransactionIDGenerator(start: UInt16(100 * index)))
            let slot = events.count
            events.append([])
            socket.onEvent = { [unowned self] in self.events[slot].append($0) }
            sockets.append(socket)
        }
    }

    var now: Timestamp { network.scheduler.now }
    func address(_ index: Int) -> PeerAddress { sockets[index].localAddress }
    func run(for duration: Duration) { _ = network.scheduler.run(for: duration) }

    /// Makes socket `index` answer every `_ping` with the requester's address as its value.
    func answerPings(_ index: Int) {
        let socket = sockets[index]
        socket.onRequest = { request in
            var response = DhtRpc_Response()
            response.value = Data(try! PeerListCodec.ipv4.encode([request.source]))
            socket.respond(response, tid: request.tid, to: request.source)
        }
    }
}

func ping() -> DhtRpc_Request {
    var request = DhtRpc_Request()
    request.command = "_ping"
    return request
}

@Suite struct RequestSocketTests {
    @Test func requestIsAnsweredWithTheObservedAddressAfterOneRoundTrip() throws {
        let h = try SocketHarness(count: 2)
        h.answerPings(1)
        var result: Result<MatchedResponse, RequestSocketError>?
        let tid = h.sockets[0].request(ping(), to: h.address(1)) { result = $0 }
        #expect(tid == 0)
        #expect(h.sockets[0].inflightCount == 1)
        h.run(for: .seconds(1))
        let response = try #require(try result?.get())
        #expect(try PeerListCodec.ipv4.decodeSingle(response.message.value) == h.address(0))
        #expect(response.source == h.address(1))
        #expect(response.roundTripTime == .milliseconds(2))
        #expect(h.sockets[0].inflightCount == 0)
        #expect(h.sockets[0].counters.responsesMatched == 1)
    }

    @Test func unansweredRequestTimesOutOnTheSixthTickAfterOneDatagram() throws {
        let h = try SocketHarness(count: 2)
        var failedAt: Timestamp?
        var error: RequestSocketError?
        h.sockets[0].request(ping(), to: h.address(1)) { result in
            failedAt = h.now
            if case .failure(let e) = result { error = e }
        }
        h.run(for: .seconds(5))
        #expect(error == .timedOut)
        #expect(failedAt == Timestamp.zero + .milliseconds(1500))
        #expect(h.sockets[0].counters.datagramsOut == 1)
        #expect(h.sockets[0].counters.timeouts == 1)
    }

    @Test func timeoutFallsBetween1250And1500MillisecondsDependingOnTickPhase() throws {
        let h = try SocketHarness(count: 2)
        var elapsed: Duration?
        h.run(for: .milliseconds(100))
        let sentAt = h.now
        h.sockets[0].request(ping(), to: h.address(1)) { _ in elapsed = h.now - sentAt }
        h.run(for: .seconds(5))
        #expect(elapsed == .milliseconds(1400))
    }

    @Test func retryScheduleRetransmitsAtTicks6_11_20AndFailsAtTick33() throws {
        let h = try SocketHarness(count: 2)
        var error: RequestSocketError?
        var sendTimes: [Duration] = []
        h.sockets[1].onRequest = { _ in sendTimes.append(h.now - .zero) }
        h.sockets[0].request(ping(), to: h.address(1), options: .withRetries) { result in
            if case .failure(let e) = result { error = e }
            sendTimes.append(h.now - .zero)
        }
        h.run(for: .seconds(20))
        #expect(error == .timedOut)
        // Received 1 ms after each transmission; failure recorded at tick 33.
        #expect(sendTimes == [1, 1501, 2751, 5001, 8250].map { .milliseconds($0) })
        #expect(h.sockets[0].counters.retransmissions == 3)
    }

    @Test func retriesRecoverMostRequestsOverA30PercentLossyLink() throws {
        let h = try SocketHarness(seed: 42, conditions: LinkConditions(latency: .milliseconds(20), lossProbability: 0.3), count: 2)
        h.answerPings(1)
        var outcomes: [Result<MatchedResponse, RequestSocketError>] = []
        var failureDelays: [Duration] = []
        for _ in 0..<300 {
            let sentAt = h.now
            h.sockets[0].request(ping(), to: h.address(1), options: .withRetries) { result in
                outcomes.append(result)
                if case .failure = result { failureDelays.append(h.now - sentAt) }
            }
        }
        h.run(for: .seconds(30))
        #expect(outcomes.count == 300)
        let answered = outcomes.filter { (try? $0.get()) != nil }.count
        // A round trip survives with p = 0.49; four tries fail together with p ≈ 0.07.
        #expect(answered > 240 && answered < 300)
        #expect(h.sockets[0].counters.retransmissions > 100)
        #expect(failureDelays.allSatisfy { $0 == .milliseconds(8250) })
        let retransmitted = h.events[0].contains { if case .requestRetransmitted = $0 { return true } else { return false } }
        #expect(retransmitted)
    }

    @Test func withoutRetriesA30PercentLossyLinkLosesAboutHalfTheRoundTrips() throws {
        let h = try SocketHarness(seed: 43, conditions: LinkConditions(latency: .milliseconds(20), lossProbability: 0.3), count: 2)
        h.answerPings(1)
        var answered = 0, timedOut = 0
        for _ in 0..<400 {
            h.sockets[0].request(ping(), to: h.address(1)) { result in
                switch result {
                case .success: answered += 1
                case .failure(let error): if error == .timedOut { timedOut += 1 }
                }
            }
        }
        h.run(for: .seconds(5))
        #expect(answered + timedOut == 400)
        #expect(answered > 160 && answered < 240)
        #expect(h.sockets[0].counters.datagramsOut == 400)
    }

    @Test func responseFromAnotherAddressWithAMatchingTidIsDroppedAsSpoofed() throws {
        let h = try SocketHarness(count: 3)
        var result: Result<MatchedResponse, RequestSocketError>?
        let tid = try #require(h.sockets[0].request(ping(), to: h.address(1)) { result = $0 })
        h.sockets[2].respond(DhtRpc_Response(), tid: tid, to: h.address(0))
        h.run(for: .milliseconds(10))
        #expect(result == nil)
        #expect(h.sockets[0].counters.spoofedResponses == 1)
        h.sockets[1].respond(DhtRpc_Response(), tid: tid, to: h.address(0))
        h.run(for: .milliseconds(10))
        #expect(try result?.get().source == h.address(1))
    }

    @Test func holepunchPingIsAnsweredDirectlyByThePunchedPeerThroughTheReferrer() throws {
        let h = try SocketHarness(count: 4)  // 0 asks, 1 refers, 2 is punched, 3 spoofs
        let referrer = h.sockets[1], target = h.sockets[2]
        referrer.onRequest = { request in
            var forwarded = request.message
            let to = try! PeerListCodec.ipv4.decodeSingle(forwarded.forwardRequest)
            forwarded.clearForwardRequest()
            forwarded.forwardResponse = Data(try! PeerListCodec.ipv4.encode([request.source]))
            referrer.forwardRequest(forwarded, tid: request.tid, to: to)
        }
        target.onRequest = { request in
            let requester = try! PeerListCodec.ipv4.decodeSingle(request.message.forwardResponse)
            target.respond(DhtRpc_Response(), tid: request.tid, to: requester)
        }
        var punch = ping()
        punch.forwardRequest = Data(try PeerListCodec.ipv4.encode([h.address(2)]))
        var result: Result<MatchedResponse, RequestSocketError>?
        let tid = try #require(h.sockets[0].request(punch, to: h.address(1)) { result = $0 })
        #expect(h.sockets[0].inflightRequests.first?.holepunchTarget == h.address(2))
        h.sockets[3].respond(DhtRpc_Response(), tid: tid, to: h.address(0))
        h.run(for: .seconds(1))
        #expect(try result?.get().source == h.address(2))
        #expect(h.sockets[0].counters.spoofedResponses == 1)
    }

    @Test func malformedDatagramsAreCountedAndNeverHandedUp() throws {
        let h = try SocketHarness(count: 2)
        var handedUp = 0
        h.sockets[1].onRequest = { _ in handedUp += 1 }
        let raw = try h.network.bind(host: IPAddress(10, 0, 0, 99), port: 1)
        for datagram: [UInt8] in [[], [0x80], [0x80, 0x01], [0x80, 0x01, 0xFF, 0xFF], [0x80, 0x01, 0x12, 0x00]] {
            raw.send(datagram, to: h.address(1))
        }
        h.run(for: .milliseconds(10))
        #expect(handedUp == 0)
        #expect(h.sockets[1].counters.malformedDropped == 5)
        #expect(h.sockets[1].counters.datagramsIn == 5)
    }

    @Test func cancelFailsOneRequestAndCloseFailsTheRestAndStopsSending() throws {
        let h = try SocketHarness(count: 2)
        var errors: [RequestSocketError] = []
        let first = try #require(h.sockets[0].request(ping(), to: h.address(1)) { if case .failure(let e) = $0 { errors.append(e) } })
        h.sockets[0].request(ping(), to: h.address(1)) { if case .failure(let e) = $0 { errors.append(e) } }
        #expect(h.sockets[0].inflightRequests.map(\.tid) == [first, first + 1])
        h.sockets[0].cancel(tid: first)
        #expect(errors == [.cancelled])
        h.sockets[0].close()
        #expect(errors == [.cancelled, .closed])
        h.sockets[0].request(ping(), to: h.address(1)) { if case .failure(let e) = $0 { errors.append(e) } }
        h.run(for: .seconds(3))
        #expect(errors == [.cancelled, .closed, .closed])
        #expect(h.sockets[0].counters.datagramsOut == 2)
        #expect(h.network.scheduler.pendingCount == 0)
    }

    @Test func idleSocketSchedulesNoTimers() throws {
        let h = try SocketHarness(count: 2)
        h.answerPings(1)
        h.sockets[0].request(ping(), to: h.address(1)) { _ in }
        h.run(for: .seconds(1))
        #expect(h.network.scheduler.pendingCount == 0)
    }
}
