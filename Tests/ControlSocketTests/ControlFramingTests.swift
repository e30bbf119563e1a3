import ControlSocket
import NIOCore
import Testing

/// The length-prefixed framing: whole frames come out, partial ones wait, and bad lengths throw
/// before anything of that size is buffered.
struct ControlFramingTests {
    @Test func aFrameRoundTripsAndPartialFramesWait() throws {
        let frame = ControlFraming.frame(Array("{\"a\":1}".utf8))
        #expect(frame.readableBytes == 4 + 7)
        var buffer = ByteBuffer()
        for byte in frame.readableBytesView.dropLast() {
            buffer.writeInteger(byte)
            #expect(try ControlFraming.nextFrame(from: &buffer, maximum: 100) == nil)
        }
        buffer.writeInteger(try #require(frame.readableBytesView.last))
        buffer.writeBytes([0, 0])  // the start of the next frame stays
        let payload = try #require(try ControlFraming.nextFrame(from: &buffer, maximum: 100))
        #expect(String(buffer: payload) == "{\"a\":1}")
        #expect(buffer.readableBytes == 2)
        #expect(try ControlFraming.nextFrame(from: &buffer, maximum: 100) == nil)
    }

    @Test func anOversizedLengthThrowsWithoutWaitingForThePayload() {
        var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x7B])
        #expect(throws: ControlFrameError.oversized(length: 0xFFFF_FFFF, maximum: 1024)) {
            try ControlFraming.nextFrame(from: &buffer, maximum: 1024)
        }
        var justOver = ByteBuffer(bytes: [0, 0, 4, 1])
        #expect(throws: ControlFrameError.oversized(length: 1025, maximum: 1024)) {
            try ControlFraming.nextFrame(from: &justOver, maximum: 1024)
        }
    }

    @Test func aZeroLengthFrameThrows() {
        var buffer = ByteBuffer(bytes: [0, 0, 0, 0])
        #expect(throws: ControlFrameError.empty) { try ControlFraming.nextFrame(from: &buffer, maximum: 1024) }
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...64, using: &generator)
            var buffer = ByteBuffer(bytes: (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
            while let frame = try? ControlFraming.nextFrame(from: &buffer, maximum: 16) {
                #expect(frame.readableBytes <= 16)
            }
        }
    }
}
