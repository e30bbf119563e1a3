import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import NIOCore
import NodeRuntime

/// The monitor's default network: `size` real-UDP hyperdht nodes on 127.0.0.1 in this process, plus
/// light background traffic – a few topics announced by swarm nodes and looked up by others, pings,
/// `_find_node` walks and an occasional hole punch – so every pane shows something real at once.
struct EmbeddedSwarm: Sendable {
    let nodes: [HyperDHTHandle]

    /// Topics the swarm announces and looks up; typing one after `l` in the monitor finds its peers.
    static let topics = ["hyperdht-demo", "swift-nodes", "nat-lab"]

    /// Starts the nodes; each joins through the first, then all bootstrap once more so early joiners
    /// know the late ones.
    static func start(size: Int, on group: any EventLoopGroup) async throws -> EmbeddedSwarm {
        let first = try await HyperDHTHandle.start(host: .loopbackV4, on: group.next())
        var nodes = [first]
        for _ in 1..<max(2, size) {
            let configuration = DHTNodeConfiguration(bootstrap: [first.localAddress])
            nodes.append(try await HyperDHTHandle.start(configuration: configuration, host: .loopbackV4, on: group.next()))
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

    /// The key of a demo topic.
    static func key(_ topic: String) -> NodeID { NodeID(topic: topic) }

    /// Runs background traffic involving `monitored` until the task is cancelled.
    func startActivity(monitored: HyperDHTHandle) -> Task<Void, Never> {
        let nodes = self.nodes
        return Task {
            var generator = SystemRandomNumberGenerator()
            // Two swarm nodes keep each topic announced at their own UDP address (port 0), so the
            // peers a lookup finds answer pings and hole punches.
            for (index, topic) in Self.topics.enumerated() {
                for announcer in nodes.dropFirst(1 + index * 3).prefix(2) {
                    _ = try? await announcer.keepAnnounced(key: Self.key(topic), port: 0)
                }
            }
            var tick = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(1500))
                tick += 1
                let asker = nodes.randomElement(using: &generator)!
                let target = tick % 3 == 0 ? monitored.localAddress : nodes.randomElement(using: &generator)!.localAddress
                Task { _ = try? await asker.ping(target) }
                if tick % 4 == 1 {
                    let topic = Self.topics.randomElement(using: &generator)!
                    Task { await Self.drain(try? await asker.lookup(key: Self.key(topic))) }
                }
                if tick % 6 == 2 { Task { await Self.walk(monitored) } }
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
    static func walk(_ node: HyperDHTHandle) async {
        var generator = SystemRandomNumberGenerator()
        let target = NodeID((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let stream = try? await node.withNode { $0.dht.query(DHTQuery(command: "_find_node", target: target)) }
        guard let stream else { return }
        for await _ in stream {}
    }

    static func drain(_ stream: AsyncStream<PeerQueryEvent>?) async {
        guard let stream else { return }
        for await _ in stream {}
    }

    /// Closes every node.
    func close() async {
        await withTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { await node.close() } }
        }
    }
}
