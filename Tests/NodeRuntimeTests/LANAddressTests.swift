import DHTRPC
import HyperDHT
import IPEncoding
import NIODatagramTransport
import NIOPosix
import NodeRuntime
import Testing

/// The LAN address a node shares (hyperdht's `localAddress`) is the source of the route toward the
/// bootstrap node, found without sending anything; on loopback there is nothing worth sharing.
@Suite(.timeLimit(.minutes(5))) struct LANAddressTests {
    @Test func theRouteTowardALoopbackAddressStartsAtLoopback() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let source = await LocalRoute.sourceHost(toward: PeerAddress(host: .loopbackV4, port: 9), on: loop)
        #expect(source == .loopbackV4)
        #expect(source?.isLoopback == true)
    }

    @Test func aNodeBoundToEveryInterfaceWithALoopbackBootstrapSharesNoLANAddress() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let bootstrap = try await HyperDHTHandle.start(host: .loopbackV4, on: loop)
        let node = try await HyperDHTHandle.start(configuration: DHTNodeConfiguration(bootstrap: [bootstrap.localAddress]),
                                                  host: .anyV4, on: loop)
        #expect(node.lanAddress == nil)
        #expect(try await node.withNode { $0.lanAddress } == nil)
        await node.close()
        await bootstrap.close()
    }

    @Test func loopbackAndUnspecifiedAddressesAreRecognised() throws {
        #expect(IPAddress(127, 3, 2, 1).isLoopback)
        #expect(IPAddress.loopbackV6.isLoopback)
        #expect(try IPAddress(parsing: "::ffff:127.0.0.1").isLoopback)
        #expect(!IPAddress(10, 0, 0, 1).isLoopback)
        #expect(!IPAddress.anyV6.isLoopback)
        #expect(IPAddress.anyV6.isUnspecified)
    }
}
