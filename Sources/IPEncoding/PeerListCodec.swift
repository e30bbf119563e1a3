/// Encodes and decodes compact peer lists: records of address octets followed by a 2-byte big-endian port,
/// concatenated with no count prefix. `.ipv4` is the ipv4-peers format (6 bytes a record) used by dht-rpc's
/// `value` and `forwardRequest`/`forwardResponse` fields and hyperdht's `peers`; `.ipv6` is the 18-byte analogue.
///
/// Decoding never traps: a partial record or a port-0 record (which ipv4-peers rejects) throws.
public struct PeerListCodec: Hashable, Sendable {
    /// The address family of every record.
    public let family: AddressFamily

    /// A codec for `family` records.
    public init(family: AddressFamily) {
        self.family = family
    }

    /// The ipv4-peers codec: 6-byte records.
    public static let ipv4 = PeerListCodec(family: .ipv4)
    /// The IPv6 codec: 18-byte records.
    public static let ipv6 = PeerListCodec(family: .ipv6)

    /// The size of one record in bytes.
    @inlinable
    public var recordLength: Int { family.peerRecordLength }

    // MARK: Encoding

    /// Appends `peers` to `output`, one record each, in order. Ports are written as given (0 included, as the
    /// reference's encoder does). Throws ``IPEncodingError/addressFamilyMismatch(_:)`` for an address of the
    /// wrong family; `output` then holds the records before it.
    @inlinable
    public func encode<Peers: Sequence, Output: RangeReplaceableCollection>(
        _ peers: Peers, into output: inout Output
    ) throws(IPEncodingError) where Peers.Element == PeerAddress, Output.Element == UInt8 {
        for peer in peers {
            try CompactRecord.appendPeer(peer, family: family, to: &output)
        }
    }

    /// Returns `peers` as one byte string, one record each, in order.
    @inlinable
    public func encode<Peers: Sequence>(_ peers: Peers) throws(IPEncodingError) -> [UInt8]
    where Peers.Element == PeerAddress {
        var output: [UInt8] = []
        output.reserveCapacity(peers.underestimatedCount * recordLength)
        try encode(peers, into: &output)
        return output
    }

    // MARK: Decoding

    /// Decodes a whole peer list from `bytes` (an `[UInt8]`, `ArraySlice`, `Data`, or any byte collection; a
    /// contiguous one is read in place). Empty input gives an empty list.
    ///
    /// - Parameter trailingBytes: what to do when the length is not a multiple of ``recordLength``.
    /// - Throws: ``IPEncodingError/partialRecord(byteCount:recordLength:)`` or
    ///   ``IPEncodingError/zeroPort(recordIndex:)``.
    @inlinable
    public func decode<Bytes: Collection>(
        _ bytes: Bytes, trailingBytes: TrailingBytesPolicy = .reject
    ) throws(IPEncodingError) -> [PeerAddress] where Bytes.Element == UInt8 {
        let family = self.family
        return try CompactRecord.withContiguousBytes(bytes) {
            Self.decodeBuffer($0, family: family, policy: trailingBytes)
        }.get()
    }

    /// Decodes exactly one record, as a `_ping` reply's `value`, a `forwardRequest`/`forwardResponse` or a hyperdht
    /// `localAddress` holds. Stricter than the reference, which takes the first of any number of records.
    ///
    /// - Throws: ``IPEncodingError/invalidLength(expected:actual:)`` unless `bytes` is exactly one record long,
    ///   or ``IPEncodingError/zeroPort(recordIndex:)``.
    @inlinable
    public func decodeSingle<Bytes: Collection>(_ bytes: Bytes) throws(IPEncodingError) -> PeerAddress
    where Bytes.Element == UInt8 {
        let family = self.family
        return try CompactRecord.withContiguousBytes(bytes) {
            Self.decodeSingleBuffer($0, family: family)
        }.get()
    }

    /// The decoding loop over contiguous memory; one array allocation, none per record.
    @usableFromInline
    static func decodeBuffer(
        _ buffer: UnsafeRawBufferPointer, family: AddressFamily, policy: TrailingBytesPolicy
    ) -> Result<[PeerAddress], IPEncodingError> {
        let recordLength = family.peerRecordLength
        let count: Int
        switch CompactRecord.recordCount(byteCount: buffer.count, recordLength: recordLength, policy: policy) {
        case .success(let value): count = value
        case .failure(let error): return .failure(error)
        }
        var peers: [PeerAddress] = []
        peers.reserveCapacity(count)
        for index in 0..<count {
            let peer = CompactRecord.readPeer(buffer, at: index * recordLength, family: family)
            if peer.port == 0 { return .failure(.zeroPort(recordIndex: index)) }
            peers.append(peer)
        }
        return .success(peers)
    }

    /// The single-record decoder over contiguous memory.
    @usableFromInline
    static func decodeSingleBuffer(
        _ buffer: UnsafeRawBufferPointer, family: AddressFamily
    ) -> Result<PeerAddress, IPEncodingError> {
        guard buffer.count == family.peerRecordLength else {
            return .failure(.invalidLength(expected: family.peerRecordLength, actual: buffer.count))
        }
        let peer = CompactRecord.readPeer(buffer, at: 0, family: family)
        return peer.port == 0 ? .failure(.zeroPort(recordIndex: 0)) : .success(peer)
    }
}
