/// How one outgoing request is retried and timed out.
///
/// Time is counted in ticks of ``RequestSocketConfiguration/tickInterval`` (250 ms, as udp-request's
/// `setInterval(timeout / 4)` with its 1000 ms default). A request starts with
/// ``initialTimeoutTicks`` (5); each tick decrements it, and the first tick that finds it at 0 either
/// retransmits (when retries remain) or fails the request – so without retries a request fails on
/// the 6th tick, 1.25–1.5 s after it was sent, exactly like dht-rpc.
public struct RequestOptions: Sendable, Equatable {
    /// Retransmit on timeout, following ``retrySchedule``. dht-rpc never does; udp-request can.
    public var retry: Bool

    /// Ticks to wait after each retransmission: udp-request 1.5's `RETRIES = [4, 8, 12]`.
    public var retrySchedule: [Int]

    /// Ticks before the first timeout check fires (udp-request: 5).
    public var initialTimeoutTicks: Int

    /// Creates options; the defaults are dht-rpc's (send once, fail after 6 ticks).
    public init(retry: Bool = false, retrySchedule: [Int] = [4, 8, 12], initialTimeoutTicks: Int = 5) {
        self.retry = retry
        self.retrySchedule = retrySchedule
        self.initialTimeoutTicks = initialTimeoutTicks
    }

    /// dht-rpc's behaviour: one transmission, failure on the 6th tick.
    public static let once = RequestOptions()
    /// udp-request's `retry: true`: up to 3 retransmissions at 4, 8 and 12 ticks.
    public static let withRetries = RequestOptions(retry: true)
}
