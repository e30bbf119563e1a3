import Foundation
import Testing

@Suite struct UDPRequestFixtureTests {
    @Test func fixturesAreBundled() throws {
        let dir = try #require(Bundle.module.resourceURL?.appendingPathComponent("Fixtures"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.contains { $0.hasSuffix(".json") })
    }
}
