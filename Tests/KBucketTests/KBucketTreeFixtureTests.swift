import Foundation
import KBucket
import Testing

/// The k-bucket vectors recorded from the nodejs reference (k-bucket 3.3.1 called directly).
struct KBucketFixture: Decodable, Sendable {
    struct Scenario: Decodable, Sendable {
        let name: String
        let note: String
        let options: Options
        let operations: [Operation]
        let final: Final
        let closest: [ClosestCase]
    }

    struct Options: Decodable, Sendable {
        let localNodeId: String
        let numberOfNodesPerKBucket: Int
        let numberOfNodesToPing: Int
    }

    struct Operation: Decodable, Sendable {
        let op: String
        let id: String
        let events: [RecordedEvent]
    }

    struct RecordedEvent: Decodable, Sendable, Equatable, CustomStringConvertible {
        var event: String
        var id: String?
        var oldContacts: [String]?
        var newContact: String?

        var description: String {
            [event, id, oldContacts?.joined(separator: ","), newContact].compactMap { $0 }.joined(separator: " ")
        }
    }

    struct Final: Decodable, Sendable {
        let count: Int
        let toArray: [String]
    }

    struct ClosestCase: Decodable, Sendable {
        let target: String
        let n: Int
        let result: [String]
    }

    let producedBy: String
    let scenarios: [Scenario]

    static let shared: KBucketFixture = {
        do {
            guard
                let url = Bundle.module.url(
                    forResource: "k-bucket-closest", withExtension: "json", subdirectory: "Fixtures")
            else { fatalError("k-bucket-closest.json is not bundled") }
            return try JSONDecoder().decode(KBucketFixture.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot load k-bucket-closest.json: \(error)")
        }
    }()

    static func scenario(_ name: String) -> Scenario {
        guard let scenario = shared.scenarios.first(where: { $0.name == name }) else {
            fatalError("no scenario \(name)")
        }
        return scenario
    }
}

extension KBucketFixture.RecordedEvent {
    /// How the reference would have recorded one of our events.
    init(_ event: KBucketEvent<Int>) {
        switch event {
        case .added(let contact):
            self.init(event: "added", id: contact.id.hexString)
        case .updated(let old, let new):
            precondition(old.id == new.id)
            self.init(event: "updated", id: new.id.hexString)
        case .removed(let contact):
            self.init(event: "removed", id: contact.id.hexString)
        case .ping(let oldContacts, let newContact):
            self.init(event: "ping", oldContacts: oldContacts.map(\.id.hexString), newContact: newContact.id.hexString)
        }
    }
}

/// Builds the scenario's table and replays its operations, checking every event on the way.
private func replay(
    _ scenario: KBucketFixture.Scenario, distance: KBucketDistance = .xor
) -> TaggedTree {
    let configuration = KBucketConfiguration<Int>(
        localNodeID: hexID(scenario.options.localNodeId),
        numberOfNodesPerKBucket: scenario.options.numberOfNodesPerKBucket,
        numberOfNodesToPing: scenario.options.numberOfNodesToPing,
        distance: distance
    )
    var tree = TaggedTree(configuration: configuration)
    for (index, operation) in scenario.operations.enumerated() {
        let event: KBucketEvent<Int>?
        switch operation.op {
        case "add": event = tree.add(contact(hexID(operation.id), tag: index))
        case "remove": event = tree.remove(hexID(operation.id))
        default: fatalError("unknown operation \(operation.op)")
        }
        let recorded = event.map { [KBucketFixture.RecordedEvent($0)] } ?? []
        #expect(recorded == operation.events, "\(scenario.name) operation \(index): \(operation.op) \(operation.id)")
    }
    return tree
}

private let scenarioNames = KBucketFixture.shared.scenarios.map(\.name)

@Suite struct KBucketTreeFixtureTests {
    @Test func fixtureHoldsTheThreeRecordedScenarios() {
        #expect(scenarioNames == ["k4_random40", "k20_random300", "float_distance_ties"])
        #expect(KBucketFixture.shared.producedBy.contains("k-bucket@3.3.1"))
    }

    @Test(arguments: scenarioNames)
    func replayEmitsEveryRecordedEventAndEndsWithTheRecordedTable(name: String) {
        let scenario = KBucketFixture.scenario(name)
        let tree = replay(scenario)
        #expect(tree.count == scenario.final.count)
        #expect(tree.toArray().map(\.id.hexString) == scenario.final.toArray)
        #expect(Array(tree.contacts).map(\.id.hexString) == scenario.final.toArray)
    }

    @Test(arguments: scenarioNames.filter { $0 != "float_distance_ties" })
    func closestMatchesEveryRecordedAnswer(name: String) {
        let scenario = KBucketFixture.scenario(name)
        let tree = replay(scenario)
        for query in scenario.closest {
            let answer = tree.closest(to: hexID(query.target), count: query.n).map(\.id.hexString)
            #expect(answer == query.result, "\(name): closest(\(query.target), \(query.n))")
        }
    }

    /// The reference's double-precision distance ties for these five ids and answers in bucket order; the exact
    /// XOR order is the one the scenario's note gives (byte 20 ascending: 01, 03, 05, 07, 09).
    @Test func floatDistanceTiesAreOrderedByExactXOR() throws {
        let scenario = KBucketFixture.scenario("float_distance_ties")
        #expect(scenario.note.contains("01,03,05,07,09"))
        let tree = replay(scenario)
        let query = try #require(scenario.closest.first)
        let answer = tree.closest(to: hexID(query.target), count: query.n).map(\.id)
        #expect(answer.map { $0.byte(at: 20) } == [0x01, 0x03, 0x05, 0x07, 0x09])
        #expect(Set(answer.map(\.hexString)) == Set(query.result))
        #expect(answer.map(\.hexString) != query.result)
        #expect(answer == bruteForceClosest(tree, to: hexID(query.target), count: query.n))
    }

    /// With `.referenceDouble` the table reproduces the reference's answers bit for bit, ties included.
    @Test(arguments: scenarioNames)
    func referenceDoubleDistanceReproducesRecordedAnswers(name: String) {
        let scenario = KBucketFixture.scenario(name)
        let tree = replay(scenario, distance: .referenceDouble)
        for query in scenario.closest {
            let answer = tree.closest(to: hexID(query.target), count: query.n).map(\.id.hexString)
            #expect(answer == query.result, "\(name): closest(\(query.target), \(query.n))")
        }
    }
}
