import NIOCore
import NIODatagramTransport
import NIOPosix
import Testing
import UDPRequest

@Suite(.timeLimit(.minutes(5)))
struct EventLoopSchedulerTests {
    @Test func workRunsOnTheLoopInDeadlineOrderWithTiesInScheduleOrder() async throws {
        let order = try await withEventLoop { loop in
            let promise = loop.makePromise(of: [String].self)
            loop.execute {
                let scheduler = EventLoopScheduler(eventLoop: loop)
                var order: [String] = []
                let base = scheduler.now
                func record(_ name: String) {
                    precondition(loop.inEventLoop)
                    order.append(name)
                    if order.count == 5 { promise.succeed(order) }
                }
                scheduler.schedule(at: base + .milliseconds(60)) { record("c") }
                scheduler.schedule(at: base + .milliseconds(20)) { record("a1") }
                scheduler.schedule(at: base + .milliseconds(40)) { record("b") }
                scheduler.schedule(at: base + .milliseconds(20)) { record("a2") }
                scheduler.schedule(at: base + .milliseconds(20)) { record("a3") }
            }
            return try await promise.futureResult.get()
        }
        #expect(order == ["a1", "a2", "a3", "b", "c"])
    }

    @Test func cancelledWorkDoesNotRunAndPastDeadlinesRunSoon() async throws {
        let ran = try await withEventLoop { loop in
            let promise = loop.makePromise(of: [String].self)
            loop.execute {
                let scheduler = EventLoopScheduler(eventLoop: loop)
                var ran: [String] = []
                let cancelled = scheduler.schedule(after: .milliseconds(10)) { ran.append("cancelled") }
                scheduler.schedule(at: .zero) { ran.append("past") }
                scheduler.schedule(after: .milliseconds(30)) {
                    ran.append("last")
                    promise.succeed(ran)
                }
                cancelled.cancel()
                cancelled.cancel()
                #expect(ran.isEmpty, "scheduling never runs work synchronously")
            }
            return try await promise.futureResult.get()
        }
        #expect(ran == ["past", "last"])
    }

    @Test func nowIsMonotonicFromCreationAndTracksRealTime() async throws {
        let (start, elapsed) = try await withEventLoop { loop in
            let promise = loop.makePromise(of: (Int64, Int64).self)
            loop.execute {
                let scheduler = EventLoopScheduler(eventLoop: loop)
                let start = scheduler.now
                scheduler.schedule(after: .milliseconds(50)) {
                    promise.succeed((start.nanoseconds, (scheduler.now - start).nanosecondsClamped))
                }
            }
            return try await promise.futureResult.get()
        }
        #expect(start >= 0 && start < 1_000_000_000)
        #expect(elapsed >= 50_000_000 && elapsed < 5_000_000_000)
    }
}
