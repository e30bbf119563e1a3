@testable import DHTRPC
import IPEncoding
import Testing
import UDPRequest

/// `RecentSenders`: remembered for one to two half-windows, each half capped; a repeated sender skips the set.
@Suite struct RecentSendersTests {
    let a = PeerAddress(host: IPAddress(10, 0, 0, 1), port: 1)
    let b = PeerAddress(host: IPAddress(10, 0, 0, 2), port: 2)

    func at(_ seconds: Int64) -> Timestamp { Timestamp(nanoseconds: seconds * 1_000_000_000) }

    @Test func aSenderIsRememberedForOneToTwoHalfWindows() {
        var senders = RecentSenders(window: .seconds(10), capacity: 100, now: at(0))
        senders.record(a, now: at(1))
        senders.record(a, now: at(2))  // the same sender again: nothing changes
        let early = senders.contains(a, now: at(4))
        #expect(early && senders.count == 1)
        let previousHalf = senders.contains(a, now: at(6))  // rotated into the previous half
        #expect(previousHalf)
        let expired = senders.contains(a, now: at(11))  // rotated out
        #expect(!expired)
    }

    /// The repeat fast path must not outlive a rotation: a sender recorded again right after its half rotated
    /// away goes into the new half.
    @Test func aRepeatedSenderIsRecordedAgainAfterARotation() {
        var senders = RecentSenders(window: .seconds(10), capacity: 100, now: at(0))
        senders.record(a, now: at(1))
        senders.record(a, now: at(6))  // rotation at 5 s: a is only in the previous half, and recorded anew
        let kept = senders.contains(a, now: at(12))  // rotation at 11 s keeps the half that has a
        #expect(kept)
        senders.record(b, now: at(12))
        senders.record(b, now: at(40))  // both halves expired: cleared, and b recorded anew
        let hasB = senders.contains(b, now: at(41)), hasA = senders.contains(a, now: at(41))
        #expect(hasB && !hasA)
    }

    @Test func aFullHalfRotatesEarlyAndTheRepeatPathSeesIt() {
        var senders = RecentSenders(window: .seconds(10), capacity: 2, now: at(0))
        let third = PeerAddress(host: IPAddress(10, 0, 0, 3), port: 3)
        senders.record(a, now: at(1))
        senders.record(b, now: at(1))
        senders.record(third, now: at(1))  // the half is full: rotates, third starts the new one
        senders.record(third, now: at(1))
        #expect(senders.count == 3)
        senders.record(a, now: at(1))
        senders.record(b, now: at(1))  // full again: a and third move to the previous half
        let all = [b, a, third].map { senders.contains($0, now: at(1)) }
        #expect(all == [true, true, true])
    }
}
