import DHTRPC
import IPEncoding
import KBucket
import NATDiagnosis

// The lines a command ends with (docs/JSON-OUTPUT.md): one result, or one `error`, or – for the
// commands that run until stopped – `stopped`.

/// `lookup`, `announce`, `unannounce`: the walk's result, after its `peers` lines.
struct SummaryLine: JSONLineBody, Equatable {
    static let type = "summary"

    /// The command that walked.
    enum Command: String, Codable, Sendable {
        case lookup, announce, unannounce
    }

    var command: Command
    /// The key walked to (64 hex digits).
    var key: NodeID
    /// `announce`/`unannounce`: the port announced or withdrawn (0: the UDP port other nodes see us at);
    /// `lookup`: null.
    @Nullable var port: UInt16?
    /// `lookup`, `announce`: distinct peers found (public and LAN); `unannounce`: null.
    @Nullable var peersFound: Int?
    /// `announce`: the nodes that stored the announcement; otherwise null.
    @Nullable var storedOn: Int?
    /// `unannounce`: the nodes that acknowledged the removal (a node acknowledges whether or not it
    /// stored the announcement); otherwise null.
    @Nullable var acknowledgedBy: Int?
    /// Requests answered, walk and commit.
    var responses: Int
    /// Requests that failed.
    var errors: Int
    /// The deepest hop that answered.
    var hops: Int
    /// From the walk's start to its end.
    var durationMs: Double
}

/// `ping`: the node's answer.
struct PongLine: JSONLineBody, Equatable {
    static let type = "pong"

    /// The address the answer came from.
    var from: JSONAddress
    /// The answering node's id, null if it sent none (an ephemeral node).
    @Nullable var fromId: NodeID?
    /// Where the node sees us (our public address if it is outside our NAT).
    var observedAddress: JSONAddress
    /// Round-trip time.
    var rttMs: Double
}

/// `holepunch`: the peer answered us directly.
struct PunchedLine: JSONLineBody, Equatable {
    static let type = "punched"

    /// The peer's address the answer came from.
    var from: JSONAddress
    /// The peer's id, null if it sent none.
    @Nullable var fromId: NodeID?
    /// The referrer that forwarded our ping.
    var via: JSONAddress
    /// Where the peer sees us.
    var observedAddress: JSONAddress
    /// Round-trip time of the forwarded ping.
    var rttMs: Double
}

/// `netcheck`: the NAT classification with the evidence behind each line.
struct NetcheckLine: JSONLineBody, Equatable {
    static let type = "netcheck"

    /// Where we are bound, and this host's interface addresses at that port.
    var localAddresses: [JSONAddress]
    /// The address most nodes see us at; null if none answered a ping.
    @Nullable var publicAddress: JSONAddress?
    /// How many nodes said where they see us.
    var reporters: Int
    var mapping: MappingBehaviour
    /// Whether the NAT kept our port; null without a NAT or without reports.
    @Nullable var portPreserving: Bool?
    var filtering: FilteringBehaviour
    /// Whether a ping to our own public address came back; null if not tested.
    @Nullable var hairpinning: Bool?
    var verdict: NATVerdict
    /// The verdict in words.
    var verdictText: String
    /// The facts behind each line (`line` names the line).
    var evidence: [NATEvidence]
    /// Whether the probes were cut short by their deadline.
    var cutShort: Bool

    init(_ report: NATReport, cutShort: Bool) {
        localAddresses = report.localAddresses.map(JSONAddress.init)
        publicAddress = report.publicAddress.map(JSONAddress.init)
        reporters = report.reporters
        mapping = report.mapping
        portPreserving = report.portPreserving
        filtering = report.filtering
        hairpinning = report.hairpinning
        verdict = report.verdict
        verdictText = report.verdictText
        evidence = report.evidence
        self.cutShort = cutShort
    }
}

/// Any command that failed: bad arguments (status 64), a network failure (status 1). The message is the
/// one printed on stderr.
struct ErrorLine: JSONLineBody, Equatable {
    static let type = "error"

    /// What a failed hole punch's follow-up probes found.
    struct PunchDiagnosis: Codable, Sendable, Equatable {
        /// One step or finding.
        struct Evidence: Codable, Sendable, Equatable {
            /// Milliseconds since the punch started.
            var atMs: Int
            var text: String
        }

        var cause: PunchFailureCause
        /// What happened and what to do about it.
        var explanation: String
        /// Oldest first.
        var evidence: [Evidence]

        init(_ diagnosis: PunchFailureDiagnosis) {
            cause = diagnosis.cause
            explanation = diagnosis.explanation
            evidence = diagnosis.evidence.map { Evidence(atMs: Int($0.at.milliseconds.rounded()), text: $0.text) }
        }
    }

    /// The command that failed (`hyperdht` when none was recognised).
    var command: String
    /// What went wrong, in words.
    var message: String
    /// The process's exit status.
    var status: Int32
    /// `holepunch`: why the punch failed, from the follow-up probes; otherwise null.
    @Nullable var diagnosis: PunchDiagnosis?
}

/// A command ended by SIGINT or SIGTERM: the result of the commands that run until stopped (`node`,
/// `bootstrap`, `testnet`, `announce --keep`), after their clean-up (a kept announcement withdrawn).
struct StoppedLine: JSONLineBody, Equatable {
    static let type = "stopped"

    var command: String
    /// `SIGINT` or `SIGTERM`.
    var signal: String
    /// The process's exit status (128 + the signal's number).
    var status: Int32
}
