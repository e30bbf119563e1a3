import IPEncoding
import NIOCore
import NIODatagramTransport
import NIOPosix
import Testing

@Suite(.timeLimit(.minutes(5)))
struct UDPDatagramTransportTests {
    func exchangeDatagrams(on host: IPAddress) async throws {
        try await withEventLoop { loop in
            let a = try await UDPDatagramTransport.bind(host: host, port: 0, on: loop)
            let b = try await UDPDatagramTransport.bind(host: host, port: 0, on: loop)
            #expect(a.localAddress.host == host && a.localAddress.port != 0)
            #expect(b.localAddress.host == host && b.localAddress.port != 0)
            #expect(a.localAddress != b.localAddress)
            let aInbox = try await inbox(of: a)
            let bInbox = try await inbox(of: b)
            // b answers every datagram from where it came, on the loop.
            try await b.withTransport { transport in
                transport.setReceiver { [unowned transport] bytes, source in
                    transport.send(bytes + [0xFF], to: source)
                }
            }
            _ = bInbox
            let bAddress = b.localAddress
            try await a.withTransport { transport in
                for i in 0..<10 { transport.send([UInt8(i)], to: bAddress) }
            }
            let replies = try await first(10, of: aInbox)
            #expect(Set(replies.map(\.bytes)) == Set((0..<10).map { [UInt8($0), 0xFF] }))
            #expect(replies.allSatisfy { $0.source == bAddress })
            let aStats = try await a.statistics()
            #expect(aStats.datagramsSent == 10 && aStats.bytesSent == 10)
            #expect(aStats.datagramsReceived == 10 && aStats.bytesReceived == 20)
            await a.close()
            await b.close()
        }
    }

    @Test func transportsExchangeDatagramsOverIPv4Loopback() async throws {
        try await exchangeDatagrams(on: .loopbackV4)
    }

    @Test(.enabled(if: hasIPv6Loopback, "this machine has no IPv6 loopback (::1); IPv6 not tested"))
    func transportsExchangeDatagramsOverIPv6Loopback() async throws {
        try await exchangeDatagrams(on: .loopbackV6)
    }

    @Test func receiverSeesTheSendersBoundAddress() async throws {
        try await withEventLoop { loop in
            let a = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let b = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let bInbox = try await inbox(of: b)
            let bAddress = b.localAddress
            try await a.withTransport { $0.send(Array("hello".utf8), to: bAddress) }
            let received = try await first(1, of: bInbox)
            #expect(received == [Received(bytes: Array("hello".utf8), source: a.localAddress)])
            await a.close()
            await b.close()
        }
    }

