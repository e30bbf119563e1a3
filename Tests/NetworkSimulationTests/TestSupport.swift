import IPEncoding
import NetworkSimulation

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
