import IPEncoding

/// Why an outgoing request did not get an answer.
public enum RequestSocketError: Error, Equatable, Sendable {
    /// No matching response arrived before the timeout (the reference's `ETIMEDOUT`).
    case timedOut
    /// The request was cancelled by its owner (`cancel(tid:)` / `cancelAll()`).
    case cancelled
    /// The socket was closed while the request was in flight, or before it was sent.
    case closed
    /// All 32,767 transaction ids are in flight; nothing was sent.
    case tooManyInflight
    /// The request could not be encoded (e.g. a required field was missing); nothing was sent.
    case unencodable(String)
}
