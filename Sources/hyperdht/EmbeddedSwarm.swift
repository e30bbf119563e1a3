import DHTRPC
import IPEncoding
import KBucket
import NIOCore
import NodeRuntime

/// The monitor's default network: `size` real-UDP nodes on 127.0.0.1 in this process, plus light
/// background traffic (pings, `_find_node` walks, an occasional hole punch) so every pane shows
/// something real at once. The HyperDHT layer will replace the walks with announces and lookups.
struct EmbeddedSwarm: Sendable {
    let nodes: [DHTNodeHandle]

    /// Starts the nodes; each joins through the first, then all bootstrap once more so early joiners
    /// know the late ones.
    static func start(size: Int, on group: any EventLoopGroup) async throws -> EmbeddedSwarm {
        let first = try await DHTNodeHandle.start(host: .loopbackV4, on: group.next())
        var nodes = [first]
        for _ in 1..<max(2, size) {
            let configuration = DHTNodeConfiguration(bootstrap: [first.localAddress])
            nodes.append(try await DHTNodeHandle.start(configuration: configuration, host: .loopbackV4, on: group.next()))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { try await node.ready() } }
            try await group.waitForAll()
        }
        await withTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { _ = try? await node.bootstrap() } }
        }
        return EmbeddedSwarm(nodes: nodes)
    }

    /// Addresses to bootstrap from.
    var bootstrapAddresses: [PeerAddress] { Array(nodes.prefix(3).map(\.localAddress)) }

    /// Runs background traffic involving `monitored` until the task is cancelled.
    func startActivity(monitored: DHTNodeHandle) -> Task<Void, Never> {
        let nodes = self.nodes
        return Task {
            var generator = SystemRandomNumberGenerator()
            var tick = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(1500))
                tick += 1
                let asker = nodes.randomElement(using: &generator)!
                let target = tick % 3 == 0 ? monitored.localAddress : nodes.randomElement(using: &generator)!.localAddress
                Task { _ = try? await asker.ping(target) }
                if tick % 3 == 1 { Task { await Self.walk(monitored) } }
                if tick % 4 == 2 { Task { await Self.walk(nodes.randomElement()!) } }
                if tick % 10 == 5 {
                    let peer = nodes.randomElement(using: &generator)!.localAddress
                    let referrer = nodes.randomElement(using: &generator)!.localAddress
                    if peer != referrer { Task { _ = try? await monitored.holepunch(peer: peer, referrer: referrer) } }
                }
                if tick % 5 == 0 {
                    Task { _ = try? await monitored.ping(nodes.randomElement()!.localAddress) }
                }
            }
        }
    }

    /// A `_find_node` walk toward a random target, run to the end.
    static func walk(_ node: DHTNodeHandle) async {
        var generator = SystemRandomNumberGenerator()
        let target = NodeID((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        guard let events = try? await node.query(DHTQuery(command: "_find_node", target: target)) else { return }
        for await _ in events {}
    }

    /// Closes every node.
    func close() async {
        await withTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { await node.close() } }
        }
    }
}
