import UDPRequest

/// Where a node draws its id, secrets and first transaction id from: the system's generator (the
/// default, unpredictable), or a seed (for simulations that must replay exactly).
public struct NodeRandomSource: RandomNumberGenerator, Sendable {
    private var seeded: SeededRandomGenerator?
    private var system = SystemRandomNumberGenerator()

    /// The system's cryptographically secure generator.
    public static var system: NodeRandomSource { NodeRandomSource(seeded: nil) }

    /// A deterministic generator: the same seed gives the same node.
    public static func seeded(_ seed: UInt64) -> NodeRandomSource {
        NodeRandomSource(seeded: SeededRandomGenerator(seed: seed))
    }

    private init(seeded: SeededRandomGenerator?) {
        self.seeded = seeded
    }

    /// A generator for draws that need spread, not secrecy (the order of the peers in a reply): a seeded source
    /// gives itself, so a simulation replays exactly; the system source gives a fast generator seeded once from
    /// it – the system generator costs a system call per draw, and a shuffle draws once per element.
    public mutating func forNonSecretDraws() -> NodeRandomSource {
        seeded != nil ? self : .seeded(next())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        if seeded != nil { return seeded!.next() }
        return system.next()
    }
}
