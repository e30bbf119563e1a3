import IPEncoding
import Testing

/// Literal IPv4/IPv6 parsing and its round trip through `description`.
@Suite struct IPAddressParsingTests {
    @Test(arguments: [
        ("127.0.0.1", IPAddress.loopbackV4),
        ("0.0.0.0", IPAddress.anyV4),
        ("255.255.255.255", IPAddress.v4(0xFFFF_FFFF)),
        ("10.0.0.1", IPAddress(10, 0, 0, 1)),
        ("::1", IPAddress.loopbackV6),
        ("::", IPAddress.v6(high: 0, low: 0)),
        ("2001:db8::1", IPAddress.v6(high: 0x2001_0db8_0000_0000, low: 1)),
        ("2001:DB8:0:0:0:0:0:1", IPAddress.v6(high: 0x2001_0db8_0000_0000, low: 1)),
        ("1:2:3:4:5:6:7:8", IPAddress.v6(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0008)),
        ("1::", IPAddress.v6(high: 0x0001_0000_0000_0000, low: 0)),
        ("1:2:3:4:5:6:7::", IPAddress.v6(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0000)),
        ("::ffff:1.2.3.4", IPAddress.v6(high: 0, low: 0x0000_ffff_0102_0304)),
        ("64:ff9b::192.0.2.33", IPAddress.v6(high: 0x0064_ff9b_0000_0000, low: 0x0000_0000_c000_0221)),
        ("fe80::1:2", IPAddress.v6(high: 0xfe80_0000_0000_0000, low: 0x0000_0000_0001_0002)),
    ])
    func literalAddressesParse(text: String, expected: IPAddress) throws {
        #expect(try IPAddress(parsing: text) == expected)
    }

    @Test(arguments: [
        "", " ", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4", "1.2.3.4 ", "1..2.3", "1.2.3.-4", "a.b.c.d",
        "localhost", "example.org", ":", ":::", "1:2", "1::2::3", ":1::", "1:2:3:4:5:6:7:8:9", "12345::",
        "1:2:3:4:5:6:7:8::", "::1%eth0", "[::1]", "g::1", "1:", "::1.2.3", "1.2.3.4::", "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4",
    ])
    func badTextThrowsNamingIt(text: String) {
        #expect(throws: IPEncodingError.invalidHost(text)) { try IPAddress(parsing: text) }
        #expect(IPAddress(text) == nil)
    }

    @Test(arguments: ["127.0.0.1", "::1", "::", "2001:db8::1", "fe80::1:2", "::ffff:1.2.3.4", "1:0:0:1::1", "1::1:0:0:1:1",
                      "1:2:3:4:5:6:7:8", "2001:db8:0:1:1:1:1:1"])
    func canonicalTextRoundTrips(text: String) throws {
        #expect(try IPAddress(parsing: text).description == text)
    }

    @Test func unmappedIPv4SeesThroughMappedAddresses() throws {
        #expect(try IPAddress(parsing: "::ffff:10.0.0.1").unmappedIPv4 == IPAddress(10, 0, 0, 1))
        #expect(IPAddress.loopbackV4.unmappedIPv4 == .loopbackV4)
        #expect(IPAddress.loopbackV6.unmappedIPv4 == nil)
    }

    @Test func octetsRoundTripThroughAppend() throws {
        for text in ["1.2.3.4", "2001:db8::ff00:42:8329"] {
            let address = try IPAddress(parsing: text)
            var appended: [UInt8] = []
            address.append(to: &appended)
            #expect(appended == address.octets)
            #expect(IPAddress(octets: appended) == address)
        }
    }
}
