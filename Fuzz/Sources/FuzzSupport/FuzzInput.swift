/// Reads a fuzz input front to back: single bytes, big-endian integers and length-prefixed chunks. Reading past
/// the end yields zeros and empty chunks, so every input is a valid script.
public struct FuzzInput {
    private let bytes: [UInt8]
    private var offset = 0

    /// A reader over a copy of `size` bytes at `data`.
    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// A reader over `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether any bytes are left.
    public var isAtEnd: Bool { offset >= bytes.count }

    /// The next byte, or 0 at the end.
    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// The next two bytes as a big-endian integer.
    public mutating func uint16() -> UInt16 {
        UInt16(byte()) << 8 | UInt16(byte())
    }

    /// The next `count` bytes, fewer at the end.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, offset + max(0, count))
        defer { offset = end }
        return Array(bytes[offset..<end])
    }

    /// All bytes left.
    public mutating func rest() -> [UInt8] {
        bytes(bytes.count - offset)
    }
}
