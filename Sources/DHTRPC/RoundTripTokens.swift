import Crypto
import Foundation
import IPEncoding

/// dht-rpc's round-trip tokens: `sha256(secret || host)`, where host is the requester's IP as text
/// (`"127.0.0.1"`), port excluded. Two secrets are kept; ``rotate(using:)`` (every 5 minutes on a
/// node) makes a new current one, and a token made with the current or the previous secret is
/// accepted – so an update proves its sender received one of our responses in the last 5–10 min.
public struct RoundTripTokens: Sendable {
    private var current: [UInt8]
    private var previous: [UInt8]
    /// Tokens already made with the current secret, by host (a node answers the same hosts again and again).
    private var recent: [IPAddress: Data] = [:]

    /// The most hosts ``cachedToken(for:)`` remembers before it starts over.
    public static let cachedHostLimit = 256

    /// How often a node rotates its secrets.
    public static let rotationInterval: Duration = .seconds(300)

    /// Creates two fresh secrets from `generator`.
    public init<G: RandomNumberGenerator>(using generator: inout G) {
        current = Self.secret(using: &generator)
        previous = Self.secret(using: &generator)
    }

    /// Makes a new current secret; the old current one becomes the previous one.
    public mutating func rotate<G: RandomNumberGenerator>(using generator: inout G) {
        previous = current
        current = Self.secret(using: &generator)
        recent.removeAll()
    }

    /// ``token(for:)``, remembered for up to ``cachedHostLimit`` hosts until the next rotation: answering a host
    /// again costs a dictionary lookup instead of formatting its address and hashing.
    public mutating func cachedToken(for host: IPAddress) -> Data {
        if let token = recent[host] { return token }
        if recent.count >= Self.cachedHostLimit { recent.removeAll(keepingCapacity: true) }
        let token = token(for: host)
        recent[host] = token
        return token
    }

    /// The token to send to `host` in a response.
    public func token(for host: IPAddress) -> Data {
        Self.token(secret: current, host: host)
    }

    /// Whether `token` was made by this node for `host` with the current or the previous secret.
    public func isValid(_ token: Data, for host: IPAddress) -> Bool {
        guard token.count == SHA256.byteCount else { return false }
        return Self.constantTimeEquals(token, Self.token(secret: current, host: host))
            || Self.constantTimeEquals(token, Self.token(secret: previous, host: host))
    }

    private static func token(secret: [UInt8], host: IPAddress) -> Data {
        var hasher = SHA256()
        hasher.update(data: secret)
        hasher.update(data: Data(host.description.utf8))
        return Data(hasher.finalize())
    }

    private static func secret<G: RandomNumberGenerator>(using generator: inout G) -> [UInt8] {
        (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    private static func constantTimeEquals(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
