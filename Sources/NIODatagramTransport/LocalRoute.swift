import IPEncoding
import NIOCore
import NIOPosix

/// Which of this host's addresses the OS would send from toward a destination: our LAN address when
/// bound to an unspecified host. Found by connecting a UDP socket (which picks a route and a source
/// address but sends nothing) and reading its local address.
public enum LocalRoute {
    /// The source host the route toward `destination` uses, or `nil` when there is no route.
    public static func sourceHost(toward destination: PeerAddress, on eventLoop: any EventLoop) async -> IPAddress? {
        let bindHost: IPAddress = destination.host.isIPv4 ? .anyV4 : .anyV6
        guard let channel = try? await DatagramBootstrap(group: eventLoop)
            .bind(to: SocketAddress(PeerAddress(host: bindHost, port: 0))).get() else { return nil }
        defer { channel.close(promise: nil) }
        guard (try? await channel.connect(to: SocketAddress(destination)).get()) != nil,
              let local = channel.localAddress, let address = PeerAddress(local),
              !address.host.isUnspecified else { return nil }
        return address.host
    }
}
