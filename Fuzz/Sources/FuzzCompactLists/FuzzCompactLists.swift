import FuzzSupport
import IPEncoding

/// Input: one selector byte, then the bytes to decode. The selector picks the codec (peer list IPv4/IPv6, node
/// list with a 0/20/32-byte id and either family, localAddress, localPeers) and the trailing-bytes policy.
/// Checked: decoding never traps; what decodes re-encodes to the same bytes (local peers: minus port-0
/// records); `forEachNode` sees what `decode` returns; `.ignore` accepts whatever `.reject` accepts.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte()
    let bytes = input.rest()
    let family: AddressFamily = selector & 0x10 == 0 ? .ipv4 : .ipv6
    switch selector & 0x0F {
    case 0, 1: checkPeerList(bytes, codec: PeerListCodec(family: family))
    case 2, 3, 4: checkNodeList(bytes, codec: NodeListCodec(idLength: [0, 20, 32][Int(selector & 0x0F) - 2], family: family))
    case 5: checkNodeList(bytes, codec: .dhtRPC)
    case 6: checkLocalAddress(bytes)
    default: checkLocalPeers(bytes, requesterOctets: selector)
    }
    return 0
}

private func wholeRecords(_ bytes: [UInt8], recordLength: Int) -> [UInt8] {
    Array(bytes.prefix(bytes.count - bytes.count % recordLength))
}

private func checkPeerList(_ bytes: [UInt8], codec: PeerListCodec) {
    let strict = try? codec.decode(bytes)
    let lenient = try? codec.decode(bytes, trailingBytes: .ignore)
    if let strict {
        fuzzCheck(bytes.count % codec.recordLength == 0, "peer list with a partial record decoded")
        fuzzCheck(strict.allSatisfy { $0.port != 0 }, "peer list decoded a port-0 record")
        fuzzCheck((try? codec.encode(strict)) == bytes, "peer list did not re-encode to its bytes")
        fuzzCheck(lenient == strict, "peer list: .ignore disagrees with .reject on whole records")
    }
    if let lenient {
        fuzzCheck((try? codec.encode(lenient)) == wholeRecords(bytes, recordLength: codec.recordLength),
                  "peer list (.ignore) did not re-encode to its whole records")
    }
    if let single = try? codec.decodeSingle(bytes) {
        fuzzCheck(bytes.count == codec.recordLength && strict == [single], "decodeSingle disagrees with decode")
    }
}

private func checkNodeList(_ bytes: [UInt8], codec: NodeListCodec) {
    let strict = try? codec.decode(bytes)
    var visited: [CompactNode] = []
    let walked: Void? = try? codec.forEachNode(in: bytes) { id, address in
        visited.append(CompactNode(id: [UInt8](id), address: address))
    }
    fuzzCheck((walked != nil) == (strict != nil), "forEachNode and decode disagree on validity")
    if let strict {
        fuzzCheck(visited == strict, "forEachNode saw other nodes than decode returned")
        fuzzCheck(strict.allSatisfy { $0.id.count == codec.idLength && $0.address.port != 0 }, "bad node decoded")
        fuzzCheck((try? codec.encode(strict)) == bytes, "node list did not re-encode to its bytes")
    }
    if let lenient = try? codec.decode(bytes, trailingBytes: .ignore) {
        fuzzCheck((try? codec.encode(lenient)) == wholeRecords(bytes, recordLength: codec.recordLength),
                  "node list (.ignore) did not re-encode to its whole records")
    }
}

private func checkLocalAddress(_ bytes: [UInt8]) {
    guard let address = try? LocalAddressCodec.decode(bytes) else { return }
    fuzzCheck(bytes.count == LocalAddressCodec.length && address.port != 0, "bad localAddress decoded")
    fuzzCheck((try? LocalAddressCodec.encode(address)) == bytes, "localAddress did not re-encode to its bytes")
}

private func checkLocalPeers(_ bytes: [UInt8], requesterOctets: UInt8) {
    let requesterBits = UInt32(requesterOctets) << 24 | 0x00A8_0101
    let requester = PeerAddress(host: .v4(requesterBits), port: 7000)
    for policy in [TrailingBytesPolicy.reject, .ignore] {
        guard let peers = try? LocalPeersCodec.decode(bytes, requesterLocalAddress: requester, trailingBytes: policy) else {
            fuzzCheck(policy == .reject && bytes.count % LocalPeersCodec.recordLength != 0,
                      "localPeers rejected whole records")
            continue
        }
        var expected: [UInt8] = []
        for record in stride(from: 0, to: bytes.count - bytes.count % 4, by: 4) where bytes[record + 2] | bytes[record + 3] != 0 {
            expected += bytes[record..<record + 4]
        }
        fuzzCheck((try? LocalPeersCodec.encode(peers)) == expected, "localPeers did not re-encode to its records")
        let prefix = requesterBits >> 16
        fuzzCheck(peers.allSatisfy { if case .v4(let bits) = $0.host { bits >> 16 == prefix } else { false } },
                  "localPeers left the requester's /16")
    }
}
