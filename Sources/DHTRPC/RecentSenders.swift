import IPEncoding
import UDPRequest

/// Addresses that sent a node a valid datagram lately, in two bounded halves of a window: an
/// address is remembered for between one and two half-windows, and each half holds at most
/// `capacity` addresses (a flood of new senders rotates early instead of growing memory).
struct RecentSenders {
    private var current: Set<PeerAddress> = []
    private var previous: Set<PeerAddress> = []
    private var rotatedAt: Timestamp
    private let halfWindow: Duration
    private let capacity: Int

    init(window: Duration, capacity: Int, now: Timestamp) {
        self.halfWindow = window / 2
        self.capacity = max(1, capacity)
        self.rotatedAt = now
    }

    mutating func record(_ address: PeerAddress, now: Timestamp) {
        rotateIfDue(now: now)
        guard !current.contains(address) else { return }
        if current.count >= capacity { rotate(now: now) }
        current.insert(address)
    }

    mutating func contains(_ address: PeerAddress, now: Timestamp) -> Bool {
        rotateIfDue(now: now)
        return current.contains(address) || previous.contains(address)
    }

    var count: Int { current.count + previous.count }

    private mutating func rotateIfDue(now: Timestamp) {
        if now - rotatedAt >= halfWindow * 2 {
            previous.removeAll()
            current.removeAll()
            rotatedAt = now
        } else if now - rotatedAt >= halfWindow {
            rotate(now: now)
        }
    }

    private mutating func rotate(now: Timestamp) {
        previous = current
        current = []
        current.reserveCapacity(min(capacity, previous.count))
        rotatedAt = now
    }
}
