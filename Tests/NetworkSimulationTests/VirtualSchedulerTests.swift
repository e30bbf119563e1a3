import NetworkSimulation
import Testing
import UDPRequest

@Suite struct VirtualSchedulerTests {
    @Test func clockStartsAtZeroAndMovesOnlyWhenRun() {
        let scheduler = VirtualScheduler()
        #expect(scheduler.now == .zero)
        scheduler.schedule(after: .seconds(1)) {}
        #expect(scheduler.now == .zero)
        scheduler.run(for: .milliseconds(500))
        #expect(scheduler.now == Timestamp(nanoseconds: 500_000_000))
        #expect(scheduler.pendingCount == 1)
    }

    @Test func workRunsInDeadlineOrderAndEqualDeadlinesInInsertionOrder() {
        let scheduler = VirtualScheduler()
        var order: [String] = []
        scheduler.schedule(at: Timestamp(nanoseconds: 30)) { order.append("c") }
        scheduler.schedule(at: Timestamp(nanoseconds: 10)) { order.append("a1") }
        scheduler.schedule(at: Timestamp(nanoseconds: 20)) { order.append("b") }
        for i in 2...50 {
            scheduler.schedule(at: Timestamp(nanoseconds: 10)) { order.append("a\(i)") }
        }
        #expect(scheduler.runUntilIdle())
        #expect(order == (1...50).map { "a\($0)" } + ["b", "c"])
        #expect(scheduler.now == Timestamp(nanoseconds: 30))
    }

    @Test func workSeesItsOwnDeadlineAsNow() {
        let scheduler = VirtualScheduler()
        var seen: [Timestamp] = []
        for ms in [5, 1, 3] {
            scheduler.schedule(after: .milliseconds(ms)) { seen.append(scheduler.now) }
        }
        scheduler.run(until: Timestamp(nanoseconds: 10_000_000))
        #expect(seen == [1, 3, 5].map { Timestamp(nanoseconds: Int64($0) * 1_000_000) })
        #expect(scheduler.now == Timestamp(nanoseconds: 10_000_000))
    }

    @Test func cancelledWorkNeverRunsAndCancellingTwiceIsHarmless() {
        let scheduler = VirtualScheduler()
        var ran: [Int] = []
        let first = scheduler.schedule(after: .seconds(1)) { ran.append(1) }
        scheduler.schedule(after: .seconds(2)) { ran.append(2) }
        #expect(scheduler.pendingCount == 2)
        first.cancel()
        first.cancel()
        #expect(scheduler.pendingCount == 1)
        #expect(scheduler.runUntilIdle())
        #expect(ran == [2])
        #expect(scheduler.pendingCount == 0)
    }

    @Test func cancellingAfterRunningDoesNothing() {
        let scheduler = VirtualScheduler()
        var count = 0
        let handle = scheduler.schedule(after: .zero) { count += 1 }
        scheduler.runUntilIdle()
        handle.cancel()
        #expect(count == 1)
        #expect(scheduler.pendingCount == 0)
    }

    @Test func workCanCancelLaterWorkInTheSameRun() {
        let scheduler = VirtualScheduler()
        var ran: [String] = []
        var later: (any Cancellable)?
        scheduler.schedule(after: .milliseconds(1)) { ran.append("first"); later?.cancel() }
        later = scheduler.schedule(after: .milliseconds(1)) { ran.append("second") }
        scheduler.runUntilIdle()
        #expect(ran == ["first"])
    }

    @Test func runUntilStopsAtTheBoundaryInclusive() {
        let scheduler = VirtualScheduler()
        var ran: [Int] = []
        for ms in [1, 2, 3] { scheduler.schedule(after: .milliseconds(ms)) { ran.append(ms) } }
        let count = scheduler.run(until: Timestamp(nanoseconds: 2_000_000))
        #expect(count == 2)
        #expect(ran == [1, 2])
        #expect(scheduler.nextDeadline == Timestamp(nanoseconds: 3_000_000))
        scheduler.advance(by: .milliseconds(5))
        #expect(ran == [1, 2, 3])
        #expect(scheduler.now == Timestamp(nanoseconds: 7_000_000))
    }

    @Test func workScheduledInThePastRunsAfterWorkAlreadyDue() {
        let scheduler = VirtualScheduler()
        scheduler.run(for: .seconds(1))
        var ran: [String] = []
        scheduler.schedule(at: scheduler.now) { ran.append("due now") }
        scheduler.schedule(at: .zero) { ran.append("in the past") }
        scheduler.runUntilIdle()
        #expect(ran == ["due now", "in the past"])
        #expect(scheduler.now == Timestamp(nanoseconds: 1_000_000_000))
    }

    @Test func workScheduledDuringARunWithinTheWindowRunsInTheSameRun() {
        let scheduler = VirtualScheduler()
        var ran: [Int] = []
        scheduler.schedule(after: .milliseconds(1)) {
            ran.append(1)
            scheduler.schedule(after: .milliseconds(1)) { ran.append(2) }
            scheduler.schedule(after: .milliseconds(10)) { ran.append(3) }
        }
        scheduler.run(for: .milliseconds(5))
        #expect(ran == [1, 2])
    }

    @Test func runUntilIdleReportsFalseWhenWorkNeverStops() {
        let scheduler = VirtualScheduler()
        var ticks = 0
        func tick() {
            ticks += 1
            scheduler.schedule(after: .seconds(1)) { tick() }
        }
        tick()
        #expect(scheduler.runUntilIdle(maxEvents: 100) == false)
        #expect(ticks == 101)
        #expect(scheduler.pendingCount == 1)
    }

    @Test func stepRunsExactlyOnePieceOfWork() {
        let scheduler = VirtualScheduler()
        var ran = 0
        scheduler.schedule(after: .seconds(1)) { ran += 1 }
        scheduler.schedule(after: .seconds(2)) { ran += 1 }
        #expect(scheduler.step())
        #expect(ran == 1 && scheduler.now == Timestamp(nanoseconds: 1_000_000_000))
        #expect(scheduler.step())
        #expect(!scheduler.step())
    }

    @Test func manyCancelledTimersAreCompactedAndTheRestStillRunInOrder() {
        let scheduler = VirtualScheduler()
        var handles: [any Cancellable] = []
        var ran: [Int] = []
        for i in 0..<20_000 {
            handles.append(scheduler.schedule(after: .milliseconds(20_000 - i)) { ran.append(i) })
        }
        for (i, handle) in handles.enumerated() where i % 100 != 0 { handle.cancel() }
        #expect(scheduler.pendingCount == 200)
        _ = scheduler.nextDeadline  // triggers compaction
        #expect(scheduler.runUntilIdle())
        #expect(ran == stride(from: 19_900, through: 0, by: -100).map { $0 })
    }
}
