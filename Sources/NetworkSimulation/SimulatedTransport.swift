import IPEncoding
import UDPRequest

/// One endpoint bound on a ``SimulatedNetwork``: a ``DatagramTransport`` whose datagrams travel
/// through the network's link model on its virtual clock.
///
/// Create it with ``SimulatedNetwork/bind(host:port:)``. The network keeps open endpoints alive;
/// the endpoint refers to the network weakly, so keep the network alive for as long as you use it.
public final class SimulatedTransport: DatagramTransport {
    /// The bound address.
    public let localAddress: PeerAddress
    /// The scheduler of the network this endpoint belongs to; give it to the protocol objects that
    /// use this transport.
    public let scheduler: VirtualScheduler
    /// Whether ``close()`` has been called.
    public private(set) var isClosed = false

    private weak var network: SimulatedNetwork?
    private var receiver: ((_ datagram: [UInt8], _ source: PeerAddress) -> Void)?

    init(localAddress: PeerAddress, network: SimulatedNetwork) {
        self.localAddress = localAddress
        self.network = network
        self.scheduler = network.scheduler
    }

    /// Queues `datagram` for `destination` through the link model; delivery, if any, happens later
    /// as a scheduled event. Ignored after ``close()``.
    public func send(_ datagram: [UInt8], to destination: PeerAddress) {
        guard !isClosed, let network else { return }
        network.transmit(datagram, from: localAddress, to: destination)
    }

    /// Sets the one receiver of incoming datagrams.
    public func setReceiver(_ receiver: @escaping (_ datagram: [UInt8], _ source: PeerAddress) -> Void) {
        self.receiver = receiver
    }

    /// Unbinds the address (it may be bound again) and drops the receiver; nothing is delivered to
    /// this endpoint afterwards. Calling it twice does nothing.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        receiver = nil
        network?.unbind(self)
    }

    /// Hands a datagram to the receiver (none after ``close()``).
    func deliver(_ datagram: [UInt8], from source: PeerAddress) {
        receiver?(datagram, source)
    }
}
