import SwiftProtobuf

/// How this project reads and writes protobuf bodies so that they match the nodejs reference (protocol-buffers 3.2.1).
public enum WireCoding {
    /// Binary decoding options for datagram bodies: unknown fields are skipped rather than kept, as the reference
    /// decoder does, so a message re-encoded for forwarding carries only known fields.
    public static let decodingOptions: BinaryDecodingOptions = {
        var options = BinaryDecodingOptions()
        options.discardUnknownFields = true
        return options
    }()
}

extension SwiftProtobuf.Message {
    /// Decodes a message from a datagram body (the bytes after udp-request's 2-byte header) with
    /// ``WireCoding/decodingOptions``. Reads an `[UInt8]`, `ArraySlice<UInt8>` or `Data` in place.
    ///
    /// - Throws: `SwiftProtobuf.BinaryDecodingError` for malformed bytes, including
    ///   `.missingRequiredFields` when a required field (`command`, hyperdht's `type`) is absent.
    @inlinable
    public init<Bytes: Collection>(wireBytes bytes: Bytes) throws where Bytes.Element == UInt8 {
        let decoded: Self? = try bytes.withContiguousStorageIfAvailable { buffer in
            try Self(serializedBytes: UnsafeRawBufferPointer(buffer).bytes, options: WireCoding.decodingOptions)
        }
        if let decoded {
            self = decoded
        } else {
            self = try Self(serializedBytes: Array(bytes), options: WireCoding.decodingOptions)
        }
    }

    /// The message's binary encoding as bytes, ready to follow a udp-request header.
    ///
    /// - Throws: `SwiftProtobuf.BinaryEncodingError.missingRequiredFields` if a required field is unset.
    @inlinable
    public func wireBytes() throws -> [UInt8] {
        try serializedBytes()
    }
}
