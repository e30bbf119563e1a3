import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import NIOPosix
import NodeRuntime
// (the article's imports above, contiguous; the test's own below)
import Foundation
import Testing

/// The DocC article `Sources/NodeRuntime/NodeRuntime.docc/GettingStarted.md` is real code: its snippets run
/// here, in order, over real UDP on 127.0.0.1, and a second test checks the article shows exactly this code.
@Suite(.timeLimit(.minutes(5))) struct GettingStartedArticleTests {
    static let article = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/NodeRuntime/NodeRuntime.docc/GettingStarted.md")

    @Test func theArticlesCodeRunsOverLoopback() async throws {
        // --- the article's snippets, unchanged (see theArticleShowsThisTestsCode) ---
        let loops = MultiThreadedEventLoopGroup.singleton
        let bootstrapNode = try await HyperDHTHandle.start(host: .loopbackV4, on: loops.next())
        let joining = DHTNodeConfiguration(bootstrap: [bootstrapNode.localAddress])
        let node = try await HyperDHTHandle.start(configuration: joining, host: .loopbackV4, on: loops.next())
        try await node.ready()
        print("listening on \(node.localAddress), id \(node.id.hexString)")

        let events = try await node.events()
        let watcher = Task {
            var stored: [PeerAddress] = []
            for await event in events {
                switch event {
                case .dht(.nodeAdded(let contact)):
                    print("routing table: added \(contact)")
                case .hyperdht(.announced(let key, let peer, _, let refreshed)):
                    print("storing \(peer) under \(key.hexString.prefix(8))…\(refreshed ? " (refresh)" : "")")
                    stored.append(peer)
                case .hyperdht(.lookedUp(let key, let from, let answered)):
                    print("\(from) looked up \(key.hexString.prefix(8))…: \(answered) peers")
                default:
                    continue
                }
            }
            return stored
        }

        let other = try await HyperDHTHandle.start(configuration: joining, host: .loopbackV4, on: loops.next())
        try await other.ready()
        let key = NodeID(topic: "getting-started")
        for await event in try await other.announce(key: key, port: 7777) {
            if case .finished(let summary) = event {
                print("announced on \(summary.commits) nodes")
            }
        }
        var found: Set<PeerAddress> = []
        for await event in try await node.lookup(key: key) {
            if case .result(let answer) = event {
                found.formUnion(answer.peers)
            }
        }
        print("found \(found)")

        await other.close()
        await node.close()
        await bootstrapNode.close()
        let stored = await watcher.value
        print("this node stored \(stored)")
        // --- end of the article's snippets ---

        let announced = PeerAddress(host: .loopbackV4, port: 7777)
        #expect(found == [announced])
        #expect(stored.contains(announced), "the node's events did not report the announcement it stored")
    }

    /// Every ```swift block of the article appears in this file line for line (indentation aside), so
    /// the article cannot drift from the code that runs.
    @Test func theArticleShowsThisTestsCode() throws {
        let text = try String(contentsOf: Self.article, encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let blocks = Self.swiftBlocks(text)
        #expect(blocks.count >= 5, "the article's code blocks were not found")
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(Self.trimmed)
        for block in blocks {
            let wanted = block.map(Self.trimmed).filter { !$0.isEmpty }
            let candidates = lines.filter { !$0.isEmpty }
            let found = candidates.indices.contains { start in
                start + wanted.count <= candidates.count && Array(candidates[start..<start + wanted.count]) == wanted
            }
            #expect(found, "this article block is not in \(#fileID):\n\(block.joined(separator: "\n"))")
        }
    }

    static func swiftBlocks(_ markdown: String) -> [[String]] {
        var blocks: [[String]] = [], current: [String]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if current == nil, line.hasPrefix("```swift") {
                current = []
            } else if current != nil, line.hasPrefix("```") {
                blocks.append(current ?? [])
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    static func trimmed(_ line: some StringProtocol) -> String {
        line.trimmingCharacters(in: .whitespaces)
    }
}
