/// Everything that can go wrong in the monitor module.
public enum MonitorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An operation the attached backend does not offer (yet); the text says which and why.
    case unavailable(String)
    /// A theme file could not be used; the monitor falls back to the built-in default.
    case theme(ThemeError)
    /// The terminal cannot host the monitor (not a terminal, too small, unknown type); the text says why.
    case terminal(String)
    /// A hole punch failed; the follow-up probes found this likely cause (`label`) and `explanation`.
    case holepunchFailed(label: String, explanation: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unavailable(let text): text
        case .theme(let error): error.description
        case .terminal(let text): text
        case .holepunchFailed(let label, let explanation): "\(label) – \(explanation)"
        }
    }
}
