import Foundation
import ProcessSignals
import Testing

/// Signals reach their subscribers from the moment ``SignalSubscription/catching(_:handler:)``
/// returns – the property `DispatchSource` signal sources lack on Linux (see the type's doc) – and a
/// signal nobody wants any more gets its default action back.
///
/// A process-directed signal can still be on its way when a test cancels, and the default action of
/// SIGUSR1/SIGUSR2 ends the test process: those are sent one at a time and waited for; the repeated
/// and flooding tests use SIGURG, whose default action is to ignore it.
@Suite(.serialized) struct SignalSubscriptionTests {
    /// Counts deliveries per signal; waits for them with a deadline.
    final class Deliveries: @unchecked Sendable {
        private let condition = NSCondition()
        private var counts: [Int32: Int] = [:]

        func note(_ number: Int32) {
            condition.lock()
            counts[number, default: 0] += 1
            condition.broadcast()
            condition.unlock()
        }

        func count(_ number: Int32) -> Int {
            condition.lock()
            defer { condition.unlock() }
            return counts[number, default: 0]
        }

        /// Whether `number` was delivered at least `atLeast` times within 5 s.
        func wait(for number: Int32, atLeast: Int = 1) -> Bool {
            let deadline = Date().addingTimeInterval(5)
            condition.lock()
            defer { condition.unlock() }
            while counts[number, default: 0] < atLeast {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
    }

    /// Whether `number`'s disposition is the default action now.
    static func hasDefaultAction(_ number: Int32) -> Bool {
        var current = sigaction()
        sigaction(number, nil, &current)
        return current.__sigaction_handler.sa_handler == nil
    }

    @Test func aSignalSentTheMomentTheSubscriptionExistsIsDelivered() {
        // The same loop over DispatchSource signal sources (with `signal(n, SIG_IGN)` first) loses
        // 199–200 of 200: a signal sent right after `resume()` comes before libdispatch's asynchronous
        // registration, and a signal whose source was cancelled once is never re-armed.
        for round in 1...200 {
            let deliveries = Deliveries()
            let subscription = SignalSubscription.catching([SIGURG]) { deliveries.note($0) }
            #expect(subscription != nil)
            kill(getpid(), SIGURG)  // process-directed: any thread may take it
            let delivered = deliveries.wait(for: SIGURG)
            subscription?.cancel()
            #expect(delivered, "round \(round): the signal was lost")
            if !delivered { break }
        }
    }

    @Test func everySubscriberOfASignalHearsItAndCancellingOneKeepsTheOther() {
        let first = Deliveries(), second = Deliveries()
        let a = SignalSubscription.catching([SIGUSR1, SIGUSR2]) { first.note($0) }
        let b = SignalSubscription.catching([SIGUSR2]) { second.note($0) }
        kill(getpid(), SIGUSR2)
        #expect(first.wait(for: SIGUSR2) && second.wait(for: SIGUSR2))
        #expect(first.count(SIGUSR1) == 0)

        a?.cancel()
        a?.cancel()  // twice does nothing
        #expect(Self.hasDefaultAction(SIGUSR1), "nobody wants SIGUSR1 any more: its default action is back")
        #expect(!Self.hasDefaultAction(SIGUSR2), "b still catches SIGUSR2")
        kill(getpid(), SIGUSR2)
        #expect(second.wait(for: SIGUSR2, atLeast: 2))
        #expect(first.count(SIGUSR2) == 1, "a cancelled subscriber hears nothing more")

        b?.cancel()
        #expect(Self.hasDefaultAction(SIGUSR2))
    }

    @Test func aFloodOfSignalsNeverBlocksTheSender() {
        let deliveries = Deliveries()
        let subscription = SignalSubscription.catching([SIGURG]) { deliveries.note($0) }
        let started = Date()
        // Far more than the pipe holds if the reader were stuck: the handler's write never blocks.
        for _ in 0..<20_000 { kill(getpid(), SIGURG) }
        let elapsed = Date().timeIntervalSince(started)
        #expect(deliveries.wait(for: SIGURG))
        #expect(elapsed < 20, "20,000 kills took \(elapsed) s")
        subscription?.cancel()
    }

    @Test func aHandlerMaySubscribeAndCancelFromInsideItself() {
        let deliveries = Deliveries()
        let inner = NSLock()
        nonisolated(unsafe) var nested: SignalSubscription?
        let outer = SignalSubscription.catching([SIGUSR1]) { number in
            inner.lock()
            nested = SignalSubscription.catching([SIGUSR2]) { deliveries.note($0) }
            inner.unlock()
            deliveries.note(number)
        }
        kill(getpid(), SIGUSR1)
        #expect(deliveries.wait(for: SIGUSR1))
        outer?.cancel()
        kill(getpid(), SIGUSR2)
        #expect(deliveries.wait(for: SIGUSR2))
        inner.lock()
        nested?.cancel()
        inner.unlock()
        #expect(Self.hasDefaultAction(SIGUSR1) && Self.hasDefaultAction(SIGUSR2))
    }
}
