/// What a control socket server has seen since it started.
public struct ControlServerCounters: Sendable, Equatable {
    /// Connections accepted.
    public var clientsAccepted = 0
    /// Connections refused because ``ControlServer/maximumClients`` were connected.
    public var clientsRefused = 0
    /// Clients dropped because they did not read fast enough (their outbox went over its byte limit).
    public var slowClientsDropped = 0
    /// Clients dropped for a frame that could not be read (oversized, empty, truncated, not JSON, wrong version).
    public var malformedFrames = 0
    /// Requests answered.
    public var requestsAnswered = 0

    /// No counts yet.
    public init() {}
}
