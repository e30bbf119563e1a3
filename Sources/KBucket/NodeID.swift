/// The id of a node or a contact in the routing table: a big-endian string of bytes of any length.
///
/// dht-rpc uses 32-byte ids. Ids of up to 32 bytes live inline in four 64-bit words (no heap allocation), so
/// equality, bit lookup and XOR distance are a few word operations, and copying one touches no reference count;
/// longer ids keep their extra bytes in an array. Bits beyond an id's length read as zero, exactly as k-bucket 3.3.1 routes a short id into the low
/// ("left") branch once its bits run out. Ids of different lengths are different ids even when their bits
/// agree (`[0x00]` ≠ `[0x00, 0x00]`), as the reference's `buffer-equals` decides.
public struct NodeID: Sendable {
    /// Bytes 0..<32, big-endian, zero-padded past `count`.
    @usableFromInline var w0: UInt64
    @usableFromInline var w1: UInt64
    @usableFromInline var w2: UInt64
    @usableFromInline var w3: UInt64
    /// Bytes from offset 32 on; `nil` (not an empty array) for ids of up to 32 bytes: copying a `nil` costs
    /// nothing, while even the shared empty array's reference count is bumped – on a slow path – by every copy,
    /// and ids are copied throughout the answer path.
    @usableFromInline var extra: [UInt8]?
    /// The number of bytes in the id.
    public let count: Int

    /// Creates an id from its bytes (most significant first).
    @inlinable
    public init(_ bytes: some Collection<UInt8>) {
        // The common case – 32 bytes in contiguous memory (`[UInt8]`, `Data`, slices) – is four loads.
        if bytes.count == 32, let words = bytes.withContiguousStorageIfAvailable({ buffer in
            let raw = UnsafeRawBufferPointer(buffer)
            return (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
        }) {
            self.init(words: words, extra: nil, count: 32)
            return
        }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var extra: [UInt8] = []
        var index = 0
        for byte in bytes {
            if index < 32 {
                let shift = UInt64(56 - 8 * (index & 7))
                let value = UInt64(byte) << shift
                switch index >> 3 {
                case 0: words.0 |= value
                case 1: words.1 |= value
                case 2: words.2 |= value
                default: words.3 |= value
                }
            } else {
                if extra.isEmpty { extra.reserveCapacity(bytes.count - 32) }
                extra.append(byte)
            }
            index += 1
        }
        self.init(words: words, extra: extra.isEmpty ? nil : extra, count: index)
    }

    @inlinable
    init(words: (UInt64, UInt64, UInt64, UInt64), extra: [UInt8]?, count: Int) {
        (w0, w1, w2, w3) = words
        self.extra = extra
        self.count = count
    }

    /// Creates an id from a hexadecimal string (upper or lower case, even length, no prefix).
    ///
    /// - Throws: `KBucketError.invalidHexID` when the string is not an even number of hex digits.
    public init(hex: String) throws(KBucketError) {
        let utf8 = Array(hex.utf8)
        guard utf8.count.isMultiple(of: 2) else { throw .invalidHexID(hex) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else {
                throw .invalidHexID(hex)
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The empty id (no bytes); every bit reads as zero.
    public static var empty: NodeID { NodeID(words: (0, 0, 0, 0), extra: nil, count: 0) }

    /// The byte at `index` (0 is the most significant); `index` must be in `0..<count`.
    @inlinable
    public func byte(at index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "NodeID byte index out of range")
        if index >= 32, let extra { return extra[index - 32] }
        return UInt8(truncatingIfNeeded: word(index >> 3) >> UInt64(56 - 8 * (index & 7)))
    }

    /// The id's bytes, most significant first.
    public var bytes: [UInt8] {
        (0..<count).map { byte(at: $0) }
    }

    /// Writes the id's bytes, most significant first, into `buffer` from `offset` on (no allocation; a 32-byte id
    /// is four stores). `buffer` must have room for ``count`` bytes there.
    @inlinable
    public func copyBytes(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        precondition(offset >= 0 && buffer.count - offset >= count, "NodeID.copyBytes: buffer too small")
        if count == 32 {
            buffer.storeBytes(of: w0.bigEndian, toByteOffset: offset, as: UInt64.self)
            buffer.storeBytes(of: w1.bigEndian, toByteOffset: offset + 8, as: UInt64.self)
            buffer.storeBytes(of: w2.bigEndian, toByteOffset: offset + 16, as: UInt64.self)
            buffer.storeBytes(of: w3.bigEndian, toByteOffset: offset + 24, as: UInt64.self)
            return
        }
        for index in 0..<count { buffer[offset + index] = byte(at: index) }
    }

    /// The id as lower-case hexadecimal, two digits per byte.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for index in 0..<count {
            let b = byte(at: index)
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable
    func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: w0
        case 1: w1
        case 2: w2
        default: w3
        }
    }

    /// Bit `index` of the id, counting from the most significant bit of byte 0.
    ///
    /// Bits at or beyond `8 * count` are `false`, which is how k-bucket 3.3.1 routes ids that are too short.
    @inlinable
    public func bit(at index: Int) -> Bool {
        if index < 256 {
            return (word(index >> 6) >> UInt64(63 - (index & 63))) & 1 == 1
        }
        let byteIndex = index >> 3
        guard byteIndex < count, let extra else { return false }
        return (extra[byteIndex - 32] >> UInt8(7 - (index & 7))) & 1 == 1
    }

    /// The number of leading bits on which `self` and `other` agree, reading missing bits as zero, but at most
    /// `limit`.
    @inlinable
    public func commonPrefixLength(with other: NodeID, limit: Int) -> Int {
        var x = w0 ^ other.w0
        if x != 0 { return min(x.leadingZeroBitCount, limit) }
        if limit <= 64 { return limit }
        x = w1 ^ other.w1
        if x != 0 { return min(64 + x.leadingZeroBitCount, limit) }
        if limit <= 128 { return limit }
        x = w2 ^ other.w2
        if x != 0 { return min(128 + x.leadingZeroBitCount, limit) }
        if limit <= 192 { return limit }
        x = w3 ^ other.w3
        if x != 0 { return min(192 + x.leadingZeroBitCount, limit) }
        if limit <= 256 || (extra == nil && other.extra == nil) { return limit }
        return longCommonPrefixLength(with: other, limit: limit)
    }

    @usableFromInline
    func longCommonPrefixLength(with other: NodeID, limit: Int) -> Int {
        let extra = self.extra ?? [], otherExtra = other.extra ?? []
        let longest = max(extra.count, otherExtra.count)
        for index in 0..<longest {
            let a = index < extra.count ? extra[index] : 0
            let b = index < otherExtra.count ? otherExtra[index] : 0
            if a != b {
                return min(256 + 8 * index + (a ^ b).leadingZeroBitCount, limit)
            }
        }
        return limit
    }
}

extension NodeID: Hashable {
    /// Two ids are equal when they have the same length and the same bytes.
    @inlinable
    public static func == (lhs: NodeID, rhs: NodeID) -> Bool {
        lhs.w0 == rhs.w0 && lhs.w1 == rhs.w1 && lhs.w2 == rhs.w2 && lhs.w3 == rhs.w3
            && lhs.count == rhs.count && lhs.extra == rhs.extra
    }

    /// Hashes the id's length and bytes.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(w0)
        hasher.combine(w1)
        hasher.combine(w2)
        hasher.combine(w3)
        hasher.combine(count)
        if let extra { hasher.combine(extra) }
    }
}

extension NodeID: CustomStringConvertible {
    /// The id as lower-case hexadecimal.
    public var description: String { hexString }
}
