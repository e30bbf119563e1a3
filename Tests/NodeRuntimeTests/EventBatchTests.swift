import DHTRPC
import IPEncoding
import NIOPosix
import NodeRuntime
import Testing
import UDPRequest

/// `eventBatches` hands a node's events over a batch per interval, so a burst costs a few
/// hand-overs instead of one per event; closing the node delivers what is pending and ends the stream.
@Suite(.timeLimit(.minutes(1))) struct EventBatchTests {
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
            for event in batch {
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
        let batches = try await server.eventBatches(every: .seconds(5), limit: 10)
        for _ in 0..<30 { _ = try await client.ping(server.localAddress) }
        await server.close()  // flushes the pending batch long before its 5 s are up
        var all: [DHTEvent] = []
        for await batch in batches { all += batch }
        #expect(all.count == 10)
        await client.close()
        try await group.shutdownGracefully()
    }
}
