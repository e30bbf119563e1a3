// Shared, bounds-checked-by-construction helpers for the fixed-size record codecs. Internal: the public
// codecs (`PeerListCodec`, `NodeListCodec`, `LocalPeersCodec`, `LocalAddressCodec`) are the API.

/// Low-level reading and writing of compact records.
@usableFromInline
enum CompactRecord {
    /// Runs `body` over `bytes` as one contiguous raw buffer, copying only if `bytes` is not contiguous.
    @inlinable
    static func withContiguousBytes<Bytes: Collection, Result>(
        _ bytes: Bytes, _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result where Bytes.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes(body)
    }

    /// Reads the peer record at `offset`; the caller guarantees `offset + family.peerRecordLength <= buffer.count`.
    @inlinable @inline(__always)
    static func readPeer(_ buffer: UnsafeRawBufferPointer, at offset: Int, family: AddressFamily) -> PeerAddress {
        switch family {
        case .ipv4:
            let host = buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian
            let port = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self).bigEndian
            return PeerAddress(host: .v4(host), port: port)
        case .ipv6:
            let high = buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian
            let low = buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self).bigEndian
            let port = buffer.loadUnaligned(fromByteOffset: offset + 16, as: UInt16.self).bigEndian
            return PeerAddress(host: .v6(high: high, low: low), port: port)
        }
    }

    /// Appends `peer` as one `family` record (address octets, big-endian port); ports are written as given.
    @inlinable
    static func appendPeer<Output: RangeReplaceableCollection>(
        _ peer: PeerAddress, family: AddressFamily, to output: inout Output
    ) throws(IPEncodingError) where Output.Element == UInt8 {
        switch (family, peer.host) {
        case (.ipv4, .v4(let host)):
            // The whole 6-byte record in one append (the common case: every peer and node list on the wire).
            let record = (host.bigEndian, peer.port.bigEndian)
            withUnsafeBytes(of: record) { output.append(contentsOf: $0[0..<6]) }
            return
        case (.ipv4, .v6):
            guard case .v4(let host)? = peer.host.unmappedIPv4 else { throw .addressFamilyMismatch(peer) }
            withUnsafeBytes(of: host.bigEndian) { output.append(contentsOf: $0) }
        case (.ipv6, .v6(let high, let low)):
            withUnsafeBytes(of: high.bigEndian) { output.append(contentsOf: $0) }
            withUnsafeBytes(of: low.bigEndian) { output.append(contentsOf: $0) }
        case (.ipv6, .v4):
            throw .addressFamilyMismatch(peer)
        }
        withUnsafeBytes(of: peer.port.bigEndian) { output.append(contentsOf: $0) }
    }

    /// The number of whole `recordLength` records in `byteCount` bytes, or the error `policy` asks for.
    @inlinable @inline(__always)
    static func recordCount(
        byteCount: Int, recordLength: Int, policy: TrailingBytesPolicy
    ) -> Swift.Result<Int, IPEncodingError> {
        let (count, remainder) = byteCount.quotientAndRemainder(dividingBy: recordLength)
        if remainder != 0 && policy == .reject {
            return .failure(.partialRecord(byteCount: byteCount, recordLength: recordLength))
        }
        return .success(count)
    }
}
