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
}
