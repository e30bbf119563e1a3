/// What a list decoder does with bytes after the last whole record.
public enum TrailingBytesPolicy: Hashable, Sendable {
    /// Throw ``IPEncodingError/partialRecord(byteCount:recordLength:)``. The default: no reference node ever
    /// writes a partial record, so one means corruption.
    case reject
    /// Ignore them, as the nodejs reference (ipv4-peers, hyperdht's decodeLocalPeers) does.
    case ignore
}
