import IPEncoding
import UDPRequest

/// Wraps the node's transport: counts what reaches it, so the harness can hold the node's own counters to what
/// really arrived, and notes every host the node sends to.
final class CountingTransport: DatagramTransport {
    private let inner: any DatagramTransport
    /// Datagrams handed to the node's receiver.
    private(set) var received = 0
    /// Every host the node sent a datagram to.
    private(set) var destinationHosts: Set<IPAddress> = []

    init(_ inner: any DatagramTransport) {
        self.inner = inner
    }

    var localAddress: PeerAddress { inner.localAddress }

    func send(_ datagram: [UInt8], to destination: PeerAddress) {
        destinationHosts.insert(destination.host)
        inner.send(datagram, to: destination)
    }

    func setReceiver(_ receiver: @escaping (_ datagram: [UInt8], _ source: PeerAddress) -> Void) {
        inner.setReceiver { [weak self] datagram, source in
            self?.received += 1
            receiver(datagram, source)
        }
    }

    func close() {
        inner.close()
    }
}
