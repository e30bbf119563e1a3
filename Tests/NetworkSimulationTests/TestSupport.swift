import IPEncoding
import NetworkSimulation
import UDPRequest

/// The IPv4 host 10.x.y.z for index `i`, so thousands of endpoints get distinct hosts.
func host(_ i: Int) -> IPAddress {
    IPAddress(10, UInt8((i >> 16) & 0xFF), UInt8((i >> 8) & 0xFF), UInt8(i & 0xFF))
}

/// Collects what a transport receives.
final class Inbox {
    var datagrams: [(bytes: [UInt8], source: PeerAddress)] = []

    init(_ transport: SimulatedTransport) {
        transport.setReceiver { [weak self] bytes, source in self?.datagrams.append((bytes, source)) }
    }

    var payloads: [[UInt8]] { datagrams.map(\.bytes) }
}

/// One NAT at 203.0.113.1 hiding 192.168.1.10 and .11, an endpoint inside at 192.168.1.10:5000, and
/// three public servers: two ports of host(1) and one of host(2). Links are perfect (1 ms).
final class NATFixture {
    static let publicIP = IPAddress(203, 0, 113, 1)
    static let lanIP = IPAddress(192, 168, 1, 10)
    static let lan2IP = IPAddress(192, 168, 1, 11)

    let network: SimulatedNetwork
    let nat: NATPolicy
    let inside: SimulatedTransport
    let servers: [SimulatedTransport]
    /// What `inside` receives.
    let inbox: Inbox

    init(_ behaviour: NATBehaviour, seed: UInt64 = 1) throws {
        network = SimulatedNetwork(seed: seed)
        nat = NATPolicy(seed: seed)
        try nat.addNAT(publicHost: Self.publicIP, internalHosts: [Self.lanIP, Self.lan2IP], behaviour: behaviour)
        network.pathPolicy = nat
        inside = try network.bind(host: Self.lanIP, port: 5000)
        inbox = Inbox(inside)
        servers = [
            try network.bind(host: host(1), port: 1),
            try network.bind(host: host(1), port: 2),
            try network.bind(host: host(2), port: 1),
        ]
    }

    /// `inside`'s port-preserving public address.
    var mapped: PeerAddress { PeerAddress(host: Self.publicIP, port: 5000) }

    /// Moves the clock to `seconds` after the start, runs `body` there, and delivers what it sent.
    func at(_ seconds: Double, _ body: () -> Void) {
        network.scheduler.run(until: time(seconds))
        body()
        network.scheduler.run(for: .milliseconds(10))
    }

    /// The sources each server has received datagrams from, in order.
    func recordSources() -> [Inbox] { servers.map { Inbox($0) } }
}

/// `seconds` after the clock's origin.
func time(_ seconds: Double) -> Timestamp { Timestamp(nanoseconds: Int64((seconds * 1e9).rounded())) }
