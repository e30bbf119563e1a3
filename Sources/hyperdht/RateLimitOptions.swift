import ArgumentParser
import UDPRequest

/// `--rate-limit`: how many requests per second a node accepts from one source host.
struct RateLimitOptions: ParsableArguments {
    @Option(name: .customLong("rate-limit"), help: ArgumentHelp(
        "Datagrams per second the node accepts from one source host (bursts of twice as many); more are dropped and counted. 0 turns the limit off (load tests from one address).",
        valueName: "per-second"))
    var perSecond: Double = SourceRateLimit.standard.ratePerSecond

    func validate() throws {
        guard perSecond.isFinite, perSecond >= 0 else {
            throw ValidationError("--rate-limit must be a number of datagrams per second, 0 or more (0 = no limit)")
        }
    }

    /// The limit to configure the node with (`nil` for 0).
    var limit: SourceRateLimit? {
        guard perSecond > 0 else { return nil }
        var limit = SourceRateLimit.standard
        limit.ratePerSecond = perSecond
        limit.burst = max(1, perSecond * 2)
        return limit
    }
}
