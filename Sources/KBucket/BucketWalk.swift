/// The order in which k-bucket 3.3.1 visits the leaves of its tree when it walks toward `target`: at every
/// inner node, first the child on the target's side, then the other one.
///
/// On the spine-shaped tree (see `KBucketTree`) that order is: the far leaves where the target leaves the local
/// id's path (bit `i` differs), by increasing depth; then the local id's leaf; then the far leaves where the
/// target stays on the path (bit `i` agrees), by decreasing depth. It is also the order of increasing XOR distance
/// from the target, bucket by bucket. `toArray` is this walk toward the all-zero id (left before right).
@usableFromInline
struct BucketWalk: IteratorProtocol, Sendable {
    @usableFromInline let local: NodeID
    @usableFromInline let target: NodeID
    @usableFromInline let depth: Int
    /// 0: far leaves off the target's side, increasing depth; 1: the local leaf; 2: the rest, decreasing depth.
    @usableFromInline var phase: Int
    @usableFromInline var index: Int

    @inlinable
    init(local: NodeID, target: NodeID, depth: Int) {
        self.local = local
        self.target = target
        self.depth = depth
        phase = 0
        index = 0
    }

    /// The next bucket index (into `KBucketTree.buckets`), or `nil` when every leaf was visited.
    @inlinable
    mutating func next() -> Int? {
        if phase == 0 {
            while index < depth {
                let i = index
                index += 1
                if local.bit(at: i) != target.bit(at: i) { return i }
            }
            phase = 1
            return depth
        }
        if phase == 1 {
            phase = 2
            index = depth - 1
        }
        while index >= 0 {
            let i = index
            index -= 1
            if local.bit(at: i) == target.bit(at: i) { return i }
        }
        return nil
    }
}

extension KBucketTree {
    /// The bucket indices in the reference's walk toward `target`.
    @inlinable
    func walk(toward target: NodeID) -> BucketWalk {
        BucketWalk(local: localID, target: target, depth: buckets.count - 1)
    }
}
