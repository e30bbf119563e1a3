import NIOCore
@testable import NIODatagramTransport
import Testing

@Suite struct WriteLedgerTests {
    @Test func queuedBytesFollowEachWriteUntilItCompletesAndFailuresAreCounted() async throws {
        try await withEventLoop { loop in
            try await loop.submit {
                let ledger = WriteLedger()
                let first = ledger.promise(forWriteOf: 100, on: loop)
                let second = ledger.promise(forWriteOf: 30, on: loop)
                let third = ledger.promise(forWriteOf: 7, on: loop)
                #expect(ledger.pendingBytes == 137)
                first.succeed()
                #expect(ledger.pendingBytes == 37)
                second.fail(ChannelError.ioOnClosedChannel)
                #expect(ledger.pendingBytes == 7 && ledger.failures == 1)
                third.succeed()
                #expect(ledger.pendingBytes == 0 && ledger.failures == 1)
            }.get()
        }
    }

    @Test func completionsOutOfOrderStillBalanceOnceAllAreDone() async throws {
        try await withEventLoop { loop in
            try await loop.submit {
                let ledger = WriteLedger()
                let promises = [5, 50, 500].map { ledger.promise(forWriteOf: $0, on: loop) }
                promises[2].succeed()
                promises[0].fail(ChannelError.ioOnClosedChannel)
                promises[1].succeed()
                #expect(ledger.pendingBytes == 0 && ledger.failures == 1)
            }.get()
        }
    }

    @Test func writesWithoutAPromiseAreCoveredByTheNextPromise() async throws {
        try await withEventLoop { loop in
            try await loop.submit {
                let ledger = WriteLedger()
                ledger.recordWriteWithoutPromise(of: 100)
                ledger.recordWriteWithoutPromise(of: 20)
                #expect(ledger.pendingBytes == 120)
                let covering = ledger.promise(forWriteOf: 3, on: loop)
                let later = ledger.promise(forWriteOf: 40, on: loop)
                #expect(ledger.pendingBytes == 163)
                covering.succeed()
                #expect(ledger.pendingBytes == 40)
                later.fail(ChannelError.ioOnClosedChannel)
                #expect(ledger.pendingBytes == 0 && ledger.failures == 1)
            }.get()
        }
    }

    @Test func uncoveredWritesThatNeverReachTheChannelAreForgotten() async throws {
        try await withEventLoop { loop in
            try await loop.submit {
                let ledger = WriteLedger()
                let earlier = ledger.promise(forWriteOf: 10, on: loop)
                ledger.recordWriteWithoutPromise(of: 500)
                ledger.discardUncoveredWrites()
                #expect(ledger.pendingBytes == 10)
                // A later promise covers nothing it should not.
                let later = ledger.promise(forWriteOf: 7, on: loop)
                earlier.succeed()
                later.succeed()
                #expect(ledger.pendingBytes == 0)
                ledger.countFailure()
                #expect(ledger.failures == 1)
            }.get()
        }
    }
}
