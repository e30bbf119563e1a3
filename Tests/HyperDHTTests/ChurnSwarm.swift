import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import NetworkSimulation
import UDPRequest

/// Where a node of a ``ChurnSwarm`` sits: on a public address, or alone behind one of the lab's NATs.
enum ChurnNodeKind: CaseIterable, CustomStringConvertible {
    /// Reached at its bound address (11.x.y.z).
    case publicHost
    /// Endpoint-independent mapping and filtering.
    case fullCone
    /// Endpoint-independent mapping, address-dependent filtering.
    case restrictedCone
    /// Endpoint-independent mapping, address-and-port-dependent filtering (a home router, Linux MASQUERADE).
    case portRestricted
    /// A new port per destination (MASQUERADE --random-fully). The port one peer sees is useless to any
    /// other, so no walk can reach such a node through a referrer: it always joins ephemeral (sends no
    /// id, never enters a routing table) – what hyperdht's later versions do for a node they find
    /// firewalled, and what `--ephemeral` does in our CLI. It still looks up and announces.
    case portRandomising

    var behaviour: NATBehaviour? {
        switch self {
        case .publicHost: nil
        case .fullCone: .fullCone
        case .restrictedCone: .restrictedCone
        case .portRestricted: .portPreservingRouter
        case .portRandomising: .portRandomisingRouter
        }
    }

    var description: String {
        switch self {
        case .publicHost: "public"
        case .fullCone: "full-cone"
        case .restrictedCone: "EIM+ADF"
        case .portRestricted: "EIM+APDF"
        case .portRandomising: "random"
        }
    }
}

/// The knobs of one churn run (issue 12 item 4).
struct ChurnScenario {
    /// Nodes that join before the measured rounds; as many join during them as leave.
    var nodes: Int
    /// Share of the nodes (initial and joining) behind a NAT, split evenly over the four NAT kinds.
    var natShare: Double
    /// Whether nodes behind filtering NATs (restricted and port-restricted cone) join ephemeral too.
    /// Listed in others' tables, such a node answers only the few peers its NAT holds a session with
    /// (30–40 s after it last sent them anything); a walk reaches it only by a punch through a referrer
    /// it talked to lately. Full-cone nodes stay members either way.
    var filteringNATsEphemeral = true
    /// Probability that any datagram is lost, for the whole run (joins included).
    var lossProbability: Double
    /// Share of the initial node count that leaves over the rounds (and the number that joins).
    var churnShare: Double
    /// Measured rounds: in each, 1/rounds of the leavers leave and of the joiners join over a window,
    /// then lookups run.
    var rounds: Int = 6
    /// The churn window of each round (leaves and joins spread over it; lookups start at its end).
    var window: Duration = .seconds(10)
    /// `_find_node` walks toward random targets per round, from distinct random live nodes at once.
    var lookupsPerRound: Int = 20
    /// Announcements per round (random topics from random live nodes), each looked up at the end of
    /// its round and again at the end of the run.
    var announcesPerRound: Int = 5
    var seed: UInt64 = 0x12_0004

    /// The run: 10% loss, 30% of the nodes leave and as many join, 30% behind NATs.
    static func churned(nodes: Int, filteringNATsEphemeral: Bool = true) -> ChurnScenario {
        ChurnScenario(nodes: nodes, natShare: 0.3, filteringNATsEphemeral: filteringNATsEphemeral,
                      lossProbability: 0.1, churnShare: 0.3)
    }

    /// The same size and seed with no loss, no churn and no NAT.
    static func baseline(nodes: Int) -> ChurnScenario {
        ChurnScenario(nodes: nodes, natShare: 0, lossProbability: 0, churnShare: 0)
    }
}

/// HyperDHT nodes on one simulated network under churn, loss and NATs: node 0 (public, never leaves)
/// bootstraps everyone. Node `i` binds 11.x (public) or 172.16.x behind a NAT seen at 12.x – global-looking
/// addresses, since a referrer refuses to forward a punch into a private block for an outside requester.
final class ChurnSwarm {
    let scenario: ChurnScenario
    let network: SimulatedNetwork
    let nat: NATPolicy
    private(set) var nodes: [HyperDHTNode] = []
    private(set) var kinds: [ChurnNodeKind] = []
    /// Indices of the nodes started and not closed.
    private(set) var live: Set<Int> = []
    /// The node index behind each id.
    private(set) var indexByID: [NodeID: Int] = [:]
    private var generator: SeededRandomGenerator

    init(_ scenario: ChurnScenario) throws {
        self.scenario = scenario
        network = try SimulatedNetwork(seed: scenario.seed, conditions: LinkConditions(
            latency: .milliseconds(5), jitter: .milliseconds(3), lossProbability: scenario.lossProbability))
        nat = NATPolicy(seed: scenario.seed)
        network.pathPolicy = nat
        generator = SeededRandomGenerator(seed: scenario.seed ^ 0xC_4A2)
    }