    @Test func bindingAGivenPortUsesItAndBindingItTwiceFails() async throws {
        try await withEventLoop { loop in
            let probe = try await UDPDatagramTransport.bind(host: .loopbackV4, port: 0, on: loop)
            let port = probe.localAddress.port
            await probe.close()
            let fixed = try await UDPDatagramTransport.bind(host: .loopbackV4, port: port, on: loop)
            #expect(fixed.localAddress == PeerAddress(host: .loopbackV4, port: port))
            await #expect {
                _ = try await UDPDatagramTransport.bind(host: .loopbackV4, port: port, on: loop)
            } throws: { error in
                guard case UDPTransportError.bindFailed(let address, _) = error else { return false }
                return address == fixed.localAddress
            }
            await fixed.close()
        }
    }

    /// a sends `count` one-byte datagrams to b in one turn of the shared loop, so b finds them waiting and reads
    /// them in bursts; b answers each with its byte and 0xFF, after first sending `extra(bytes)` where that is not
    /// nil. Returns both transports' statistics once every answer arrived.
    private func answerBurst(count: Int, on loop: any EventLoop, extra: @escaping @Sendable ([UInt8]) -> [UInt8]? = { _ in nil })
        async throws -> (a: UDPTransportStatistics, b: UDPTransportStatistics) {
        let a = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
        let b = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
        let aInbox = try await inbox(of: a)
        try await b.withTransport { transport in
            transport.setReceiver { [unowned transport] bytes, source in
                if let more = extra(bytes) { transport.send(more, to: source) }
                transport.send(bytes + [0xFF], to: source)
            }
        }
        let bAddress = b.localAddress
        try await a.withTransport { transport in
            for i in 0..<count { transport.send([UInt8(i)], to: bAddress) }
        }
        let replies = try await first(count, of: aInbox)
        #expect(Set(replies.map(\.bytes)) == Set((0..<count).map { [UInt8($0), 0xFF] }))
        let statistics = (a: try await a.statistics(), b: try await b.statistics())
        await a.close()
        await b.close()
        return statistics
    }

    @Test func anOversizedReplyInsideAReadBurstIsCountedAndTheOthersStillGoOut() async throws {
        try await withEventLoop { loop in
            let stats = try await answerBurst(count: 16, on: loop) { bytes in
                bytes == [5] ? [UInt8](repeating: 7, count: 70_000) : nil
            }
            #expect(stats.b.sendFailures == 1 && stats.b.datagramsSent == 16)
            #expect(stats.b.socketReopens == 0)
        }
    }

    @Test func answersToOneReadBurstAreFlushedTogether() async throws {
        try await withEventLoop { loop in
            let stats = try await answerBurst(count: 32, on: loop)
            // a wrote outside any read burst: one flush per datagram. b answered inside bursts: fewer flushes.
            #expect(stats.a.flushes == 32)
            #expect(stats.b.datagramsSent == 32 && stats.b.flushes < 32)
        }
    }

    @Test func datagramsLongerThanTheLimitAreDroppedAndCountedNotDeliveredCutShort() async throws {
        try await withEventLoop { loop in
            let a = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let b = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop, maximumDatagramSize: 512)
            let bInbox = try await inbox(of: b)
            let bAddress = b.localAddress
            // In one loop turn, so b reads them in one burst (several datagrams per read where it can).
            try await a.withTransport { transport in
                transport.send([UInt8](repeating: 1, count: 512), to: bAddress)
                transport.send([UInt8](repeating: 2, count: 513), to: bAddress)
                transport.send([UInt8](repeating: 3, count: 4_000), to: bAddress)
                transport.send([UInt8](repeating: 4, count: 60_000), to: bAddress)
                transport.send([5], to: bAddress)
            }
            let delivered = try await first(2, of: bInbox)
            #expect(delivered.map(\.bytes) == [[UInt8](repeating: 1, count: 512), [5]])
            try await eventually("the oversized datagrams to be counted") {
                try await b.statistics().datagramsOversized == 3
            }
            let stats = try await b.statistics()
            #expect(stats.datagramsReceived == 2 && stats.bytesReceived == 513)
            await #expect(throws: TimedOut.self) {
                _ = try await first(1, of: bInbox, within: .milliseconds(300))
            }
            await a.close()
            await b.close()
        }
    }

    @Test func aReadBurstOfManyDatagramsIsDeliveredWholeAndInOrder() async throws {
        try await withEventLoop { loop in
            let a = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let b = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let bInbox = try await inbox(of: b)
            let bAddress = b.localAddress
            // More than two vector reads' worth, of varied lengths, in one loop turn (small enough in all, ≈12 KB,
            // for the socket's receive buffer to hold them every one).
            try await a.withTransport { transport in
                for i in 0..<40 { transport.send([UInt8](repeating: UInt8(i), count: 1 + i * 13), to: bAddress) }
            }
            let delivered = try await first(40, of: bInbox)
            #expect(delivered.map(\.bytes) == (0..<40).map { [UInt8](repeating: UInt8($0), count: 1 + $0 * 13) })
            #expect(delivered.allSatisfy { $0.source == a.localAddress })
            #expect(try await b.statistics().datagramsOversized == 0)
            await a.close()
            await b.close()
        }
    }

    @Test func aReplyQueuedInABurstIsSentEvenWhenTheTransportClosesRightAfter() async throws {
        try await withEventLoop { loop in
            let a = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let b = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let aInbox = try await inbox(of: a)
            try await b.withTransport { transport in
                transport.setReceiver { [unowned transport] bytes, source in
                    transport.send(bytes + [0xFF], to: source)
                    transport.close()
                }
            }
            let bAddress = b.localAddress
            try await a.withTransport { $0.send([1], to: bAddress) }
            #expect(try await first(1, of: aInbox).map(\.bytes) == [[1, 0xFF]])
            await a.close()
            await b.close()
        }
    }

    @Test func closeStopsDeliveryAndIsIdempotent() async throws {
        try await withEventLoop { loop in
            let a = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let b = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let bInbox = try await inbox(of: b)
            let bAddress = b.localAddress
            try await a.withTransport { $0.send([1], to: bAddress) }
            #expect(try await first(1, of: bInbox).map(\.bytes) == [[1]])
            await b.close()
            await b.close()
            #expect(try await b.withTransport { $0.isClosed })
            try await a.withTransport { transport in
                transport.send([2], to: bAddress)
                transport.send([3], to: bAddress)
            }
            await #expect(throws: TimedOut.self) {
                _ = try await first(1, of: bInbox, within: .milliseconds(300))
            }
            // Sending on a closed transport does nothing.
            try await b.withTransport { $0.send([4], to: a.localAddress) }
            #expect(try await b.statistics().datagramsSent == 0)
            await a.close()
        }
    }

    @Test func closingOnTheLoopStopsDeliveryOfDatagramsAlreadyQueued() async throws {
        try await withEventLoop { loop in
            let a = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let b = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let bInbox = try await inbox(of: b)
            let bAddress = b.localAddress
            // Send, then close b in the same loop turn: the datagram sits in b's socket unread.
            try await a.withTransport { transport in
                transport.send([1], to: bAddress)
                transport.eventLoop.assumeIsolated().execute { b.transport.close() }
            }
            await #expect(throws: TimedOut.self) {
                _ = try await first(1, of: bInbox, within: .milliseconds(300))
            }
            await a.close()
        }
    }

    @Test func unsendableDatagramsAreCountedNotFatal() async throws {
        try await withEventLoop { loop in
            let a = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let b = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let bInbox = try await inbox(of: b)
            let bAddress = b.localAddress
            try await a.withTransport { transport in
                transport.send([0], to: PeerAddress(host: .loopbackV6, port: bAddress.port))  // other family
                transport.send([0], to: PeerAddress(host: IPAddress(8, 8, 8, 8), port: 53))  // off loopback
                transport.send([0], to: PeerAddress(host: .loopbackV4, port: 0))  // port 0
                transport.send([UInt8](repeating: 7, count: 70_000), to: bAddress)  // EMSGSIZE
            }
            try await eventually("the oversized write to fail") { try await a.statistics().sendFailures == 1 }
            let stats = try await a.statistics()
            #expect(stats.datagramsUnroutable == 3)
            #expect(stats.socketReopens == 0)
            try await a.withTransport { $0.send([42], to: bAddress) }
            #expect(try await first(1, of: bInbox).map(\.bytes) == [[42]])
            #expect(try await a.statistics().datagramsDroppedBusy == 0)
            await a.close()
            await b.close()
        }
    }

    @Test(.enabled(if: isLinux, "needs Linux, which refuses loopback broadcast sends with EACCES"))
    func aFatalWriteErrorReopensTheSocketAtTheSameAddress() async throws {
        try await withEventLoop { loop in
            let a = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let b = try await UDPDatagramTransport.bind(host: .loopbackV4, on: loop)
            let aInbox = try await inbox(of: a)
            // Linux refuses a send to the loopback broadcast address with EACCES, which NIO treats
            // as fatal and closes the channel.
            try await a.withTransport { $0.send([1], to: PeerAddress(host: IPAddress(127, 255, 255, 255), port: 9)) }
            try await eventually("the socket to be reopened") { try await a.statistics().socketReopens == 1 }
            let aAddress = a.localAddress
            try await b.withTransport { $0.send([2], to: aAddress) }
            #expect(try await first(1, of: aInbox).map(\.bytes) == [[2]])
            #expect(try await a.statistics().sendFailures == 1)
            await a.close()
            await b.close()
        }
    }
}
