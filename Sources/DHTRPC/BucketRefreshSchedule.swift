/// Which empty far buckets are due for a refresh walk, per ``BucketRefreshPolicy``: one walk per bucket at a
/// time, and after each walk a pause of the policy's interval, doubled after every walk that found no one.
/// Pure bookkeeping over bucket indices and upkeep ticks; ``DHTNode`` runs the walks.
struct BucketRefreshSchedule {
    private struct Entry {
        var notBefore: Int
        var interval: Int
    }

    private let policy: BucketRefreshPolicy
    /// By far-bucket index (the bit at which the bucket branches off the local id's path).
    private var entries: [Int: Entry] = [:]
    private(set) var running: Set<Int> = []

    init(policy: BucketRefreshPolicy) {
        self.policy = policy
    }

    /// Up to `limit` buckets among `emptyBuckets` (shallowest first: the largest subtrees) that are not being
    /// refreshed and whose pause is over at `tick`; they are marked running.
    mutating func takeDue(emptyBuckets: [Int], tick: Int, limit: Int) -> [Int] {
        guard policy.isEnabled, limit > 0 else { return [] }
        var due: [Int] = []
        for index in emptyBuckets.sorted() where due.count < limit && !running.contains(index) {
            if let entry = entries[index], tick < entry.notBefore { continue }
            due.append(index)
            running.insert(index)
        }
        return due
    }

    /// The walk for bucket `index` ended at `tick`; `filled` tells whether the bucket now holds a contact.
    mutating func finished(_ index: Int, tick: Int, filled: Bool) {
        running.remove(index)
        let previous = entries[index]?.interval
        let interval = filled || previous == nil
            ? policy.intervalTicks
            : min(policy.maxIntervalTicks, 2 * (previous ?? policy.intervalTicks))
        entries[index] = Entry(notBefore: tick + interval, interval: interval)
    }
}
