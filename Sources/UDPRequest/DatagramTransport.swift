import IPEncoding

/// A bound datagram socket, real or simulated: sends bytes to an address and hands every received
/// datagram, with its source, to one receiver.
///
/// Delivery happens on the execution context of the ``Scheduler`` the transport was created with.
/// Sending never blocks; a datagram that cannot be sent is dropped, as UDP would.
public protocol DatagramTransport: AnyObject {
    /// The address this transport is bound to, as the local machine sees it.
    var localAddress: PeerAddress { get }

    /// Queues one datagram for `destination`. Never blocks and never throws: UDP is best effort.
    func send(_ datagram: [UInt8], to destination: PeerAddress)

    /// Sets the one receiver of incoming datagrams (replacing any earlier one).
    func setReceiver(_ receiver: @escaping (_ datagram: [UInt8], _ source: PeerAddress) -> Void)

    /// Unbinds; no datagram is delivered after this returns. Calling it twice does nothing.
    func close()
}
