import DHTRPC
import IPEncoding
import KBucket
import Monitor
import Testing

/// An announce or lookup's found peers appear under its walk in the queries pane; selecting one
/// pre-fills `p` with the peer and `h` with the peer and the node that returned it.
@Suite struct FoundPeerSelectionTests {
    static let storingNode = NodeReference(id: Fixture.id(0x77), address: Fixture.address(41500))

    static func controller() -> MonitorController {
        var controller = ControllerTests.controller()
        var batch = MonitorInbox.Batch()
        let t = { (ms: Int64) in Duration.milliseconds(ms) }
        batch.events = [
            TimedEvent(at: t(4000), event: .queryStarted(id: 9, command: "peers", target: Fixture.id(0x33), isUpdate: false)),
            TimedEvent(at: t(4000), event: .queryLabelled(id: 9, label: "lookup")),
            TimedEvent(at: t(4010), event: .queryProgressed(id: 9, QueryStep(responses: 1, errors: 0, inflight: 0, hops: 1, closestPrefix: 3,
                                                                            node: storingNode, answered: true))),
            TimedEvent(at: t(4010), event: .peersFound(queryID: 9, key: Fixture.id(0x33), from: storingNode,
                                                       peers: [Fixture.address(7000, 5)], localPeers: [Fixture.address(7001, 6)])),
            // The same peer again from another node is listed once; an unknown walk is ignored.
            TimedEvent(at: t(4020), event: .peersFound(queryID: 9, key: Fixture.id(0x33), from: NodeReference(id: nil, address: Fixture.address(41501)),
                                                       peers: [Fixture.address(7000, 5)], localPeers: [])),
            TimedEvent(at: t(4020), event: .peersFound(queryID: 99, key: Fixture.id(0x33), from: storingNode,
                                                       peers: [Fixture.address(7999, 5)], localPeers: [])),
            TimedEvent(at: t(4050), event: .queryFinished(id: 9, QueryOutcome(responses: 1, errors: 0, hops: 1, duration: .milliseconds(50),
                                                                              closest: [storingNode]))),
        ]
        controller.receive(batch, now: .milliseconds(4100))
        _ = controller.frame(width: 100, height: 30, now: .milliseconds(4100))
        return controller
    }

    @Test func foundPeersAreListedOnceWithTheNodeThatReturnedThem() throws {
        let record = try #require(Self.controller().model.queries.all.first { $0.id == 9 })
        #expect(record.foundPeers == [FoundPeer(address: Fixture.address(7000, 5), via: Self.storingNode),
                                      FoundPeer(address: Fixture.address(7001, 6), via: Self.storingNode, isLocalNetwork: true)])
        #expect(record.results.map(\.address) == [Fixture.address(7000, 5), Fixture.address(7001, 6), Self.storingNode.address])
    }

    @Test func selectingAFoundPeerPrefillsItsReferrer() {
        var controller = Self.controller()
        _ = controller.handle(.tab)
        _ = controller.handle(.tab)
        #expect(controller.view.focus == .queries)
        _ = controller.handle(.down)  // the lookup #9, below the running #8
        _ = controller.handle(.enter)
        #expect(controller.view.expandedQueries == [9])
        let screen = controller.frame(width: 100, height: 30, now: .milliseconds(4200)).text
        #expect(screen.contains("▾   9 lookup      33111111"), "the walk is labelled by what it is for:\n\(screen)")
        #expect(screen.contains("◆ peer 127.0.0.5:7000  via 77111111 127.0.0.1:41500"))
        #expect(screen.contains("◆ peer 127.0.0.6:7001 lan  via 77111111 127.0.0.1:41500"))
        #expect(!screen.contains("7999"))

        _ = controller.handle(.down)
        _ = controller.handle(.enter)
        #expect(controller.view.selectedPeer == Fixture.address(7000, 5))
        #expect(controller.view.selectedReferrer == Self.storingNode.address)
        _ = controller.handle(.character("p"))
        #expect(controller.view.prompt?.fields.map(\.text) == ["127.0.0.5:7000"])
        _ = controller.handle(.escape)
        _ = controller.handle(.character("h"))
        #expect(controller.view.prompt?.fields.map(\.text) == ["127.0.0.5:7000", "127.0.0.1:41500"])
        #expect(controller.handle(.enter) == [.holepunch(peer: Fixture.address(7000, 5), referrer: Self.storingNode.address)])
    }
}
