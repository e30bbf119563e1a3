import DHTRPC
import Foundation
import IPEncoding
import KBucket
import Monitor
import Testing

/// Keys through the controller: commands change the view or produce backend requests.
@Suite struct ControllerTests {
    static func controller() -> MonitorController {
        var controller = MonitorController()
        var batch = MonitorInbox.Batch()
        batch.events = Fixture.events
        batch.status = Fixture.status
        controller.receive(batch, now: .seconds(4))
        _ = controller.frame(width: 80, height: 24, now: .seconds(4))
        return controller
    }

    static func type(_ text: String, into controller: inout MonitorController) -> [BackendRequest] {
        text.flatMap { controller.handle(.character($0)) }
    }

    @Test func pingPromptSubmitsAValidAddress() {
        var controller = Self.controller()
        #expect(controller.handle(.character("p")).isEmpty)
        #expect(controller.view.prompt?.kind == .ping)
        #expect(Self.type("127.0.0.1:41000", into: &controller).isEmpty)
        #expect(controller.handle(.enter) == [.ping(PeerAddress(host: .loopbackV4, port: 41000))])
        #expect(controller.view.prompt == nil)
        #expect(controller.view.message?.text == "pinging 127.0.0.1:41000…")
    }

    @Test func typedLettersGoToThePromptNotToCommands() {
        var controller = Self.controller()
        _ = controller.handle(.character("l"))
        _ = Self.type("quit", into: &controller)
        #expect(!controller.shouldQuit)
        #expect(controller.view.prompt?.fields[0].text == "quit")
        #expect(controller.handle(.enter) == [.lookup(.topic("quit"))])
    }

    @Test func enterExpandsABucketAndArrowsMoveTheSelection() {
        var controller = Self.controller()
        _ = controller.handle(.enter)
        #expect(controller.view.expandedBuckets == ["1"])  // far buckets first, shallowest first
        _ = controller.handle(.down)
        #expect(controller.view.selection[.buckets] == .contact(Fixture.id(0xB9).hexString))  // most recent first
        _ = controller.handle(.left)
        #expect(controller.view.expandedBuckets.isEmpty)
        #expect(controller.view.selection[.buckets] == .bucket("1"))
    }

    @Test func selectingAQueryResultPrefillsPingAndHolepunch() {
        var controller = Self.controller()
        _ = controller.handle(.tab)
        _ = controller.handle(.tab)
        #expect(controller.view.focus == .queries)
        _ = controller.handle(.down)  // the finished walk #7 (below the running #8)
        _ = controller.handle(.enter)
        #expect(controller.view.expandedQueries == [7])
        _ = controller.handle(.down)
        _ = controller.handle(.enter)
        #expect(controller.view.selectedPeer == Fixture.address(41009))
        #expect(controller.view.selectedReferrer == Fixture.address(41000))
        _ = controller.handle(.character("h"))
        #expect(controller.view.prompt?.fields.map(\.text) == ["127.0.0.1:41009", "127.0.0.1:41000"])
        #expect(controller.handle(.enter) == [.holepunch(peer: Fixture.address(41009), referrer: Fixture.address(41000))])
    }

    /// Privacy mode on, a found peer selected: `p` and `h` pre-fill the masked form (on screen and in
    /// the field), yet submit the real addresses; typing into a masked field starts it afresh.
    @Test func privacyModePrefillsShowMasksAndSubmitTheRealAddresses() {
        var controller = Self.controller()
        _ = controller.handle(.character("r"))
        _ = controller.handle(.tab)
        _ = controller.handle(.tab)
        _ = controller.handle(.down)
        _ = controller.handle(.enter)
        _ = controller.handle(.down)
        _ = controller.handle(.enter)
        let mask = AddressMasking(isEnabled: true)
        _ = controller.handle(.character("h"))
        #expect(controller.view.prompt?.fields.map(\.text) == [mask.text(Fixture.address(41009)), mask.text(Fixture.address(41000))])
        let screen = controller.frame(width: 80, height: 24, now: .seconds(4)).text
        #expect(!screen.contains("127.0.0.1"), "\(screen)")
        #expect(screen.contains("referrer host:port \(mask.text(Fixture.address(41000)))"), "\(screen)")
        #expect(controller.handle(.enter) == [.holepunch(peer: Fixture.address(41009), referrer: Fixture.address(41000))])
        _ = controller.handle(.character("p"))
        #expect(controller.view.prompt?.fields[0].text == mask.text(Fixture.address(41009)))
        #expect(controller.handle(.enter) == [.ping(Fixture.address(41009))])
        _ = controller.handle(.character("p"))
        _ = Self.type("127.0.0.1:9", into: &controller)  // the first key replaces the mask
        #expect(controller.view.prompt?.fields[0].text == "127.0.0.1:9")
        #expect(controller.handle(.enter) == [.ping(Fixture.address(9))])
        _ = controller.handle(.character("p"))
        _ = controller.handle(.backspace)  // so does a deletion
        #expect(controller.view.prompt?.fields[0].text == "")
    }

