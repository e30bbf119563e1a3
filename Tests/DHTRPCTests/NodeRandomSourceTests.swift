import DHTRPC
import Testing

/// The generator for non-secret draws (issue 11: a `peers` reply's shuffle drew from the system generator, one
/// system call per stored peer).
@Suite struct NodeRandomSourceTests {
    @Test func aSeededSourceKeepsItsOwnSequenceForNonSecretDraws() {
        var source = NodeRandomSource.seeded(42)
        var draws = source.forNonSecretDraws()
        var same = NodeRandomSource.seeded(42)
        #expect((0..<8).map { _ in draws.next() } == (0..<8).map { _ in same.next() }, "a simulation replays exactly")
    }

    @Test func theSystemSourceGivesASeededGeneratorSeededFromItOnce() {
        var system = NodeRandomSource.system
        let draws = system.forNonSecretDraws()
        // A seeded generator: two copies replay the same sequence (the system generator never does).
        var first = draws, second = draws
        #expect((0..<8).map { _ in first.next() } == (0..<8).map { _ in second.next() })
        // Seeded from the system each time: two such generators differ.
        var other = system.forNonSecretDraws()
        var again = draws
        #expect((0..<8).map { _ in other.next() } != (0..<8).map { _ in again.next() })
    }
}
