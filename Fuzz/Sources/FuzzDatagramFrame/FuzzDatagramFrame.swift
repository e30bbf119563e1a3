import DHTMessages
import FuzzSupport
import UDPRequest

/// Input: a whole udp-request datagram. `DatagramFrame.decode` never traps; a frame that decodes re-encodes, the
/// re-encoding decodes to the same kind, tid and message, and encodes to the same bytes again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let datagram = Array(UnsafeBufferPointer(start: data, count: size))
    let frame: DatagramFrame
    do {
        frame = try DatagramFrame.decode(datagram)
    } catch {
        if case .tooShort = error { fuzzCheck(datagram.count < 2, "a datagram of \(datagram.count) bytes is too short") }
        return 0
    }
    fuzzCheck(datagram.count >= 2, "a datagram shorter than its header decoded")
    let encoded: [UInt8]
    do {
        encoded = try frame.encode()
    } catch {
        fuzzCheck(false, "a decoded frame does not encode: \(error)")
        return 0
    }
    fuzzCheck(encoded.prefix(2) == datagram.prefix(2), "the header changed")
    guard let again = try? DatagramFrame.decode(encoded) else {
        fuzzCheck(false, "a frame's own encoding does not decode")
        return 0
    }
    switch (frame, again) {
    case (.request(let tid, let message), .request(let tid2, let message2)):
        fuzzCheck(tid == tid2 && message == message2, "request round trip changed tid or message")
    case (.response(let tid, let message), .response(let tid2, let message2)):
        fuzzCheck(tid == tid2 && message == message2, "response round trip changed tid or message")
    default:
        fuzzCheck(false, "round trip turned a request into a response or back")
    }
    fuzzCheck((try? again.encode()) == encoded, "frame encoding is not stable")
    return 0
}
