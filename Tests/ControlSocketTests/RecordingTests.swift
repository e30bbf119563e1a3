import ControlSocket
import Foundation
import IPEncoding
import KBucket
import Monitor
import Testing
import UDPRequest

/// `--record` and `hyperdht replay`: entries written in order and read back, the file rotated at its
/// cap, a cut-short file read up to the cut, and a replay that shows the recorded events and status.
@Suite(.timeLimit(.minutes(2)))
struct RecordingTests {
    static let event = MonitorEvent.requestSent(tid: 3, command: "_find_node", to: FakeBackend.address, bytes: 70)

    static func batch(_ nanoseconds: Int64) -> MonitorEventBatch {
        MonitorEventBatch([event], times: [Timestamp(nanoseconds: nanoseconds)], handedOverAt: Timestamp(nanoseconds: nanoseconds))
    }

    @Test func entriesAreReadBackInOrder() async throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let path = directory.file("session.rec")
        let recorder = try SessionRecorder(path: path)
        let status = try await FakeBackend().status()
        recorder.record(.header(version: RecordedEntry.formatVersion, node: FakeBackend.id))
        recorder.record(.status(status))
        recorder.record(.events(Self.batch(10)))
        recorder.record(.store(nil))
        recorder.close()
        let entries = try RecordingReader.entries(at: path)
        #expect(entries.map(\.content) == [.header(version: 1, node: FakeBackend.id), .status(status), .events(Self.batch(10)), .store(nil)])
        #expect(entries.map(\.at) == entries.map(\.at).sorted())
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func theFileRotatesAtItsCap() throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let path = directory.file("session.rec")
        let recorder = try SessionRecorder(path: path, maximumBytes: 4_000)
        recorder.record(.header(version: RecordedEntry.formatVersion, node: FakeBackend.id))
        for index in 0..<200 { recorder.record(.events(Self.batch(Int64(index)))) }
        recorder.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size <= 4_000)
        #expect(FileManager.default.fileExists(atPath: path + ".1"))
        let current = try RecordingReader.entries(at: path)
        #expect(current.first?.content == .header(version: 1, node: FakeBackend.id), "a rotated file starts with the header again")
        #expect(current.last?.content == .events(Self.batch(199)))
    }

    @Test func aFileCutShortIsReadUpToTheCut() throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let path = directory.file("session.rec")
        let recorder = try SessionRecorder(path: path)
        for index in 0..<3 { recorder.record(.events(Self.batch(Int64(index)))) }
        recorder.close()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.dropLast(5).write(to: URL(fileURLWithPath: path))
        #expect(try RecordingReader.entries(at: path).count == 2)
        try Data("garbage!".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try RecordingReader.entries(at: path) }
    }

    @Test func aRedactedRecordingContainsNoAddressAndStillReplays() throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let path = directory.file("session.rec")
        let recorder = try SessionRecorder(path: path, redactsAddresses: true)
        let v4 = PeerAddress(host: IPAddress(10, 1, 2, 3), port: 4000)
        let v6 = try PeerAddress(parsing: "[2a01:4f8::17]:5000")
        let events: [MonitorEvent] = [
            .requestSent(tid: 1, command: "_ping", to: v4, bytes: 50),
            .holepunchAsked(peer: v6, referrer: v4, tid: 2),
            .holepunchExplained(peer: v6, referrer: v4, cause: "x", label: "referrer unreachable",
                                explanation: "referrer 10.1.2.3:4000 does not answer; nor does [2a01:4f8::17]:5000 or 192.168.1.20"),
        ]
        recorder.record(.events(MonitorEventBatch(events)))
        recorder.close()
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        for secret in ["10.1.2.3", "2a01:4f8::17", "192.168.1.20"] { #expect(!text.contains(secret), "\(secret) in \(text)") }
        let entries = try RecordingReader.entries(at: path)
        guard case .events(let batch) = try #require(entries.first).content else { Issue.record("no events"); return }
        guard case .requestSent(_, _, let to, _) = batch.events[0], case .holepunchAsked(let peer, let referrer, _) = batch.events[1] else {
            Issue.record("events changed shape: \(batch.events)")
            return
        }
        #expect(to == referrer, "the same address gets the same stand-in")
        #expect(to.port == 4000 && peer.port == 5000)
        #expect(to != v4 && peer != v6)
    }

    @Test func aRecordingBackendRecordsWhatPassesThrough() async throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let path = directory.file("session.rec")
        let recorder = try SessionRecorder(path: path)
        let fake = FakeBackend()
        let backend = RecordingMonitorBackend(wrapping: fake, recorder: recorder)
        let events = try await backend.events()
        _ = try await backend.status()
        _ = try await backend.status()  // within the second: not recorded again
        fake.feed.yield(Self.batch(42))
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == Self.batch(42))
        #expect(try await backend.bootstrap() == 7)
        recorder.close()
        let contents = try RecordingReader.entries(at: path).map(\.content)
        #expect(contents == [.header(version: 1, node: FakeBackend.id), .status(try await fake.status()), .events(Self.batch(42))])
    }

    @Test func aReplayShowsTheRecordedEventsAndStatusAndRefusesCommands() async throws {
        let status = try await FakeBackend().status()
        let entries = [
            RecordedEntry(at: .zero, content: .header(version: 1, node: FakeBackend.id)),
            RecordedEntry(at: .milliseconds(100), content: .status(status)),
            RecordedEntry(at: .milliseconds(200), content: .events(Self.batch(1_000_000_000))),
            RecordedEntry(at: .milliseconds(400), content: .events(Self.batch(1_200_000_000))),
        ]
        let notices = NoticeLog()
        let backend = ReplayMonitorBackend(entries: entries, speed: 2) { text, isError in notices.add(text, isError) }
        var batches: [MonitorEventBatch] = []
        // The stream stays open after the last entry (a step back is still possible): take the two batches.
        for await batch in try await backend.events() {
            batches.append(batch)
            if batches.count == 2 { break }
        }
        #expect(await eventually { notices.contains("replay finished: 4 entries") })
        #expect(batches.map(\.events) == [[Self.event], [Self.event]])
        // Restamped on the replay's clock: each event at its batch's hand-over, in order.
        #expect(batches.allSatisfy { $0.times == $0.handedOverAt.map { [$0] } })
        let handovers = batches.compactMap(\.handedOverAt)
        #expect(handovers.count == 2 && handovers == handovers.sorted())
        #expect(try await backend.status() == status)
        #expect(notices.contains("replay: node abababababababab… (read-only"))
        await #expect(throws: MonitorError.unavailable("a replay is read-only: no node to ask")) {
            _ = try await backend.ping(FakeBackend.address)
        }
    }

    @Test func pauseHoldsTheReplayAndAStepPlaysTheNextEvents() async throws {
        let entries = (0..<3).map { RecordedEntry(at: .milliseconds(50 * $0), content: .events(Self.batch(Int64($0)))) }
        let backend = ReplayMonitorBackend(entries: entries)
        backend.controls.togglePause()
        let played = NoticeLog()
        let events = try await backend.events()
        let collector = Task { for await _ in events { played.add("batch", false) } }
        defer { collector.cancel() }
        // Paused from the start: nothing plays, a step plays one batch, and the pause holds after it.
        try await Task.sleep(for: .milliseconds(300))
        #expect(played.count == 0)
        backend.controls.step()
        #expect(await eventually { played.count == 1 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(played.count == 1)
        #expect(backend.controls.isPaused)
        backend.controls.togglePause()
        #expect(await eventually { played.count == 3 })
    }

    /// `[` un-plays the last event batch: the player hands over the events before it as one batch that
    /// replaces the monitor's histories; at the start it hands over none; `]` then plays forward again.
    @Test func aStepBackRebuildsFromTheEventsBeforeTheLastBatch() async throws {
        let events = (0..<3).map { MonitorEvent.requestSent(tid: UInt16($0), command: "_ping", to: FakeBackend.address, bytes: 20) }
        let entries = events.enumerated().map { index, event in
            RecordedEntry(at: .milliseconds(50 * index), content: .events(
                MonitorEventBatch([event], times: [Timestamp(nanoseconds: Int64(index))], handedOverAt: Timestamp(nanoseconds: Int64(index)))))
        }
        let backend = ReplayMonitorBackend(entries: entries, speed: 4)
        let received = BatchLog()
        let stream = try await backend.events()
        let collector = Task { for await batch in stream { received.add(batch) } }
        defer { collector.cancel() }
        #expect(await eventually { received.batches.count == 3 })  // played to the end

        backend.controls.stepBack()
        #expect(await eventually { received.batches.count == 4 })
        #expect(received.batches[3].resetsHistory == true)
        #expect(received.batches[3].events == [events[0], events[1]])
        #expect(backend.controls.isPaused)
        #expect(backend.sourceMarker?.text.hasPrefix("REPLAY 0:00.0/0:00.1 4x paused") == true)

        backend.controls.stepBack()
        #expect(await eventually { received.batches.count == 5 })
        #expect(received.batches[4].resetsHistory == true && received.batches[4].events == [events[0]])
        backend.controls.stepBack()
        #expect(await eventually { received.batches.count == 6 })
        #expect(received.batches[5].resetsHistory == true && received.batches[5].events.isEmpty)
        backend.controls.stepBack()  // nothing played: nowhere to go back to
        backend.controls.step()
        #expect(await eventually { received.batches.count == 7 })
        #expect(received.batches[6].resetsHistory == nil && received.batches[6].events == [events[0]])
    }

    /// A batch that resets the history replaces the events still waiting in the inbox, and the
    /// controller forgets what it applied before.
    @Test func aResettingBatchReplacesTheHistory() {
        let inbox = MonitorInbox()
        var controller = MonitorController()
        inbox.post(MonitorEventBatch([Self.event, Self.event]))
        controller.receive(inbox.drain(), now: .seconds(1))
        #expect(controller.model.eventsApplied == 2)
        inbox.post(MonitorEventBatch([Self.event]))
        var reset = MonitorEventBatch([Self.event])
        reset.resetsHistory = true
        inbox.post(reset)
        let batch = inbox.drain()
        #expect(batch.resetsHistory && batch.events.count == 1)
        controller.receive(batch, now: .seconds(2))
        #expect(controller.model.eventsApplied == 1)
        #expect(!inbox.drain().resetsHistory)
    }

    @Test func speedKeysStepThroughTheSpeeds() {
        let controls = ReplayControls(speed: 1)
        #expect(controls.faster() == 2)
        #expect(controls.faster() == 4)
        #expect(controls.slower() == 2)
        for _ in 0..<20 { controls.slower() }
        #expect(controls.speed == 0.25)
        for _ in 0..<20 { controls.faster() }
        #expect(controls.speed == 64)
    }
}

/// Batches a test received, in order.
final class BatchLog: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [MonitorEventBatch] = []

    func add(_ batch: MonitorEventBatch) {
        lock.lock()
        received.append(batch)
        lock.unlock()
    }

    var batches: [MonitorEventBatch] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }
}
