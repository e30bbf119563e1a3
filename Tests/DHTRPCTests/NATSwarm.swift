import DHTRPC
import IPEncoding
import KBucket
import NetworkSimulation
import UDPRequest

/// What a node of a ``NATSwarm`` sits behind: nothing, or one of the NATs the lab builds (each node
/// alone behind its own NAT, with the lab's 30/40 s timeouts).
enum NATKind: Int, CaseIterable, CustomStringConvertible {
    /// No NAT: reached at its bound address.
    case none
    /// Endpoint-independent mapping and filtering.
    case fullCone
    /// Endpoint-independent mapping, address-dependent filtering.
    case restrictedCone
    /// Endpoint-independent mapping, address-and-port-dependent filtering: Linux MASQUERADE with the
    /// NEW-drop rule, the lab's NATs A and D, a typical home router.
    case portRestricted
    /// A new port per destination, address-and-port-dependent filtering: MASQUERADE --random-fully,
    /// the lab's NAT B.
    case portRandomising

    var behaviour: NATBehaviour? {
        switch self {
        case .none: nil
        case .fullCone: .fullCone
        case .restrictedCone: .restrictedCone
        case .portRestricted: .portPreservingRouter
        case .portRandomising: .portRandomisingRouter
        }
    }

    var description: String {
        switch self {
        case .none: "public"
        case .fullCone: "full-cone"
        case .restrictedCone: "EIM+ADF"
        case .portRestricted: "EIM+APDF"
        case .portRandomising: "random"
        }
    }
}

/// A ``SimulatedSwarm`` in which some nodes sit behind NATs: node `i` behind a NAT binds
/// 172.16.x.y and is seen at 100.64.x.y; public nodes bind 10.0.x.y. Node 0 (the bootstrap node)
/// is public. Which node gets which kind is drawn from the seed.
final class NATSwarm {
    let swarm: SimulatedSwarm
    let nat: NATPolicy
    let kinds: [NATKind]

    /// `natted` says how many nodes sit behind each kind of NAT; the rest are public.
    init(size: Int, natted: [NATKind: Int], seed: UInt64,
         conditions: LinkConditions = LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(3))) throws {
        var generator = SeededRandomGenerator(seed: seed ^ 0x4E41_5453)
        var order = Array(1..<size)
        order.shuffle(using: &generator)
        var kinds = Array(repeating: NATKind.none, count: size)
        var next = 0
        for kind in NATKind.allCases where kind != .none {
            for _ in 0..<(natted[kind] ?? 0) {
                kinds[order[next]] = kind
                next += 1
            }
        }
        self.kinds = kinds
        swarm = try SimulatedSwarm(size: size, seed: seed, conditions: conditions, host: { index in
            kinds[index] == .none ? Self.publicHost(index) : Self.internalHost(index)
        })
        nat = NATPolicy(seed: seed)
        for index in 0..<size {
            guard let behaviour = kinds[index].behaviour else { continue }
            try nat.addNAT(publicHost: Self.natHost(index), internalHosts: [Self.internalHost(index)], behaviour: behaviour)
        }
        swarm.network.pathPolicy = nat
    }

    // Public and NAT hosts on global-looking addresses (11/8, 12/8): a referrer refuses to forward to a
    // private block (10/8, 100.64/10, ...) for a requester from outside it, as on a real network.
    static func publicHost(_ index: Int) -> IPAddress { .v4(0x0B00_0000 | UInt32(index + 1)) }
    static func internalHost(_ index: Int) -> IPAddress { .v4(0xAC10_0000 | UInt32(index + 1)) }
    static func natHost(_ index: Int) -> IPAddress { .v4(0x0C00_0000 | UInt32(index + 1)) }

    var nodes: [DHTNode] { swarm.nodes }
    var network: SimulatedNetwork { swarm.network }
    var scheduler: VirtualScheduler { swarm.scheduler }
    var now: Timestamp { swarm.scheduler.now }

    /// The indices of the nodes of `kind`.
    func indices(of kind: NATKind) -> [Int] { kinds.indices.filter { kinds[$0] == kind } }

    /// Where everyone reaches node `index` (its EIM mapping or its bound address); `nil` for a
    /// port-randomising node (every peer sees another port) or an expired mapping.
    func publicAddress(_ index: Int) -> PeerAddress? {
        kinds[index] == .none ? nodes[index].localAddress : nat.publicAddress(of: nodes[index].localAddress)
    }

    /// The host everyone else sees node `index` at.
    func visibleHost(_ index: Int) -> IPAddress {
        kinds[index] == .none ? Self.publicHost(index) : Self.natHost(index)
    }

    /// Whether the NAT of either node holds a live session with the other's host right now.
    func haveExchanged(_ first: Int, _ second: Int) -> Bool {
        nat.liveSessions(of: nodes[first].localAddress, at: now).contains { $0.host == visibleHost(second) }
            || nat.liveSessions(of: nodes[second].localAddress, at: now).contains { $0.host == visibleHost(first) }
    }

    /// The node index behind each id.
    lazy var indexByID: [NodeID: Int] = Dictionary(uniqueKeysWithValues: nodes.indices.map { (nodes[$0].id, $0) })
}
