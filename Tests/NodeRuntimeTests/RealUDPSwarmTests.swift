import DHTRPC
import IPEncoding
import KBucket
import NIOCore
import NIOPosix
import HyperDHT
import NodeRuntime
import Testing

/// Nodes over real UDP on 127.0.0.1, in this process.
@Suite(.timeLimit(.minutes(5))) struct RealUDPSwarmTests {
    static func startSwarm(size: Int, on group: MultiThreadedEventLoopGroup) async throws -> [DHTNodeHandle] {
        let first = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        var handles = [first]
        for _ in 1..<size {
            let configuration = DHTNodeConfiguration(bootstrap: [first.localAddress])
            handles.append(try await DHTNodeHandle.start(configuration: configuration, host: .loopbackV4, on: group.next()))
        }
        for handle in handles { try await handle.ready() }
        // A second bootstrap round fills early joiners' tables, as long-running nodes do.
        for handle in handles { _ = try await handle.bootstrap() }
        return handles
    }

    @Test func twentyNodesFindExactlyTheTwentyClosestIdsOverLoopback() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let handles = try await Self.startSwarm(size: 20, on: group)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            let target = NodeID((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let asker = handles.randomElement(using: &generator)!
            let (results, summary) = await (try await asker.query(DHTQuery(command: "_find_node", target: target))).collect()
            let answers = results.count
            let expected = handles.map(\.id).filter { $0 != asker.id }
                .sorted { $0.distance(to: target) < $1.distance(to: target) }
            let found = try #require(summary).closest.compactMap(\.id)
            #expect(found == Array(expected.prefix(20)))
            #expect(answers == 19)
        }
        for handle in handles { await handle.close() }
        try await group.shutdownGracefully()
    }

    @Test func pingReportsTheAddressThePeerSeesAndARoundTripTime() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let a = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let b = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let reply = try await a.ping(b.localAddress)
        #expect(reply.observedAddress == a.localAddress)
        #expect(reply.responderID == b.id)
        #expect(reply.roundTripTime > .zero)
        let events = try await b.events()
        _ = try await a.ping(b.localAddress)
        await b.close()
        var sawRequest = false
        for await event in events {
            if case .socket(.requestReceived(_, let command, let from, _)) = event, command == "_ping", from == a.localAddress {
                sawRequest = true
            }
        }
        #expect(sawRequest)
        await a.close()
        try await group.shutdownGracefully()
    }

    @Test func pingToASilentPortTimesOut() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let a = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let silent = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        let address = silent.localAddress
        await silent.close()
        await #expect(throws: DHTError.self) { try await a.ping(address) }
        await a.close()
        try await group.shutdownGracefully()
    }
}

/// hyperdht nodes over real UDP: an announce (an update with round-trip tokens) is found by a lookup.
@Suite(.timeLimit(.minutes(5))) struct RealUDPHyperDHTTests {
    @Test func announceWithTokensOverLoopbackIsFoundByALookupFromAnotherNode() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let first = try await HyperDHTHandle.start(host: .loopbackV4, on: group.next())
        var nodes = [first]
        for _ in 1..<20 {
            nodes.append(try await HyperDHTHandle.start(configuration: DHTNodeConfiguration(bootstrap: [first.localAddress]),
                                                        host: .loopbackV4, on: group.next()))
        }
        for node in nodes { try await node.ready() }
        let key = NodeID([UInt8](repeating: 0xAB, count: 32))
        let (_, announced) = await (try await nodes[3].announce(key: key, port: 5151)).collect()
        #expect(announced?.error == nil)
        #expect((announced?.commits ?? 0) > 0)
        let (results, _) = await (try await nodes[17].lookup(key: key)).collect()
        #expect(results.flatMap(\.peers).contains(PeerAddress(host: .loopbackV4, port: 5151)))
        for node in nodes { await node.close() }
        try await group.shutdownGracefully()
    }
}
