import Foundation
import IPEncoding
import NATDiagnosis

/// What `hyperdht holepunch` prints when the punch fails: the follow-up's verdict as one JSON line
/// (`--json`) or as a cause line with indented evidence for people.
struct HolepunchFailureReport: Encodable {
    /// One evidence line of the JSON output.
    struct Evidence: Encodable {
        /// Milliseconds since the punch started.
        var atMs: Int
        /// What was done or found.
        var text: String
    }

    let type = "holepunch-failed"
    var cause: PunchFailureCause
    var explanation: String
    var evidence: [Evidence]

    init(_ diagnosis: PunchFailureDiagnosis) {
        cause = diagnosis.cause
        explanation = diagnosis.explanation
        evidence = diagnosis.evidence.map { Evidence(atMs: Int($0.at.milliseconds.rounded()), text: $0.text) }
    }

    /// The one JSON line (keys sorted, so the output is stable).
    func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return #"{"type":"holepunch-failed"}"# }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes ``jsonLine()`` to standard output.
    func printJSONLine() {
        try? FileHandle.standardOutput.write(contentsOf: Data((jsonLine() + "\n").utf8))
    }

    /// `hole punch to PEER via REF failed: <cause>: <explanation>` and one indented line per step.
    static func text(_ diagnosis: PunchFailureDiagnosis) -> String {
        let width = diagnosis.evidence.map { "+\(Int($0.at.milliseconds.rounded())) ms".count }.max() ?? 0
        let lines = diagnosis.evidence.map { step -> String in
            let at = "+\(Int(step.at.milliseconds.rounded())) ms"
            return "  " + String(repeating: " ", count: width - at.count) + at + "  " + step.text
        }
        return (["hole punch to \(diagnosis.peer) via \(diagnosis.referrer) failed: \(diagnosis.cause.rawValue): \(diagnosis.explanation)"]
                + lines).joined(separator: "\n")
    }
}
