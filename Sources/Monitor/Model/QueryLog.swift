import DHTRPC
import KBucket

/// One walk as the queries pane shows it.
public struct QueryRecord: Equatable, Sendable {
    /// The walk's id.
    public var id: UInt64
    /// The command walked.
    public var command: String
    /// What the walk is for, when the layer above said (lookup, announce, unannounce).
    public var label: String?
    /// The target.
    public var target: NodeID
    /// Whether it is an update (announce-style commit pass).
    public var isUpdate: Bool
    /// When it started, on the monitor's clock.
    public var startedAt: Duration
    /// The latest progress.
    public var responses = 0, errors = 0, inflight = 0, hops = 0, closestPrefix = 0
    /// Answers per hop (index 0 is hop 1), at most ``QueryLog/hopLimit`` hops.
    public var answersPerHop: [Int] = []
    /// Nodes that answered, newest last, at most ``QueryLog/resultLimit``.
    public var answered: [NodeReference] = []
    /// How it ended, once it has.
    public var outcome: QueryOutcome?
    /// When it ended.
    public var finishedAt: Duration?

    /// Peers announced under the target that the walk found, in arrival order, each address once, at
    /// most ``QueryLog/peerLimit``.
    public var foundPeers: [FoundPeer] = []

    /// The results to select: the peers found (an announce or lookup), then the closest nodes once
    /// finished, else the nodes that answered so far.
    public var results: [QueryResultEntry] {
        foundPeers.map { .peer($0) } + (outcome?.closest ?? answered.reversed()).map { .node($0) }
    }
}

/// Active and recent walks, bounded.
public struct QueryLog: Sendable {
    /// Hops tracked per walk.
    public static let hopLimit = 32
    /// Answering nodes kept per running walk.
    public static let resultLimit = 20
    /// Distinct peers kept per announce or lookup.
    public static let peerLimit = 64
    /// Active walks, by id.
    public private(set) var active: [UInt64: QueryRecord] = [:]
    /// Finished walks, oldest first.
    public private(set) var recent: RingBuffer<QueryRecord>
    /// The most active walks tracked (a node allows 256).
    public let activeLimit: Int

    /// Ids of walks in the order they started; finished ones are skipped lazily (amortised O(1)).
    private var startOrder: [UInt64] = []
    private var startOrderHead = 0

    /// Creates a log keeping `recentCapacity` finished walks.
    public init(recentCapacity: Int = 64, activeLimit: Int = 512) {
        recent = RingBuffer(capacity: recentCapacity)
        self.activeLimit = activeLimit
    }

    /// Applies a query event.
    public mutating func apply(_ event: MonitorEvent, at time: Duration) {
        switch event {
        case .queryStarted(let id, let command, let target, let isUpdate):
            if active.count >= activeLimit { evictOldestActive() }
            if active[id] == nil {
                startOrder.append(id)
                if startOrder.count - startOrderHead > 2 * activeLimit { compactStartOrder() }
            }
            active[id] = QueryRecord(id: id, command: command, target: target, isUpdate: isUpdate, startedAt: time)
        case .queryProgressed(let id, let step):
            guard var record = active[id] else { return }
            record.responses = step.responses
            record.errors = step.errors
            record.inflight = step.inflight
            record.hops = step.hops
            record.closestPrefix = step.closestPrefix
            if step.answered {
                let hop = min(max(step.hops, 1), Self.hopLimit)
                while record.answersPerHop.count < hop { record.answersPerHop.append(0) }
                record.answersPerHop[hop - 1] += 1
                record.answered.append(step.node)
                if record.answered.count > Self.resultLimit { record.answered.removeFirst() }
            }
            active[id] = record
        case .queryLabelled(let id, let label):
            active[id]?.label = label
        case .peersFound(let id, _, let from, let peers, let localPeers):
            guard var record = active[id] else { return }
            let found = peers.map { FoundPeer(address: $0, via: from) }
                + localPeers.map { FoundPeer(address: $0, via: from, isLocalNetwork: true) }
            for peer in found where record.foundPeers.count < Self.peerLimit
                && !record.foundPeers.contains(where: { $0.address == peer.address }) {
                record.foundPeers.append(peer)
            }
            active[id] = record
        case .queryFinished(let id, let outcome):
            var record = active.removeValue(forKey: id)
                ?? QueryRecord(id: id, command: "(earlier)", target: .empty, isUpdate: false, startedAt: time - outcome.duration)
            record.outcome = outcome
            record.finishedAt = time
            record.responses = outcome.responses
            record.errors = outcome.errors
            record.hops = outcome.hops
            record.inflight = 0
            recent.append(record)
        default:
            break
        }
    }

    /// Drops the walk that started first among the active ones, and compacts the start order.
    private mutating func evictOldestActive() {
        while startOrderHead < startOrder.count {
            let id = startOrder[startOrderHead]
            startOrderHead += 1
            if active.removeValue(forKey: id) != nil { break }
        }
        if startOrderHead > activeLimit { compactStartOrder() }
    }

    /// Keeps only the active walks' ids (at most `activeLimit`), so the order stays bounded.
    private mutating func compactStartOrder() {
        startOrder = startOrder[startOrderHead...].filter { active[$0] != nil }
        startOrderHead = 0
    }

    /// Active walks (newest first) then finished ones (newest first).
    public var all: [QueryRecord] {
        active.values.sorted { $0.startedAt > $1.startedAt || ($0.startedAt == $1.startedAt && $0.id > $1.id) }
            + recent.newestFirst
    }
}