    @Test func pauseFreezesTheDisplayButNotTheModel() {
        var controller = Self.controller()
        _ = controller.handle(.character(" "))
        let frozen = controller.frame(width: 80, height: 24, now: .seconds(5))
        var status = Fixture.status
        status.uptime = .seconds(9999)
        var batch = MonitorInbox.Batch()
        batch.status = status
        controller.receive(batch, now: .seconds(6))
        let later = controller.frame(width: 80, height: 24, now: .seconds(6))
        #expect(later.line(0) == frozen.line(0))
        #expect(later.line(0).contains("PAUSED"))
        #expect(controller.model.status?.uptime == .seconds(9999))
        _ = controller.handle(.character(" "))
        #expect(controller.frame(width: 80, height: 24, now: .seconds(6)).line(0).contains("02:46:39"))
    }

    @Test func filterKeepsMatchingRows() {
        var controller = Self.controller()
        _ = controller.handle(.enter)
        _ = controller.handle(.character("/"))
        _ = Self.type("41005", into: &controller)
        _ = controller.handle(.enter)
        let screen = controller.frame(width: 80, height: 24, now: .seconds(4))
        #expect(screen.text.contains("1 K-buckets /41005"))
        #expect(screen.text.contains("127.0.0.1:41005"))
        #expect(!screen.text.contains("127.0.0.1:41006"))
        _ = controller.handle(.escape)
        #expect(controller.view.filters.isEmpty)
    }

