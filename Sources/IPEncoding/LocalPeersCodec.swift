/// hyperdht's `localPeers` encoding: peers on the requester's LAN, 4 bytes each – the 3rd and 4th IPv4 octets and
/// the big-endian port. The first two octets are not sent: the requester supplies them from its own
/// `localAddress` (peers are only returned when they share that /16).
public enum LocalPeersCodec {
    /// The size of one record in bytes.
    public static let recordLength = 4

    /// Appends one 4-byte record per peer to `output`. Ports are written as given.
    ///
    /// - Throws: ``IPEncodingError/addressFamilyMismatch(_:)`` for a peer that is not IPv4 (or IPv4-mapped).
    @inlinable
    public static func encode<Peers: Sequence, Output: RangeReplaceableCollection>(
        _ peers: Peers, into output: inout Output
    ) throws(IPEncodingError) where Peers.Element == PeerAddress, Output.Element == UInt8 {
        for peer in peers {
            guard case .v4(let host)? = peer.host.unmappedIPv4 else { throw .addressFamilyMismatch(peer) }
            output.append(UInt8(truncatingIfNeeded: host >> 8))
            output.append(UInt8(truncatingIfNeeded: host))
            withUnsafeBytes(of: peer.port.bigEndian) { output.append(contentsOf: $0) }
        }
    }

    /// Returns one 4-byte record per peer, in order.
    @inlinable
    public static func encode<Peers: Sequence>(_ peers: Peers) throws(IPEncodingError) -> [UInt8]
    where Peers.Element == PeerAddress {
        var output: [UInt8] = []
        output.reserveCapacity(peers.underestimatedCount * recordLength)
        try encode(peers, into: &output)
        return output
    }

    /// Decodes `bytes` into full addresses `a.b.x.y:port`, where `a.b` are the first two octets of
    /// `requesterLocalAddress` (the `localAddress` the requester sent). As in hyperdht's `decodeLocalPeers`,
    /// records with port 0 are skipped, not rejected.
    ///
    /// - Parameter trailingBytes: `.ignore` stops at a partial last record, as the reference does.
    /// - Throws: ``IPEncodingError/partialRecord(byteCount:recordLength:)``, or
    ///   ``IPEncodingError/addressFamilyMismatch(_:)`` if `requesterLocalAddress` is not IPv4.
    @inlinable
    public static func decode<Bytes: Collection>(
        _ bytes: Bytes, requesterLocalAddress: PeerAddress, trailingBytes: TrailingBytesPolicy = .reject
    ) throws(IPEncodingError) -> [PeerAddress] where Bytes.Element == UInt8 {
        guard case .v4(let requester)? = requesterLocalAddress.host.unmappedIPv4 else {
            throw .addressFamilyMismatch(requesterLocalAddress)
        }
        return try CompactRecord.withContiguousBytes(bytes) {
            decodeBuffer($0, prefix: requester & 0xFFFF_0000, policy: trailingBytes)
        }.get()
    }

    /// The decoding loop over contiguous memory.
    @usableFromInline
    static func decodeBuffer(
        _ buffer: UnsafeRawBufferPointer, prefix: UInt32, policy: TrailingBytesPolicy
    ) -> Result<[PeerAddress], IPEncodingError> {
        let count: Int
        switch CompactRecord.recordCount(byteCount: buffer.count, recordLength: recordLength, policy: policy) {
        case .success(let value): count = value
        case .failure(let error): return .failure(error)
        }
        var peers: [PeerAddress] = []
        peers.reserveCapacity(count)
        for index in 0..<count {
            let offset = index * recordLength
            let low = UInt32(buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian)
            let port = buffer.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self).bigEndian
            if port == 0 { continue }
            peers.append(PeerAddress(host: .v4(prefix | low), port: port))
        }
        return .success(peers)
    }
}
