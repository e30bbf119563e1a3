/// Everything that can go wrong in the `KBucket` module.
public enum KBucketError: Error, Sendable, Equatable {
    /// A string given as a hexadecimal id has an odd length or a character that is not a hex digit.
    case invalidHexID(String)
    /// `numberOfNodesPerKBucket` must be at least 1; the value given.
    case invalidBucketSize(Int)
    /// `numberOfNodesToPing` must be at least 1; the value given.
    case invalidPingCount(Int)
}
