/// Running totals of one ``UDPDatagramTransport``'s traffic and failures.
public struct UDPTransportStatistics: Hashable, Sendable {
    /// Datagrams handed to the socket.
    public var datagramsSent = 0
    /// Payload bytes handed to the socket.
    public var bytesSent = 0
    /// Flushes of written datagrams to the socket: one per datagram sent outside a read burst, one per read burst
    /// whose datagrams were answered (those answers go out together, in one `sendmmsg` where the system has it).
    public var flushes = 0
    /// Datagrams received from the socket.
    public var datagramsReceived = 0
    /// Payload bytes received from the socket.
    public var bytesReceived = 0
    /// Datagrams the kernel refused (too large, host unreachable, …). Too large is counted before any write; of the
    /// replies to one read burst, written with one promise for all (see `UDPDatagramHandler`), another refusal is
    /// counted only for the last.
    public var sendFailures = 0
    /// Datagrams not sent because the destination cannot be reached from this socket: the other
    /// address family, port 0, a wildcard address, or a non-loopback host from a loopback socket.
    public var datagramsUnroutable = 0
    /// Datagrams dropped because too many bytes were already queued for the socket
    /// (``UDPDatagramTransport/maximumPendingWriteBytes``) or the socket was being reopened.
    public var datagramsDroppedBusy = 0
    /// Datagrams received that were longer than the transport's `maximumDatagramSize`: dropped, not delivered
    /// (the socket read them cut short).
    public var datagramsOversized = 0
    /// Errors the socket reported while receiving (e.g. ICMP port unreachable).
    public var receiveErrors = 0
    /// Times the socket was closed by a fatal error and bound again at the same address.
    public var socketReopens = 0

    /// Creates all-zero statistics.
    public init() {}
}
