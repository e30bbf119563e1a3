import Foundation
import IPEncoding
import KBucket

/// Writes a dht-rpc `Response.nodes` field (38-byte records: 32-byte id, IPv4 address, big-endian port; the format
/// of `NodeListCodec.dhtRPC`) straight from routing-table contacts: one allocation for the field, ids copied from
/// their words, no intermediate `CompactNode`s. Every answer a node gives carries one of these.
enum NodesFieldEncoding {
    /// The length of one record.
    static let recordLength = 38

    /// The records of `contacts`, in order, skipping any that cannot be written in this format (not IPv4, or an
    /// id that is not 32 bytes long). Empty `Data` when none can.
    static func nodesField(_ contacts: [KBucketContact<RoutingContact>]) -> Data {
        var count = 0
        for contact in contacts where isEncodable(contact) { count += 1 }
        guard count > 0 else { return Data() }
        var field = Data(count: count * recordLength)
        field.withUnsafeMutableBytes { buffer in
            var offset = 0
            for contact in contacts {
                guard case .v4(let host) = contact.payload.address.host, contact.id.count == DHTNode.idLength else { continue }
                contact.id.copyBytes(into: buffer, at: offset)
                buffer.storeBytes(of: host.bigEndian, toByteOffset: offset + 32, as: UInt32.self)
                buffer.storeBytes(of: contact.payload.address.port.bigEndian, toByteOffset: offset + 36, as: UInt16.self)
                offset += recordLength
            }
        }
        return field
    }

    private static func isEncodable(_ contact: KBucketContact<RoutingContact>) -> Bool {
        contact.payload.address.host.isIPv4 && contact.id.count == DHTNode.idLength
    }
}
