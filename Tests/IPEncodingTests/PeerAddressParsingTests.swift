import IPEncoding
import Testing

/// `host:port` text: the forms accepted, the default port, and errors that name the text.
@Suite struct PeerAddressParsingTests {
    @Test(arguments: [
        ("127.0.0.1:49737", "127.0.0.1", UInt16(49737)),
        ("10.0.0.1:1", "10.0.0.1", 1),
        ("1.2.3.4:65535", "1.2.3.4", 65535),
        ("1.2.3.4", "1.2.3.4", PeerAddress.defaultBootstrapPort),
        ("[::1]:3282", "::1", 3282),
        ("[2001:db8::1]:80", "2001:db8::1", 80),
        ("[::1]", "::1", PeerAddress.defaultBootstrapPort),
        ("::1", "::1", PeerAddress.defaultBootstrapPort),
        ("fe80::1:2", "fe80::1:2", PeerAddress.defaultBootstrapPort),
        ("[::ffff:1.2.3.4]:5", "::ffff:1.2.3.4", 5),
    ])
    func goodFormsParse(text: String, host: String, port: UInt16) throws {
        let address = try PeerAddress(parsing: text)
        #expect(address == PeerAddress(host: try IPAddress(parsing: host), port: port))
        #expect(try PeerAddress(parsing: address.description) == address)
    }

    @Test func bareHostsGetTheHyperdhtBootstrapPortUnlessTold() throws {
        #expect(PeerAddress.defaultBootstrapPort == 49737)
        #expect(try PeerAddress(parsing: "1.2.3.4").port == 49737)
        #expect(try PeerAddress(parsing: "1.2.3.4", defaultPort: 3282).port == 3282)
    }

    @Test(arguments: [
        ("", IPEncodingError.malformedAddress("")),
        (":80", .malformedAddress(":80")),
        ("[]:80", .malformedAddress("[]:80")),
        ("[::1", .malformedAddress("[::1")),
        ("[::1]80", .malformedAddress("[::1]80")),
        ("[::1]:80]", .invalidPort("[::1]:80]")),
        ("x[1.2.3.4]", .malformedAddress("x[1.2.3.4]")),
        ("1.2.3.4:", .invalidPort("1.2.3.4:")),
        ("1.2.3.4:0", .invalidPort("1.2.3.4:0")),
        ("1.2.3.4:65536", .invalidPort("1.2.3.4:65536")),
        ("1.2.3.4:123456", .invalidPort("1.2.3.4:123456")),
        ("1.2.3.4:-1", .invalidPort("1.2.3.4:-1")),
        ("1.2.3.4:+80", .invalidPort("1.2.3.4:+80")),
        ("1.2.3.4:8o", .invalidPort("1.2.3.4:8o")),
        ("[::1]:", .invalidPort("[::1]:")),
        ("[::1]:99999", .invalidPort("[::1]:99999")),
        ("1.2.3.256:80", .invalidHost("1.2.3.256:80")),
        ("localhost:80", .invalidHost("localhost:80")),
        ("[1.2.3.4]:80", .invalidHost("[1.2.3.4]:80")),
        ("junk", .invalidHost("junk")),
        ("1:2:3", .invalidHost("1:2:3")),
    ])
    func badStringsThrowAnErrorNamingTheString(text: String, expected: IPEncodingError) {
        #expect(throws: expected) { try PeerAddress(parsing: text) }
        #expect(PeerAddress(text) == nil)
    }

    @Test func errorDescriptionsQuoteTheText() {
        #expect(IPEncodingError.invalidPort("1.2.3.4:0").description.contains("\"1.2.3.4:0\""))
        #expect(IPEncodingError.malformedAddress("").description.contains("\"\""))
        #expect(IPEncodingError.invalidHost("example.org").description.contains("\"example.org\""))
    }

    @Test func portZeroIsAcceptedOnlyWhenAllowed() throws {
        #expect(try PeerAddress(parsing: "0.0.0.0:0", allowsPortZero: true) == PeerAddress(host: .anyV4, port: 0))
        #expect(throws: IPEncodingError.invalidPort("0.0.0.0:0")) { try PeerAddress(parsing: "0.0.0.0:0") }
    }

    @Test func splittingLeavesHostNamesForTheCallerToResolve() throws {
        #expect(try PeerAddress.splitHostAndPort("bootstrap.example.org:49737") == ("bootstrap.example.org", 49737))
        #expect(try PeerAddress.splitHostAndPort("bootstrap.example.org") == ("bootstrap.example.org", 49737))
        #expect(try PeerAddress.splitHostAndPort("[::1]:7") == ("::1", 7))
        #expect(throws: IPEncodingError.invalidPort("example.org:http")) {
            try PeerAddress.splitHostAndPort("example.org:http")
        }
    }

    @Test func descriptionBracketsIPv6() {
        #expect(PeerAddress(host: .loopbackV6, port: 9).description == "[::1]:9")
        #expect(PeerAddress(host: .loopbackV4, port: 9).description == "127.0.0.1:9")
    }
}
