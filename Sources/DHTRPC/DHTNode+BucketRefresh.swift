import KBucket

extension DHTNode {
    /// Starts a refresh walk for up to `limit` far buckets that hold no live contact and are due
    /// (``BucketRefreshPolicy``, ``BucketRefreshSchedule``).
    func refreshEmptyBuckets(limit: Int) {
        guard configuration.bucketRefresh.isEnabled, !isClosed, limit > 0 else { return }
        let counts = table.farBucketCounts { !$0.payload.isStale }
        let empty = counts.indices.filter { counts[$0] == 0 }
        guard !empty.isEmpty else { return }
        for index in refreshSchedule.takeDue(emptyBuckets: empty, tick: tick, limit: limit) {
            refreshBucket(index)
        }
    }

    private func refreshBucket(_ index: Int) {
        let target = id.randomID(branchingOffAt: index, using: &random)
        stats.bucketRefreshes += 1
        let options = QueryOptions(concurrency: configuration.bucketRefresh.walkConcurrency)
        let walkID = startWalk(DHTQuery(command: "_find_node", target: target), options: options, onResult: { _ in }) { [weak self] _ in
            guard let self, !self.isClosed else { return }
            let counts = self.table.farBucketCounts { !$0.payload.isStale }
            let filled = index < counts.count && counts[index] > 0
            self.refreshSchedule.finished(index, tick: self.tick, filled: filled)
        }
        if let walkID { walk(walkID)?.advance() }
    }
}
