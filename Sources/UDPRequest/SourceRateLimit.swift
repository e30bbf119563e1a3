/// Limits on how fast one source may make a node work: a token bucket per source host.
///
/// The defaults (500 per second, bursts of 1,000) sit far above what one well-behaved host sends
/// a node – a walk asks each node once or twice, and a client running the node's maximum of 256
/// walks at once sends at most ~512 – while one source can then take at most ~1% of what a node
/// answers per second (`Benchmarks/RESULTS.md`). `FloodFairnessTests` floods a node from one source
/// over real UDP while 20 other nodes ping it (figures in README, "Where this implementation differs").
public struct SourceRateLimit: Sendable, Equatable {
    /// Requests admitted per second per source, on average.
    public var ratePerSecond: Double
    /// Requests admitted at once from a source that has been quiet.
    public var burst: Double
    /// The most sources tracked at once. Beyond it, sources not yet tracked share one bucket (so a
    /// flood from many spoofed sources cannot grow memory, nor starve the sources already tracked).
    public var maxTrackedSources: Int

    /// Creates a limit.
    public init(ratePerSecond: Double = 500, burst: Double = 1_000, maxTrackedSources: Int = 16_384) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.maxTrackedSources = maxTrackedSources
    }

    /// The default limit.
    public static let standard = SourceRateLimit()
}
