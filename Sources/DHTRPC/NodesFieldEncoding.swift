import Foundation
import IPEncoding
import KBucket

/// Writes a dht-rpc `Response.nodes` field (38-byte records: 32-byte id, IPv4 address, big-endian port; the format
/// of `NodeListCodec.dhtRPC`) straight from routing-table contacts: one allocation for the field, ids copied from
/// their words, no intermediate `CompactNode`s. Every answer a node gives carries one of these.
enum NodesFieldEncoding {
    /// The length of one record.
    static let recordLength = 38

    /// The records of the contacts `contacts` hands to its argument (pointers into the table, read in place), in
    /// order, at most `maximum` of them, skipping any that cannot be written in this format (not IPv4, or an id
    /// that is not 32 bytes long). Empty `Data` when none can. Written straight from each contact as it comes (no
    /// array of contacts in between; pass a routing-table walk such as `KBucketTree.forEachClosest`) into scratch
    /// memory on the stack, then copied once into the field: walking inside `Data.withUnsafeMutableBytes` instead
    /// costs more than the copy.
    static func nodesField(upTo maximum: Int,
                           from contacts: ((UnsafePointer<KBucketContact<RoutingContact>>) -> Void) -> Void) -> Data {
        guard maximum > 0 else { return Data() }
        return withUnsafeTemporaryAllocation(byteCount: maximum * recordLength, alignment: 8) { buffer in
            var offset = 0
            contacts { contact in
                let address = contact.pointee.payload.address
                guard offset < buffer.count, case .v4(let host) = address.host,
                      contact.pointee.id.count == DHTNode.idLength else { return }
                contact.pointee.id.copyBytes(into: buffer, at: offset)
                buffer.storeBytes(of: host.bigEndian, toByteOffset: offset + 32, as: UInt32.self)
                buffer.storeBytes(of: address.port.bigEndian, toByteOffset: offset + 36, as: UInt16.self)
                offset += recordLength
            }
            guard offset > 0, let base = buffer.baseAddress else { return Data() }
            return Data(bytes: base, count: offset)
        }
    }
}