    var scheduler: VirtualScheduler { network.scheduler }
    func run(for duration: Duration) { _ = scheduler.run(for: duration) }

    static func publicHost(_ index: Int) -> IPAddress { .v4(0x0B00_0000 | UInt32(index + 1)) }
    static func internalHost(_ index: Int) -> IPAddress { .v4(0xAC10_0000 | UInt32(index + 1)) }
    static func natHost(_ index: Int) -> IPAddress { .v4(0x0C00_0000 | UInt32(index + 1)) }

    /// The host everyone else sees node `index` at.
    func visibleHost(_ index: Int) -> IPAddress { kinds[index] == .publicHost ? Self.publicHost(index) : Self.natHost(index) }

    /// Whether node `index` joins ephemeral (sends no id, so it never enters a routing table).
    func isEphemeral(_ kind: ChurnNodeKind) -> Bool {
        switch kind {
        case .publicHost, .fullCone: false
        case .restrictedCone, .portRestricted: scenario.filteringNATsEphemeral
        case .portRandomising: true
        }
    }

    /// Whether node `index` may be in routing tables (it is not ephemeral).
    func isMember(_ index: Int) -> Bool { !isEphemeral(kinds[index]) }

    /// Creates and starts one more node, of a kind drawn with the scenario's shares (node 0: public).
    @discardableResult
    func addNode() throws -> Int {
        let index = nodes.count
        var kind = ChurnNodeKind.publicHost
        if index > 0 && Double.random(in: 0..<1, using: &generator) < scenario.natShare {
            kind = [.fullCone, .restrictedCone, .portRestricted, .portRandomising][Int.random(in: 0..<4, using: &generator)]
        }
        let host: IPAddress
        if let behaviour = kind.behaviour {
            host = Self.internalHost(index)
            try nat.addNAT(publicHost: Self.natHost(index), internalHosts: [host], behaviour: behaviour)
        } else {
            host = Self.publicHost(index)
        }
        var configuration = DHTNodeConfiguration()
        configuration.ephemeral = isEphemeral(kind)
        if index > 0 { configuration.bootstrap = [nodes[0].dht.localAddress] }
        let dht = try DHTNode(configuration: configuration, transport: try network.bind(host: host, port: 49737),
                              scheduler: scheduler, random: .seeded(scenario.seed &* 7_919 &+ UInt64(index)))
        let node = HyperDHTNode(dht: dht, random: .seeded(scenario.seed &+ UInt64(index)))
        nodes.append(node)
        kinds.append(kind)
        indexByID[dht.id] = index
        live.insert(index)
        node.start()
        return index
    }

    /// Closes node `index` (it sends nothing more; datagrams to it are undeliverable).
    func remove(_ index: Int) {
        nodes[index].close()
        live.remove(index)
    }

    /// Live nodes in index order (a `Set`'s order changes from run to run; this one does not).
    var liveIndices: [Int] { live.sorted() }

    /// `count` distinct live nodes drawn from the seeded generator, never node 0.
    func randomLive(_ count: Int, excluding excluded: Set<Int> = []) -> [Int] {
        var pool = liveIndices.filter { $0 != 0 && !excluded.contains($0) }
        pool.shuffle(using: &generator)
        return Array(pool.prefix(count))
    }

    func randomTarget() -> NodeID {
        NodeID((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The ids of the k live member nodes closest to `target`, but `excluding`.
    func closestLiveMembers(to target: NodeID, k: Int = 20, excluding: NodeID? = nil) -> [NodeID] {
        var best: [(XORDistance, NodeID)] = []
        for index in live where isMember(index) {
            let id = nodes[index].dht.id
            guard id != excluding else { continue }
            let distance = id.distance(to: target)
            if best.count == k, let last = best.last, !(distance < last.0) { continue }
            var position = best.count
            while position > 0 && distance < best[position - 1].0 { position -= 1 }
            best.insert((distance, id), at: position)
            if best.count > k { best.removeLast() }
        }
        return best.map(\.1)
    }

    /// Runs until `done` holds or `limit` passes, in 100 ms steps.
    func run(until done: () -> Bool, limit: Duration = .seconds(60)) {
        let deadline = scheduler.now + limit
        while !done() && scheduler.now < deadline { run(for: .milliseconds(100)) }
    }

    /// Draws from the swarm's generator (for the churn schedule).
    func randomDelay(below window: Duration) -> Duration {
        .milliseconds(Int.random(in: 0..<max(1, Int(window.milliseconds)), using: &generator))
    }
}
