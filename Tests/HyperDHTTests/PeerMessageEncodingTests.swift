import Foundation
@testable import HyperDHT
import IPEncoding
import Testing

/// The `peers` request and response as sent, byte by byte: never empty, and an address that the
/// ipv4-peers encoding cannot carry is left out alone, not with everything else.
@Suite struct PeerMessageEncodingTests {
    static let lan = PeerAddress(host: IPAddress(192, 168, 1, 5), port: 4242)

    @Test func aRequestCarriesTypePortAndAnIPv4LANAddress() throws {
        #expect([UInt8](PeerRequest(type: .announce, port: 4242, localAddress: Self.lan).encoded)
                == [0x08, 0x01, 0x10, 0x92, 0x21, 0x1A, 0x06, 0xC0, 0xA8, 0x01, 0x05, 0x10, 0x92])
        #expect([UInt8](PeerRequest(type: .lookup, port: 0, localAddress: nil).encoded) == [0x08, 0x00, 0x10, 0x00],
                "type and port are written even when 0, as the reference does")
        let mapped = PeerAddress(host: try IPAddress(parsing: "::ffff:192.168.1.5"), port: 4242)
        #expect(PeerRequest(type: .announce, port: 4242, localAddress: mapped).encoded
                == PeerRequest(type: .announce, port: 4242, localAddress: Self.lan).encoded)
        let v6 = PeerAddress(host: try IPAddress(parsing: "fd00::5"), port: 4242)
        #expect([UInt8](PeerRequest(type: .unannounce, port: 7, localAddress: v6).encoded) == [0x08, 0x02, 0x10, 0x07],
                "an IPv6 LAN address cannot be carried: the rest of the request still is")
    }

    @Test func aResponseSkipsOnlyThePeersIPv4CannotCarry() throws {
        var response = PeerResponse()
        #expect(response.encoded == nil, "nothing to answer")
        response.add(PeerAddress(host: IPAddress(10, 0, 0, 1), port: 1), local: Self.lan)
        response.add(PeerAddress(host: try IPAddress(parsing: "2001:db8::1"), port: 2), local: nil)
        response.add(PeerAddress(host: IPAddress(10, 0, 0, 2), port: 3), local: nil)
        #expect(response.peerCount == 2)
        #expect([UInt8](try #require(response.encoded))
                == [0x0A, 0x0C, 10, 0, 0, 1, 0, 1, 10, 0, 0, 2, 0, 3, 0x12, 0x04, 0x01, 0x05, 0x10, 0x92])
    }
}
