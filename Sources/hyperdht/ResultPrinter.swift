import DHTRPC
import Foundation
import HyperDHT
import IPEncoding
import KBucket
import Monitor
import NIOConcurrencyHelpers

/// Prints command results as text for people or as typed JSON lines for programs (``JSONLine``; every
/// line type is in ``JSONLineCatalogue`` and documented in docs/JSON-OUTPUT.md).
struct ResultPrinter {
    let json: Bool
    /// Whether text lines start with the time (UTC, ISO 8601): for the logs of long-lived nodes.
    var timestamps = false

    /// A line printed while the command runs: `body` with `--json`, `text` otherwise. Nothing once the
    /// command printed its final line (a node's task still reporting while it closes).
    func event<Body: JSONLineBody>(_ body: @autoclosure () -> Body, text: @autoclosure () -> String) {
        CommandEnding.whileRunning { printLine(body(), text: text()) }
    }

    /// The line a command ends with (its result): printed once; nothing after it (``CommandEnding``).
    func result<Body: JSONLineBody>(_ body: @autoclosure () -> Body, text: @autoclosure () -> String) {
        CommandEnding.end { printLine(body(), text: text()) }
    }

    private func printLine<Body: JSONLineBody>(_ body: Body, text: @autoclosure () -> String) {
        if json { emit(body) } else { line(text()) }
    }

    /// A line for people only (nothing with `--json`).
    func text(_ text: String) {
        if !json { line(text) }
    }

    func peers(_ result: PeerResult, key: NodeID) {
        event(PeersLine(key: key, node: JSONAddress(result.node.address), nodeId: result.node.id, local: result.isLocal,
                        peers: result.peers.map(JSONAddress.init), localPeers: result.localPeers.map(JSONAddress.init)),
              text: {
                  let source = result.isLocal ? "local store" : "node \(result.node)"
                  return (result.peers.map { "peer \($0)  (from \(source))" }
                          + result.localPeers.map { "local peer \($0)  (from \(source))" }).joined(separator: "\n")
              }())
    }

    /// A walk's summary: the result of `lookup`, a one-shot `announce` and `unannounce` (`final`), an
    /// event line of `announce --keep`.
    func summary(_ summary: QuerySummary, command: SummaryLine.Command, key: NodeID, port: UInt16? = nil,
                 peersFound: Int? = nil, final: Bool = true) {
        let body = SummaryLine(
            command: command, key: key, port: port, peersFound: peersFound,
            storedOn: command == .announce ? summary.commits : nil,
            acknowledgedBy: command == .unannounce ? summary.commits : nil,
            responses: summary.responses, errors: summary.errors, hops: summary.hops,
            durationMs: summary.duration.milliseconds)
        let text: String = {
            let ms = String(format: "%.1f", summary.duration.milliseconds)
            var words = "\(command.rawValue): "
            if let peersFound { words += Formatting.counted(peersFound, "peer") + " found; " }
            words += "\(Formatting.counted(summary.responses, "response")), \(Formatting.counted(summary.errors, "error")), "
                + "\(Formatting.counted(summary.hops, "hop")), \(ms) ms"
            if summary.commits > 0 {
                // A node answers an unannounce whether or not it stored the announcement: say what is known.
                words += command == .unannounce ? "; \(Formatting.counted(summary.commits, "node")) acknowledged the removal"
                                               : "; stored on \(Formatting.counted(summary.commits, "node"))"
            }
            return words
        }()
        if final { result(body, text: text) } else { event(body, text: text) }
    }

    func pong(_ reply: PingReply) {
        result(PongLine(from: JSONAddress(reply.responder), fromId: reply.responderID,
                        observedAddress: JSONAddress(reply.observedAddress), rttMs: reply.roundTripTime.milliseconds),
               text: pongText("pong", reply))
    }

    func punched(_ reply: PingReply, via referrer: PeerAddress) {
        result(PunchedLine(from: JSONAddress(reply.responder), fromId: reply.responderID, via: JSONAddress(referrer),
                           observedAddress: JSONAddress(reply.observedAddress), rttMs: reply.roundTripTime.milliseconds),
               text: pongText("punched", reply))
    }

    private func pongText(_ verb: String, _ reply: PingReply) -> String {
        let ms = String(format: "%.2f", reply.roundTripTime.milliseconds)
        return "\(verb) from \(reply.responder): \(ms) ms; it sees us at \(reply.observedAddress)"
    }

    private func emit(_ body: some JSONLineBody) {
        // Encoding these value types cannot fail (no non-finite numbers reach them); if it ever did, the
        // line would be missing, which the schema test notices.
        guard let text = try? JSONLine(body).text() else { return }
        writeStandardOutput(Data((text + "\n").utf8))
    }

    /// Writes `text` (one or more lines; nothing if empty), each line stamped when ``timestamps``.
    private func line(_ text: String) {
        guard !text.isEmpty else { return }
        let stamp = timestamps ? Date.now.formatted(.iso8601) + " " : ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { stamp + $0 + "\n" }
        writeStandardOutput(Data(lines.joined().utf8))
    }
}

/// Makes sure a command prints at most one final line (its result, an `error` or `stopped`) and nothing
/// after it: a signal arriving after the result was printed, a failure after it, or a node's task still
/// reporting while the node closes adds nothing. Lines are written under one lock, so none slips in
/// behind the final line.
enum CommandEnding {
    private static let ended = NIOLockedValueBox(false)

    /// Runs `write` (a line) unless the final line was written.
    static func whileRunning(_ write: () -> Void) {
        ended.withLockedValue { ended in
            if !ended { write() }
        }
    }

    /// Runs `write` (the final line) if no final line was written yet; returns whether it ran.
    @discardableResult
    static func end(_ write: () -> Void) -> Bool {
        ended.withLockedValue { ended in
            guard !ended else { return false }
            ended = true
            write()
            return true
        }
    }
}

/// Writes to stdout. The throwing variant: a closed stdout (`| head`) is EPIPE, which the
/// non-throwing write turns into a crash. Nobody reads any more: stop the way a SIGPIPE would, but
/// with the node closed first (``ProcessShutdown``).
func writeStandardOutput(_ data: Data) {
    do {
        try FileHandle.standardOutput.write(contentsOf: data)
    } catch {
        ProcessShutdown.begin(.outputClosed)
    }
}
