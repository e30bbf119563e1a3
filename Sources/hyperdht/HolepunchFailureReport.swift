import IPEncoding
import NATDiagnosis

/// What `hyperdht holepunch` says on stderr when the punch fails: the follow-up's cause line with
/// indented, timed evidence (with `--json` the `error` line carries the same as its `diagnosis`).
enum HolepunchFailureReport {
    /// `hole punch to PEER via REF failed: <cause>: <explanation>`, the first line of ``text(_:)``.
    static func headline(_ diagnosis: PunchFailureDiagnosis) -> String {
        "hole punch to \(diagnosis.peer) via \(diagnosis.referrer) failed: \(diagnosis.cause.rawValue): \(diagnosis.explanation)"
    }

    /// ``headline(_:)`` and one indented line per step.
    static func text(_ diagnosis: PunchFailureDiagnosis) -> String {
        let width = diagnosis.evidence.map { "+\(Int($0.at.milliseconds.rounded())) ms".count }.max() ?? 0
        let lines = diagnosis.evidence.map { step -> String in
            let at = "+\(Int(step.at.milliseconds.rounded())) ms"
            return "  " + String(repeating: " ", count: width - at.count) + at + "  " + step.text
        }
        return ([headline(diagnosis)] + lines).joined(separator: "\n")
    }
}
