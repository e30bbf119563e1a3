import DHTRPC
import IPEncoding
import NIOPosix
import NodeRuntime
import Testing
import UDPRequest

/// `eventBatches` hands a node's events over a batch per interval, so a burst costs a few
/// hand-overs instead of one per event; closing the node delivers what is pending and ends the stream.
@Suite(.timeLimit(.minutes(5))) struct EventBatchTests {
    @Test func aBurstOfPingsArrivesCompleteInFewBatches() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let client = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let batches = try await server.eventBatches(every: .milliseconds(200))
        let pings = 200
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for _ in 0..<pings { tasks.addTask { _ = try await client.ping(server.localAddress) } }
            try await tasks.waitForAll()
        }
        await server.close()

        var received: [UInt16] = []
        var batchCount = 0
        for await batch in batches {
            batchCount += 1
            for event in batch.events {
                if case .socket(.requestReceived(let tid, "_ping", let from, _)) = event, from == client.localAddress {
                    received.append(tid)
                }
            }
        }
        #expect(received.count == pings)
        #expect(Set(received).count == pings)
        #expect(batchCount < pings / 10, "\(batchCount) batches for \(pings) pings")
        await client.close()
        try await group.shutdownGracefully()
    }

    @Test func aBatchKeepsTheNewestEventsUpToItsLimit() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let client = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let batches = try await server.eventBatches(every: .seconds(600), limit: 10)
        let every = try await server.events()
        for _ in 0..<30 { _ = try await client.ping(server.localAddress) }
        await server.close()  // flushes the pending batch long before its 600 s are up
        var all: [DHTEvent] = []
        var dropped = 0
        for await batch in batches {
            all += batch.events
            dropped += batch.dropped
        }
        var total = 0
        for await _ in every { total += 1 }
        #expect(all.count == 10)
        #expect(dropped == total - 10, "the trimmed events are counted: \(dropped) of \(total)")
        await client.close()
        try await group.shutdownGracefully()
    }

    /// A consumer that reads nothing while 2 batches fit in the buffer loses whole batches; each
    /// lost batch is counted in a later one, so events seen plus events counted is every event.
    @Test func batchesLostToAFullBufferAreCounted() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let client = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let batches = try await server.eventBatches(every: .milliseconds(1), bufferedBatches: 2)
        let every = try await server.events()
        for _ in 0..<40 {
            _ = try await client.ping(server.localAddress)
            try await Task.sleep(for: .milliseconds(3))  // a batch per ping
        }
        await server.close()
        var seen = 0, dropped = 0, count = 0
        for await batch in batches {
            seen += batch.events.count
            dropped += batch.dropped
            count += 1
        }
        var total = 0
        for await _ in every { total += 1 }
        #expect(dropped > 0, "2 buffered batches cannot hold 40 pings' events")
        #expect(seen + dropped == total, "seen \(seen) + dropped \(dropped) of \(total) in \(count) batches")
        await client.close()
        try await group.shutdownGracefully()
    }

    /// Batched events carry when they happened on the node's clock: over real UDP the times never go
    /// backwards, none is later than its batch's hand-over, and a punch's answer comes after its ask
    /// by about the measured round trip (not the 20 ms batch interval, nor 0).
    @Test func batchedEventsCarryTheNodesTimes() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let referrer = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let peer = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let us = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        _ = try await peer.ping(referrer.localAddress)  // the referrer knows the peer
        let batches = try await us.eventBatches(every: .milliseconds(20))
        let reply = try await us.holepunch(peer: peer.localAddress, referrer: referrer.localAddress, options: .forwardOnly)
        await us.close()
        var times: [Timestamp] = []
        var asked: Timestamp?, answered: Timestamp?
        for await batch in batches {
            #expect(batch.times.count == batch.events.count)
            #expect(batch.times.allSatisfy { $0 <= batch.handedOverAt })
            for (event, time) in zip(batch.events, batch.times) {
                times.append(time)
                if case .holepunchAsked = event { asked = time }
                if case .holepunchAnswered = event { answered = time }
            }
        }
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "times never go backwards")
        let gap = Duration.nanoseconds(try #require(answered).nanoseconds - (try #require(asked)).nanoseconds)
        #expect(gap > .zero)
        #expect(gap <= reply.roundTripTime + .milliseconds(5), "ask → answer \(gap), measured RTT \(reply.roundTripTime)")
        await referrer.close()
        await peer.close()
        try await group.shutdownGracefully()
    }
}
