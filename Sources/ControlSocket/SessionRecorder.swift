import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// Appends ``RecordedEntry`` frames to a file, bounded: when the file would pass `maximumBytes` it is
/// renamed to `FILE.1` (replacing the previous one) and a new `FILE` starts, so a recording holds at most
/// about twice the cap. Writes happen on the caller's task, never on a node's event loop.
public final class SessionRecorder: Sendable {
    /// The file written.
    public let path: String
    /// The size at which the file rotates.
    public let maximumBytes: Int
    private let clock = ContinuousClock()
    private let state: NIOLockedValueBox<State>

    private struct State {
        var handle: FileHandle?
        var bytes = 0
        var started: ContinuousClock.Instant
        var header: RecordedEntry.Content?
        var failure: String?
        var redactor: AddressRedactor?
    }

    /// Starts recording into `path` (created, or truncated); with `redactsAddresses`, every IP address
    /// is replaced with a stand-in before it is written (``AddressRedactor``).
    public init(path: String, maximumBytes: Int = 64 * 1024 * 1024, redactsAddresses: Bool = false) throws {
        self.path = path
        self.maximumBytes = maximumBytes
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        state = NIOLockedValueBox(State(handle: handle, started: ContinuousClock.now,
                                        redactor: redactsAddresses ? AddressRedactor() : nil))
    }

    /// The first write error, if one happened (recording stops then; the node goes on).
    public var failure: String? { state.withLockedValue { $0.failure } }

    /// Appends `content`, stamped with the time since the recording started. The first call should
    /// be a ``RecordedEntry/Content/header(version:node:)``; it is repeated at the start of a rotated file.
    public func record(_ content: RecordedEntry.Content) {
        let now = clock.now
        state.withLockedValue { state in
            guard state.handle != nil else { return }
            if case .header = content { state.header = content }
            guard var payload = try? ControlProtocol.encode(RecordedEntry(at: now - state.started, content: content)) else { return }
            if var redactor = state.redactor {
                payload = Data(redactor.redact(String(decoding: payload, as: UTF8.self)).utf8)
                state.redactor = redactor
            }
            let frame = ControlFraming.frame(payload)
            if state.bytes > 0 && state.bytes + frame.readableBytes > maximumBytes { rotate(&state, at: now) }
            write(frame, &state)
        }
    }

    /// Closes the file.
    public func close() {
        state.withLockedValue { state in
            try? state.handle?.close()
            state.handle = nil
        }
    }

    private func write(_ frame: ByteBuffer, _ state: inout State) {
        do {
            try state.handle?.write(contentsOf: Data(frame.readableBytesView))
            state.bytes += frame.readableBytes
        } catch {
            state.failure = "\(error)"
            try? state.handle?.close()
            state.handle = nil
        }
    }

    private func rotate(_ state: inout State, at now: ContinuousClock.Instant) {
        try? state.handle?.close()
        let previous = path + ".1"
        try? FileManager.default.removeItem(atPath: previous)
        try? FileManager.default.moveItem(atPath: path, toPath: previous)
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            state.failure = "cannot create \(path) after rotating"
            state.handle = nil
            return
        }
        state.handle = handle
        state.bytes = 0
        state.started = now
        if let header = state.header, let payload = try? ControlProtocol.encode(RecordedEntry(at: .zero, content: header)) {
            write(ControlFraming.frame(payload), &state)
        }
    }
}
