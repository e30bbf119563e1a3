import IPEncoding
import NIOCore
import NIODatagramTransport
import Testing

@Suite struct SocketAddressConversionTests {
    @Test(arguments: ["127.0.0.1", "203.0.113.9", "255.255.255.255", "::1", "2001:db8::ff00:42:8329", "::ffff:10.1.2.3", "fe80::1"])
    func peerAddressRoundTripsThroughSocketAddress(_ text: String) throws {
        let parsed = try SocketAddress(ipAddress: text, port: 49737)
        let peer = try #require(PeerAddress(parsed))
        #expect(peer.port == 49737)
        #expect(peer.host.isIPv4 == (parsed.protocol == .inet))
        let back = SocketAddress(peer)
        #expect(back.ipAddress == parsed.ipAddress)
        #expect(back.port == 49737)
        #expect(PeerAddress(back) == peer)
    }

    @Test func ipv4OctetsAreInNetworkOrder() throws {
        let peer = try #require(PeerAddress(try SocketAddress(ipAddress: "1.2.3.4", port: 5)))
        #expect(peer == PeerAddress(host: IPAddress(1, 2, 3, 4), port: 5))
    }

    @Test func unixDomainAddressesHaveNoPeerAddress() throws {
        #expect(PeerAddress(try SocketAddress(unixDomainSocketPath: "/tmp/x")) == nil)
    }
}
