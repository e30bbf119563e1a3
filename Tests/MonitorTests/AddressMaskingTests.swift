import Crypto
import IPEncoding
import Monitor
import Testing

/// Privacy mode's masking of free text: every literal address, wherever it stands, and nothing else.
@Suite struct AddressMaskingTests {
    static let mask = AddressMasking(isEnabled: true)
    static func host(_ text: String) throws -> String { mask.mask(try IPAddress(parsing: text)) }

    @Test func addressesAnywhereInASentenceAreMasked() throws {
        let v4 = try Self.host("10.1.2.3"), v6 = try Self.host("2001:db8::7")
        func address(_ text: String) throws -> String { Self.mask.text(try PeerAddress(parsing: text)) }
        let at40012 = try address("10.1.2.3:40012")
        #expect(Self.mask.text(masking: "ping 10.1.2.3:40012 failed: no answer from 10.1.2.3:40012.")
                == "ping \(at40012) failed: no answer from \(at40012).")
        #expect(Self.mask.text(masking: "(via 10.1.2.3:9), [2001:db8::7]:5 and 2001:db8::7; host 10.1.2.3")
                == "(via \(try address("10.1.2.3:9"))), \(try address("[2001:db8::7]:5")) and \(v6); host \(v4)")
        #expect(Self.mask.text(masking: "a→10.1.2.3:1") == "a→\(try address("10.1.2.3:1"))")
    }

    @Test func otherTextStaysAsItIs() {
        let text = "RTT 1.5ms, h1:3 h2:12, id 12ab34cd, 12:30, v1.2.3.4.5, at 10:00:00 ready."
        #expect(Self.mask.text(masking: text) == text)
        let masked = Self.mask.text(masking: "peer 10.1.2.3:4")
        #expect(Self.mask.text(masking: masked) == masked, "masking masked text changes nothing")
        #expect(AddressMasking(isEnabled: false).text(masking: "peer 10.1.2.3:4") == "peer 10.1.2.3:4")
    }

    /// Masks are keyed: the same address under two keys gives unrelated masks (so they cannot be
    /// looked up in a table of hashed addresses), under one key always the same; ports are masked
    /// too, and two ports of one host stay apart.
    @Test func masksAreKeyedPerRunAndHidePorts() throws {
        let address = PeerAddress(host: .loopbackV4, port: 36009)
        let one = AddressMasking(isEnabled: true, key: SymmetricKey(size: .bits256))
        let other = AddressMasking(isEnabled: true, key: SymmetricKey(size: .bits256))
        #expect(one.text(address) != other.text(address))
        #expect(one.mask(address.host) != other.mask(address.host))
        #expect(one.text(address) == one.text(PeerAddress(host: .loopbackV4, port: 36009)))
        #expect(one.mask(address.host) != "host-40ed", "the unkeyed FNV mask of 127.0.0.1")
        #expect(!one.text(address).contains("36009"))
        #expect(one.text(address).hasPrefix(one.mask(address.host) + ":p"))
        #expect(one.text(address) != one.text(PeerAddress(host: .loopbackV4, port: 36010)))
        #expect(one.text(masking: "ping 127.0.0.1:36009 failed") == "ping \(one.text(address)) failed")
        // Stable within a run: every masker made without a key uses the run's key.
        #expect(AddressMasking(isEnabled: true).text(address) == AddressMasking(isEnabled: true).text(address))
        // A fixed key gives fixed masks (no dependence on anything but key and address).
        let fixed = AddressMasking(isEnabled: true, key: SymmetricKey(data: [UInt8](repeating: 7, count: 32)))
        #expect(fixed.text(address) == AddressMasking(isEnabled: true, key: SymmetricKey(data: [UInt8](repeating: 7, count: 32))).text(address))
        #expect(fixed.text(address).count == "host-000000:p0000".count)
    }
}
