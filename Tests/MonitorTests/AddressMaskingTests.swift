import IPEncoding
import Monitor
import Testing

/// Privacy mode's masking of free text: every literal address, wherever it stands, and nothing else.
@Suite struct AddressMaskingTests {
    static let mask = AddressMasking(isEnabled: true)
    static func host(_ text: String) throws -> String { mask.mask(try IPAddress(parsing: text)) }

    @Test func addressesAnywhereInASentenceAreMasked() throws {
        let v4 = try Self.host("10.1.2.3"), v6 = try Self.host("2001:db8::7")
        #expect(Self.mask.text(masking: "ping 10.1.2.3:40012 failed: no answer from 10.1.2.3:40012.")
                == "ping \(v4):40012 failed: no answer from \(v4):40012.")
        #expect(Self.mask.text(masking: "(via 10.1.2.3:9), [2001:db8::7]:5 and 2001:db8::7; host 10.1.2.3")
                == "(via \(v4):9), \(v6):5 and \(v6); host \(v4)")
        #expect(Self.mask.text(masking: "a→10.1.2.3:1") == "a→\(v4):1")
    }

    @Test func otherTextStaysAsItIs() {
        let text = "RTT 1.5ms, h1:3 h2:12, id 12ab34cd, 12:30, v1.2.3.4.5, at 10:00:00 ready."
        #expect(Self.mask.text(masking: text) == text)
        let masked = Self.mask.text(masking: "peer 10.1.2.3:4")
        #expect(Self.mask.text(masking: masked) == masked, "masking masked text changes nothing")
        #expect(AddressMasking(isEnabled: false).text(masking: "peer 10.1.2.3:4") == "peer 10.1.2.3:4")
    }
}