    @Test func helpPrivacyThemeAndQuit() {
        var controller = Self.controller()
        _ = controller.handle(.character("?"))
        #expect(controller.view.showsHelp)
        _ = controller.handle(.character("x"))
        #expect(controller.view.showsHelp)  // unbound keys do not close it
        _ = controller.handle(.escape)
        #expect(!controller.view.showsHelp)
        _ = controller.handle(.character("r"))
        #expect(controller.view.masking.isEnabled)
        _ = controller.handle(.character("t"))
        #expect(controller.theme.name == "monochrome")  // the built-ins, default first
        _ = controller.handle(.character("b")).first.map { #expect($0 == .bootstrap) }
        _ = controller.handle(.character("q"))
        #expect(controller.shouldQuit)
    }
}

/// The run loop over a fake terminal and a fake backend.
///
/// The session's tasks run on Swift's shared executor, which has only two threads on this machine; the
/// simulated-swarm suites running beside these tests can hold both for a minute or more. So the fake
/// terminal waits by time (200 s), not by a frame count, which a starved session used to exhaust.
@Suite(.timeLimit(.minutes(4))) struct MonitorLoopTests {
    /// Types its keys once three frames were drawn; stops when a frame shows `until` (or after 200 s).
    final class FakeTerminal: TerminalDevice, @unchecked Sendable {
        var keys: [KeyInput]
        var frames: [ScreenBuffer] = []
        let until: String
        let deadline = ContinuousClock.now + .seconds(200)
        init(keys: [KeyInput], until: String) {
            self.keys = keys
            self.until = until
        }
        var size: (width: Int, height: Int) { (80, 24) }
        var timedOut: Bool { ContinuousClock.now > deadline }
        var stopRequested: Bool { timedOut || (frames.last?.text.contains(until) ?? false) }
        func readKey(timeout: Duration) -> KeyInput? {
            if frames.count < 3 || keys.isEmpty { return nil }
            return keys.removeFirst()
        }
        func draw(_ screen: ScreenBuffer, theme: Theme) { frames.append(screen) }
    }

    struct FakeBackend: MonitorBackend {
        func events() async throws -> AsyncStream<MonitorEventBatch> {
            AsyncStream { continuation in
                continuation.yield(MonitorEventBatch([.observedAddress(Fixture.local, reportedBy: Fixture.address(40012))]))
            }
        }
        func status() async throws -> NodeStatus { Fixture.status }
        func ping(_ address: PeerAddress) async throws -> PingOutcome {
            PingOutcome(responder: address, responderID: Fixture.id(0x12), observedAddress: Fixture.local, roundTripTime: .microseconds(420))
        }
        func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome { try await ping(peer) }
        func bootstrap() async throws -> Int { 3 }
        func query(command: String, target: NodeID) async throws -> QueryOutcome {
            QueryOutcome(responses: 0, errors: 0, hops: 0, duration: .zero, closest: [])
        }
    }

    @Test func keysRunRequestsAndResultsReachTheMessageLine() async {
        let session = MonitorSession(backend: FakeBackend())
        session.start(statusInterval: .milliseconds(20))
        let keys: [KeyInput] = [.character("p")] + "127.0.0.1:40012".map { .character($0) } + [.enter]
        let terminal = FakeTerminal(keys: keys, until: "RTT 0.4ms")
        await Self.runOnThread(terminal: terminal, session: session)
        session.stop()
        let last = terminal.frames.last?.text ?? ""
        #expect(last.contains("ping 127.0.0.1:40012: RTT 0.4ms, id 12111111, sees us at 127.0.0.1:40000"), "\(last)")
        #expect(last.contains("table 23"))
        #expect(!terminal.timedOut)
    }

    @Test func unavailableOperationsSaySo() async {
        let session = MonitorSession(backend: FakeBackend())
        let terminal = FakeTerminal(keys: [.character("l")] + "topic".map { .character($0) } + [.enter], until: "lookup failed")
        await Self.runOnThread(terminal: terminal, session: session)
        session.stop()
        #expect(terminal.frames.last?.text.contains("lookup failed: lookup needs the HyperDHT layer, which this node does not run") == true)
    }

    /// A backend whose pings fail with the address in the error, as a timed-out ping's does.
    struct FailingPingBackend: MonitorBackend {
        func events() async throws -> AsyncStream<MonitorEventBatch> { try await FakeBackend().events() }
        func status() async throws -> NodeStatus { Fixture.status }
        func ping(_ address: PeerAddress) async throws -> PingOutcome {
            throw MonitorError.unavailable("timed out (\(address)).")
        }
        func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome { try await ping(peer) }
        func bootstrap() async throws -> Int { 3 }
        func query(command: String, target: NodeID) async throws -> QueryOutcome { try await FakeBackend().query(command: command, target: target) }
    }

    /// Privacy mode on (`r`), then a ping that fails: the error on the message line names the peer
    /// masked, and no address is anywhere on the screen.
    @Test func privacyModeMasksAFailedPingsAddress() async {
        let session = MonitorSession(backend: FailingPingBackend())
        session.start(statusInterval: .milliseconds(20))
        let keys: [KeyInput] = [.character("r"), .character("p")] + "127.0.0.1:40012".map { .character($0) } + [.enter]
        let terminal = FakeTerminal(keys: keys, until: "failed")
        await Self.runOnThread(terminal: terminal, session: session)
        session.stop()
        let last = terminal.frames.last?.text ?? ""
        let masked = AddressMasking(isEnabled: true).text(Fixture.address(40012))
        #expect(last.contains("ping \(masked) failed: timed out (\(masked))."), "\(last)")
        #expect(last.range(of: #"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"#, options: .regularExpression) == nil, "\(last)")
        #expect(!terminal.timedOut)
    }

    /// Runs the loop on its own thread, as the executable does (it blocks while waiting for keys).
    static func runOnThread(terminal: FakeTerminal, session: MonitorSession) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                var controller = MonitorController()
                MonitorLoop.run(terminal: terminal, controller: &controller, session: session, framesPerSecond: 50)
                continuation.resume()
            }.start()
        }
    }
}
