import IPEncoding
import Testing

/// Address scopes decide where a referrer may forward: the boundaries of each block are checked.
@Suite struct IPAddressScopeTests {
    private func v4(_ text: String) throws -> IPAddress { try IPAddress(parsing: text) }

    @Test(arguments: [
        ("0.0.0.0", IPAddressScope.unspecified), ("0.255.1.2", .unspecified),
        ("127.0.0.1", .loopback), ("127.255.255.254", .loopback),
        ("10.0.0.0", .privateBlock(.ten)), ("10.255.255.255", .privateBlock(.ten)), ("11.0.0.1", .global),
        ("172.15.255.255", .global), ("172.16.0.1", .privateBlock(.oneSevenTwo)),
        ("172.31.255.255", .privateBlock(.oneSevenTwo)), ("172.32.0.1", .global),
        ("192.168.1.1", .privateBlock(.oneNineTwo)), ("192.169.0.1", .global),
        ("100.63.255.255", .global), ("100.64.0.1", .privateBlock(.sharedCGNAT)),
        ("100.127.255.255", .privateBlock(.sharedCGNAT)), ("100.128.0.1", .global),
        ("169.254.3.4", .privateBlock(.linkLocalV4)),
        ("223.255.255.255", .global), ("224.0.0.1", .multicast), ("239.255.255.250", .multicast),
        ("240.0.0.1", .reserved), ("255.255.255.254", .reserved), ("255.255.255.255", .broadcast),
        ("8.8.8.8", .global), ("203.0.113.7", .global),
        ("::", .unspecified), ("::1", .loopback), ("::ffff:127.0.0.1", .loopback), ("::ffff:10.1.2.3", .privateBlock(.ten)),
        ("ff02::1", .multicast), ("fc00::1", .privateBlock(.uniqueLocalV6)), ("fdff::1", .privateBlock(.uniqueLocalV6)),
        ("fe80::1", .privateBlock(.linkLocalV6)), ("febf::1", .privateBlock(.linkLocalV6)), ("fec0::1", .global),
        ("2001:db8::1", .global),
    ])
    func scopeOfEachBlockBoundary(text: String, expected: IPAddressScope) throws {
        #expect(try v4(text).scope == expected, "\(text)")
    }

    @Test func onlyUnspecifiedMulticastBroadcastAndReservedAreNeverForwardable() {
        #expect(IPAddressScope.unspecified.isNeverForwardable)
        #expect(IPAddressScope.multicast.isNeverForwardable)
        #expect(IPAddressScope.broadcast.isNeverForwardable)
        #expect(IPAddressScope.reserved.isNeverForwardable)
        #expect(!IPAddressScope.loopback.isNeverForwardable)
        #expect(!IPAddressScope.privateBlock(.ten).isNeverForwardable)
        #expect(!IPAddressScope.global.isNeverForwardable)
    }
}
