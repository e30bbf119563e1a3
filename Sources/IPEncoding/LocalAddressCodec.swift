/// hyperdht's `localAddress` field: the sender's LAN endpoint as one 6-byte ipv4-peers record. Its first two
/// octets select which stored peers' `localPeers` records a requester gets; the last 4 bytes are what the store
/// hands back as a ``LocalPeersCodec`` record.
public enum LocalAddressCodec {
    /// The encoded size: 6 bytes.
    public static let length = 6

    /// Encodes `address` (IPv4 or IPv4-mapped). Port 0 is written as given: the reference sends it for a lookup
    /// whose local address has no port.
    ///
    /// - Throws: ``IPEncodingError/addressFamilyMismatch(_:)`` for an IPv6 address.
    @inlinable
    public static func encode(_ address: PeerAddress) throws(IPEncodingError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(length)
        try CompactRecord.appendPeer(address, family: .ipv4, to: &output)
        return output
    }

    /// Decodes a 6-byte `localAddress` as the reference's store does before keeping it.
    ///
    /// - Throws: ``IPEncodingError/invalidLength(expected:actual:)`` unless `bytes` is 6 bytes long, or
    ///   ``IPEncodingError/zeroPort(recordIndex:)``.
    @inlinable
    public static func decode<Bytes: Collection>(_ bytes: Bytes) throws(IPEncodingError) -> PeerAddress
    where Bytes.Element == UInt8 {
        try PeerListCodec.ipv4.decodeSingle(bytes)
    }
}
