import IPEncoding
import UDPRequest

/// Addresses that sent a node a valid datagram lately, in two bounded halves of a window: an
/// address is remembered for between one and two half-windows, and each half holds at most
/// `capacity` addresses (a flood of new senders rotates early instead of growing memory).
struct RecentSenders {
    private var current: Set<PeerAddress> = []
    private var previous: Set<PeerAddress> = []
    private var rotatedAt: Timestamp
    /// The address `record` saw last, while it is in `current`: a burst from one sender skips hashing it again.
    private var lastRecorded: PeerAddress?
    /// Half the window in nanoseconds (compared with `Timestamp`s directly: `Duration` arithmetic is 128-bit).
    private let halfWindow: Int64
    /// The whole window in nanoseconds (at most `Int64.max`).
    private let fullWindow: Int64
    private let capacity: Int

    init(window: Duration, capacity: Int, now: Timestamp) {
        self.halfWindow = (window / 2).nanosecondsClamped
        self.fullWindow = halfWindow > Int64.max / 2 ? Int64.max : halfWindow * 2
        self.capacity = max(1, capacity)
        self.rotatedAt = now
    }

    mutating func record(_ address: PeerAddress, now: Timestamp) {
        rotateIfDue(now: now)
        guard address != lastRecorded else { return }
        if !current.contains(address) {
            if current.count >= capacity { rotate(now: now) }
            current.insert(address)
        }
        lastRecorded = address
    }

    mutating func contains(_ address: PeerAddress, now: Timestamp) -> Bool {
        rotateIfDue(now: now)
        return current.contains(address) || previous.contains(address)
    }

    var count: Int { current.count + previous.count }

    private mutating func rotateIfDue(now: Timestamp) {
        let elapsed = now.nanoseconds &- rotatedAt.nanoseconds
        if elapsed >= fullWindow {
            previous.removeAll()
            current.removeAll()
            lastRecorded = nil
            rotatedAt = now
        } else if elapsed >= halfWindow {
            rotate(now: now)
        }
    }

    private mutating func rotate(now: Timestamp) {
        previous = current
        current = []
        lastRecorded = nil
        current.reserveCapacity(min(capacity, previous.count))
        rotatedAt = now
    }
}
