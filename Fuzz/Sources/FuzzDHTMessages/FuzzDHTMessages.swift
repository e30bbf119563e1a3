import DHTMessages
import FuzzSupport
import SwiftProtobuf

/// Input: one selector byte (bit 0: Request or Response), then a dht-rpc message body. Decoded as a node decodes
/// it (unknown fields dropped); what decodes must encode, decode back to an equal message, and encode to the
/// same bytes again (the encoding is canonical).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte()
    let body = input.rest()
    if selector & 1 == 0 {
        roundTrip(DhtRpc_Request.self, body)
    } else {
        roundTrip(DhtRpc_Response.self, body)
    }
    return 0
}

private func roundTrip<M: SwiftProtobuf.Message & Equatable>(_ type: M.Type, _ body: [UInt8]) {
    guard let message = try? M(wireBytes: body) else { return }
    let sliced = try? M(wireBytes: body[...])
    fuzzCheck(sliced == message, "\(M.self): decoding a slice differs from decoding the array")
    guard let encoded = try? message.wireBytes() else {
        fuzzCheck(false, "\(M.self): a decoded message does not encode")
        return
    }
    fuzzCheck(encoded.count <= body.count, "\(M.self): re-encoding grew the message (\(body.count) -> \(encoded.count))")
    guard let again = try? M(wireBytes: encoded) else {
        fuzzCheck(false, "\(M.self): its own encoding does not decode")
        return
    }
    fuzzCheck(again == message, "\(M.self): round trip changed the message")
    fuzzCheck((try? again.wireBytes()) == encoded, "\(M.self): encoding is not stable")
}
