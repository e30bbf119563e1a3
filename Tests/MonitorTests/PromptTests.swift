import IPEncoding
import KBucket
import Monitor
import Testing

@Suite struct PromptTests {
    static let key = String(repeating: "ab", count: 32)

    @Test func sixtyFourHexDigitsAreAKeyAndOtherTextATopic() throws {
        #expect(InputValidation.lookupTarget(Self.key) == .success(.key(try NodeID(hex: Self.key))))
        #expect(InputValidation.lookupTarget("  my topic ") == .success(.topic("my topic")))
        #expect(InputValidation.lookupTarget("cafe") == .success(.topic("cafe")))
    }

    @Test func validationMessagesSayWhatIsWrong() {
        #expect(InputValidation.lookupTarget("   ") == .failure(.empty(expected: "a key (64 hex digits) or a topic")))
        #expect(InputError.empty(expected: "a key (64 hex digits) or a topic").description == "type a key (64 hex digits) or a topic")
        let short = String(Self.key.dropLast())
        #expect(InputValidation.lookupTarget(short) == .failure(.keyLength(digits: 63)))
        #expect(InputError.keyLength(digits: 63).description.hasPrefix("63 hex digits: a key has exactly 64"))
        #expect(InputValidation.lookupTarget(String(repeating: "x", count: 300)) == .failure(.tooLong(limit: 256)))
        #expect("\(InputError.address(.invalidPort("1.2.3.4:99999")))" == "invalid port in \"1.2.3.4:99999\" (expected 1-65535)")
    }

    @Test func addressesParseWithPeerAddressRules() {
        #expect(InputValidation.address("127.0.0.1:4000") == .success(PeerAddress(host: .loopbackV4, port: 4000)))
        #expect(InputValidation.address("[::1]:9") == .success(PeerAddress(host: .loopbackV6, port: 9)))
        #expect(InputValidation.address("10.0.0.1") == .success(PeerAddress(host: IPAddress(10, 0, 0, 1), port: 49737)))
        #expect(InputValidation.address("nonsense:99999") == .failure(.address(.invalidPort("nonsense:99999"))))
        #expect(InputValidation.address("example.org:80") == .failure(.hostName("example.org")))
        #expect(InputValidation.address("localhost:49800") == .success(PeerAddress(host: .loopbackV4, port: 49800)))
        #expect(InputValidation.address("LOCALHOST") == .success(PeerAddress(host: .loopbackV4, port: 49737)))
        #expect(InputValidation.address("1.2.3:80") == .failure(.address(.invalidHost("1.2.3:80"))))
        #expect(InputValidation.lookupTarget(String(repeating: "a", count: 65)) == .failure(.keyLength(digits: 65)))
        #expect(InputValidation.address("") == .failure(.empty(expected: "host:port, e.g. 127.0.0.1:49737")))
    }

    @Test func aWrongEntryKeepsTheTextAndShowsTheMessage() {
        var prompt = Prompt(kind: .ping)
        for character in "1.2.3.4:0" { _ = prompt.handle(.character(character)) }
        #expect(prompt.handle(.enter) == .editing)
        #expect(prompt.fields[0].text == "1.2.3.4:0")
        #expect(prompt.error == "invalid port in \"1.2.3.4:0\" (expected 1-65535)")
        // Keys a prompt does not use change nothing.
        _ = prompt.handle(.pageDown)
        _ = prompt.handle(.other(999))
        #expect(prompt.fields[0].text == "1.2.3.4:0")
        _ = prompt.handle(.backspace)
        _ = prompt.handle(.character("9"))
        #expect(prompt.handle(.enter) == .submitted(.address(PeerAddress(host: IPAddress(1, 2, 3, 4), port: 9))))
    }

    @Test func editingMovesTheCursor() {
        var prompt = Prompt(kind: .lookup, prefill: ["ac"])
        _ = prompt.handle(.left)
        _ = prompt.handle(.character("b"))
        _ = prompt.handle(.home)
        _ = prompt.handle(.delete)
        #expect(prompt.fields[0].text == "bc")
        #expect(prompt.fields[0].cursor == 0)
        #expect(prompt.handle(.escape) == .cancelled)
    }

    @Test func holepunchValidatesBothFieldsAndNamesTheBadOne() {
        var prompt = Prompt(kind: .holepunch, prefill: ["127.0.0.1:5000", ""])
        #expect(prompt.handle(.enter) == .editing)  // first Enter moves to the empty referrer field
        #expect(prompt.focusedField == 1)
        for character in "bad" { _ = prompt.handle(.character(character)) }
        #expect(prompt.handle(.enter) == .editing)
        #expect(prompt.error?.hasPrefix("referrer: \"bad\" is a host name") == true)
        #expect(prompt.fields[1].text == "bad")
        prompt.fields[1] = PromptField(label: "referrer", text: "127.0.0.1:6000")
        #expect(prompt.handle(.enter) == .submitted(.holepunch(peer: PeerAddress(host: .loopbackV4, port: 5000),
                                                                referrer: PeerAddress(host: .loopbackV4, port: 6000))))
    }
}
