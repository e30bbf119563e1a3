/// Encodes and decodes compact node lists: records of an id of fixed length followed by a peer record,
/// concatenated with no count prefix. ``dhtRPC`` is dht-rpc's `Response.nodes` format: 32-byte id, 4 IPv4 octets,
/// big-endian port, 38 bytes a record (ipv4-peers with `idLength` 32).
///
/// Decoding never traps: a partial record or a port-0 record throws.
public struct NodeListCodec: Hashable, Sendable {
    /// The length of every record's id in bytes.
    public let idLength: Int
    /// The address family of every record's peer part.
    public let family: AddressFamily

    /// A codec for `idLength`-byte ids followed by `family` peer records. `idLength` must not be negative.
    public init(idLength: Int, family: AddressFamily = .ipv4) {
        precondition(idLength >= 0, "NodeListCodec: negative id length \(idLength)")
        self.idLength = idLength
        self.family = family
    }

    /// dht-rpc's `nodes` format: 32-byte ids and IPv4 peers, 38 bytes a record.
    public static let dhtRPC = NodeListCodec(idLength: 32, family: .ipv4)

    /// The size of one record in bytes.
    @inlinable
    public var recordLength: Int { idLength + family.peerRecordLength }

    // MARK: Encoding

    /// Appends `nodes` to `output`, one record each, in order; ports are written as given.
    ///
    /// - Throws: ``IPEncodingError/idLengthMismatch(expected:actual:)`` or
    ///   ``IPEncodingError/addressFamilyMismatch(_:)``; `output` then holds the records before the bad node.
    @inlinable
    public func encode<Nodes: Sequence, Output: RangeReplaceableCollection>(
        _ nodes: Nodes, into output: inout Output
    ) throws(IPEncodingError) where Nodes.Element == CompactNode, Output.Element == UInt8 {
        for node in nodes {
            guard node.id.count == idLength else {
                throw .idLengthMismatch(expected: idLength, actual: node.id.count)
            }
            guard family.canEncode(node.address.host) else { throw .addressFamilyMismatch(node.address) }
            output.append(contentsOf: node.id)
            try CompactRecord.appendPeer(node.address, family: family, to: &output)
        }
    }

    /// Returns `nodes` as one byte string, one record each, in order.
    @inlinable
    public func encode<Nodes: Sequence>(_ nodes: Nodes) throws(IPEncodingError) -> [UInt8]
    where Nodes.Element == CompactNode {
        var output: [UInt8] = []
        output.reserveCapacity(nodes.underestimatedCount * recordLength)
        try encode(nodes, into: &output)
        return output
    }

    // MARK: Decoding

    /// Decodes a whole node list from `bytes` (an `[UInt8]`, `ArraySlice`, `Data`, or any byte collection; a
    /// contiguous one is read in place). Empty input gives an empty list. Each node's id is its own array; use
    /// ``forEachNode(in:trailingBytes:_:)`` to look at ids without copying them.
    ///
    /// - Parameter trailingBytes: what to do when the length is not a multiple of ``recordLength``.
    /// - Throws: ``IPEncodingError/partialRecord(byteCount:recordLength:)`` or
    ///   ``IPEncodingError/zeroPort(recordIndex:)``.
    @inlinable
    public func decode<Bytes: Collection>(
        _ bytes: Bytes, trailingBytes: TrailingBytesPolicy = .reject
    ) throws(IPEncodingError) -> [CompactNode] where Bytes.Element == UInt8 {
        let codec = self
        return try CompactRecord.withContiguousBytes(bytes) {
            codec.decodeBuffer($0, policy: trailingBytes)
        }.get()
    }

    /// Validates the whole of `bytes` as a node list first, then calls `body` once per record, in order, with the
    /// id's bytes (valid only during the call) and the endpoint. Allocates nothing; `body` is never called for
    /// input that ``decode(_:trailingBytes:)`` would reject.
    ///
    /// - Throws: the errors of ``decode(_:trailingBytes:)``.
    @inlinable
    public func forEachNode<Bytes: Collection>(
        in bytes: Bytes, trailingBytes: TrailingBytesPolicy = .reject,
        _ body: (_ id: UnsafeRawBufferPointer, _ address: PeerAddress) -> Void
    ) throws(IPEncodingError) where Bytes.Element == UInt8 {
        let codec = self
        try CompactRecord.withContiguousBytes(bytes) { buffer -> Result<Void, IPEncodingError> in
            let count: Int
            switch codec.validate(buffer, policy: trailingBytes) {
            case .success(let value): count = value
            case .failure(let error): return .failure(error)
            }
            let recordLength = codec.recordLength
            for index in 0..<count {
                let offset = index * recordLength
                let id = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + codec.idLength)])
                body(id, CompactRecord.readPeer(buffer, at: offset + codec.idLength, family: codec.family))
            }
            return .success(())
        }.get()
    }

    /// Checks record count and ports over contiguous memory; returns the number of whole records.
    @usableFromInline
    func validate(_ buffer: UnsafeRawBufferPointer, policy: TrailingBytesPolicy) -> Result<Int, IPEncodingError> {
        let recordLength = self.recordLength
        let count: Int
        switch CompactRecord.recordCount(byteCount: buffer.count, recordLength: recordLength, policy: policy) {
        case .success(let value): count = value
        case .failure(let error): return .failure(error)
        }
        let portOffset = idLength + family.addressLength
        for index in 0..<count
        where buffer.loadUnaligned(fromByteOffset: index * recordLength + portOffset, as: UInt16.self) == 0 {
            return .failure(.zeroPort(recordIndex: index))
        }
        return .success(count)
    }

    /// The decoding loop over contiguous memory: one array for the list plus one per id.
    @usableFromInline
    func decodeBuffer(_ buffer: UnsafeRawBufferPointer, policy: TrailingBytesPolicy) -> Result<[CompactNode], IPEncodingError> {
        let count: Int
        switch validate(buffer, policy: policy) {
        case .success(let value): count = value
        case .failure(let error): return .failure(error)
        }
        let recordLength = self.recordLength
        var nodes: [CompactNode] = []
        nodes.reserveCapacity(count)
        for index in 0..<count {
            let offset = index * recordLength
            let id = [UInt8](UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + idLength)]))
            nodes.append(CompactNode(id: id, address: CompactRecord.readPeer(buffer, at: offset + idLength, family: family)))
        }
        return .success(nodes)
    }
}
