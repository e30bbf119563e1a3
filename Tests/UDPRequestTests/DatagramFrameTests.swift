import DHTMessages
import Testing
import UDPRequest

@Suite struct DatagramFrameTests {
    @Test func everyCapturedDatagramDecodesToItsHeaderAndReencodesToTheSameBytes() throws {
        let vectors = try CapturedDatagram.all()
        #expect(vectors.count >= 30)
        for vector in vectors {
            let frame = try DatagramFrame.decode(vector.bytes)
            #expect(frame.tid == vector.tid, "\(vector.file)/\(vector.name)")
            switch frame {
            case .request(_, let message):
                #expect(vector.isRequest, "\(vector.name)")
                if let command = vector.command { #expect(message.command == command, "\(vector.name)") }
            case .response:
                #expect(!vector.isRequest, "\(vector.name)")
            }
            #expect(try frame.encode() == vector.bytes, "\(vector.file)/\(vector.name) re-encodes")
        }
    }

    @Test func forwardedHolepunchRequestKeepsTheOriginalTid() throws {
        let vectors = try CapturedDatagram.all().filter { $0.name.hasPrefix("holepunch_") }
        #expect(vectors.count == 3)
        let tids = Set(try vectors.map { try DatagramFrame.decode($0.bytes).tid })
        #expect(tids.count == 1)
    }

    @Test func datagramsShorterThanTheHeaderAreRejectedNotCrashed() {
        #expect(throws: DatagramFrameError.tooShort(length: 0)) { try DatagramFrame.decode([]) }
        #expect(throws: DatagramFrameError.tooShort(length: 1)) { try DatagramFrame.decode([0x80]) }
    }

    @Test func headerOnlyResponseDecodesAsAnEmptyResponse() throws {
        let frame = try DatagramFrame.decode([0x00, 0x01])
        guard case .response(let tid, let message) = frame else {
            Issue.record("expected a response")
            return
        }
        #expect(tid == 1)
        #expect(!message.hasID && !message.hasNodes && !message.hasValue)
    }

    @Test func requestWithoutCommandIsMalformed() {
        #expect(throws: (any Error).self) { try DatagramFrame.decode([0x80, 0x01]) }
    }

    @Test func everyTruncationOfEveryVectorDecodesOrFailsCleanly() throws {
        var decoded = 0, rejected = 0
        for vector in try CapturedDatagram.all() {
            for length in 0..<vector.bytes.count {
                do {
                    _ = try DatagramFrame.decode(Array(vector.bytes.prefix(length)))
                    decoded += 1
                } catch {
                    rejected += 1
                }
            }
        }
        #expect(rejected > 0 && decoded > 0)
    }

    @Test func hundredThousandRandomDatagramsNeverCrashTheDecoder() throws {
        var generator = SeededRandomGenerator(seed: 0x5EED)
        let vectors = try CapturedDatagram.all().map(\.bytes)
        var outcomes = [0, 0]
        for round in 0..<100_000 {
            var datagram: [UInt8]
            if round % 2 == 0 {
                let length = Int.random(in: 0...1200, using: &generator)
                datagram = [UInt8](unsafeUninitializedCapacity: length + 8) { buffer, initialized in
                    var offset = 0
                    while offset < length {
                        withUnsafeBytes(of: generator.next()) { word in
                            for byte in word { buffer[offset] = byte; offset += 1 }
                        }
                    }
                    initialized = length
                }
            } else {
                datagram = vectors[Int.random(in: 0..<vectors.count, using: &generator)]
                for _ in 0..<Int.random(in: 1...4, using: &generator) where !datagram.isEmpty {
                    datagram[Int.random(in: 0..<datagram.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            do {
                _ = try DatagramFrame.decode(datagram)
                outcomes[0] += 1
            } catch {
                outcomes[1] += 1
            }
        }
        #expect(outcomes[0] + outcomes[1] == 100_000)
    }
}

@Suite struct TransactionIDGeneratorTests {
    @Test func countsUpAndWrapsToZeroBeforeUsing32767() {
        var tids = TransactionIDGenerator(start: 32765)
        #expect(tids.next() == 32765)
        #expect(tids.next() == 32766)
        #expect(tids.next() == 0)
        #expect(tids.next() == 1)
    }

    @Test func randomStartIsBelowTheWrapValue() {
        var generator = SeededRandomGenerator(seed: 1)
        for _ in 0..<1000 {
            var tids = TransactionIDGenerator(using: &generator)
            #expect(tids.next() < 32767)
        }
    }
}
