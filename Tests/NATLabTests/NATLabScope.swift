import Testing

/// Brings the NAT lab up once around a whole suite and tears it down afterwards, also when a test failed or
/// the suite was cancelled; the suite's tests find it in ``NATLab/current``.
struct NATLabScope: SuiteTrait, TestScoping {
    /// Once for the suite it is attached to, not again for every test inside.
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let lab = try await NATLab.bringUp()
        do {
            try await NATLab.$current.withValue(lab) { try await function() }
        } catch {
            await lab.tearDown()
            throw error
        }
        await lab.tearDown()
    }
}

extension Trait where Self == NATLabScope {
    /// The NAT lab, up for the duration of the suite.
    static var natLab: Self { NATLabScope() }
}

extension NATLab {
    /// The lab of the running suite; fails the test if it is run outside ``NATLabScope``.
    static func inUse() throws -> NATLab {
        guard let lab = current else { throw Failure(description: "no NAT lab: the test must run inside the NATLabTests suite") }
        return lab
    }
}
