import DHTRPC
import Foundation
import HyperDHT
import IPEncoding
import Monitor

/// Prints command results as text for people or as JSON lines for programs.
struct ResultPrinter {
    let json: Bool
    /// Whether text lines start with the time (UTC, ISO 8601): for the logs of long-lived nodes.
    var timestamps = false

    func peers(_ result: PeerResult) {
        if json {
            emit(["type": "peers", "node": node(result.node), "local": result.isLocal,
                  "peers": result.peers.map(address), "localPeers": result.localPeers.map(address)])
        } else {
            let source = result.isLocal ? "local store" : "node \(result.node)"
            for peer in result.peers { line("peer \(peer)  (from \(source))") }
            for peer in result.localPeers { line("local peer \(peer)  (from \(source))") }
        }
    }

    /// Prints a walk's summary; `peersFound` (lookup, announce) is said first in text.
    func summary(_ summary: QuerySummary, verb: String, peersFound: Int? = nil) {
        if json {
            emit(["type": "summary", "command": verb, "responses": summary.responses, "errors": summary.errors,
                  "commits": summary.commits, "hops": summary.hops,
                  "durationMs": summary.duration.milliseconds,
                  "error": summary.error.map { "\($0)" } as Any])
        } else {
            let ms = String(format: "%.1f", summary.duration.milliseconds)
            var text = "\(verb): "
            if let peersFound { text += Formatting.counted(peersFound, "peer") + " found; " }
            text += "\(Formatting.counted(summary.responses, "response")), \(Formatting.counted(summary.errors, "error")), "
                + "\(Formatting.counted(summary.hops, "hop")), \(ms) ms"
            if summary.commits > 0 {
                // A node answers an unannounce whether or not it stored the announcement: say what is known.
                text += verb == "unannounce" ? "; \(Formatting.counted(summary.commits, "node")) acknowledged the removal"
                                             : "; stored on \(Formatting.counted(summary.commits, "node"))"
            }
            line(text)
        }
    }

    func pong(_ reply: PingReply, verb: String) {
        if json {
            emit(["type": verb, "from": address(reply.responder), "id": reply.responderID?.hexString as Any,
                  "observedAddress": address(reply.observedAddress), "rttMs": reply.roundTripTime.milliseconds])
        } else {
            let ms = String(format: "%.2f", reply.roundTripTime.milliseconds)
            line("\(verb) from \(reply.responder): \(ms) ms; it sees us at \(reply.observedAddress)")
        }
    }

    func message(_ type: String, _ fields: [String: Any], text: String) {
        if json {
            var object = fields
            object["type"] = type
            emit(object)
        } else {
            line(text)
        }
    }

    private func node(_ reference: NodeReference) -> [String: Any] {
        ["id": reference.id?.hexString as Any, "host": "\(reference.address.host)", "port": Int(reference.address.port)]
    }

    private func address(_ address: PeerAddress) -> [String: Any] {
        ["host": "\(address.host)", "port": Int(address.port)]
    }

    private func emit(_ object: [String: Any]) {
        let cleaned = object.mapValues { value -> Any in
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .optional else { return value }
            return mirror.children.first?.value ?? NSNull()
        }
        guard let data = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys]) else { return }
        line(String(decoding: data, as: UTF8.self))
    }

    private func line(_ text: String) {
        let stamped = timestamps && !json ? Date.now.formatted(.iso8601) + " " + text : text
        writeStandardOutput(Data((stamped + "\n").utf8))
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
