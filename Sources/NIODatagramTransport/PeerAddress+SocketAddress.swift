import IPEncoding
import NIOCore

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension PeerAddress {
    /// Converts a NIO socket address; `nil` for a Unix-domain address. No text formatting or
    /// parsing is involved.
    public init?(_ socketAddress: SocketAddress) {
        switch socketAddress {
        case .v4(let v4):
            let raw = v4.address
            self.init(
                host: .v4(UInt32(bigEndian: raw.sin_addr.s_addr)),
                port: UInt16(bigEndian: raw.sin_port))
        case .v6(let v6):
            let raw = v6.address
            let (high, low) = withUnsafeBytes(of: raw.sin6_addr) { bytes in
                (UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            self.init(host: .v6(high: high, low: low), port: UInt16(bigEndian: raw.sin6_port))
        case .unixDomainSocket:
            return nil
        }
    }
}

extension SocketAddress {
    /// Converts an endpoint to the NIO socket address that sends to it.
    public init(_ peer: PeerAddress) {
        switch peer.host {
        case .v4(let bits):
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_port = peer.port.bigEndian
            raw.sin_addr.s_addr = bits.bigEndian
            self.init(raw, host: "")
        case .v6(let high, let low):
            var raw = sockaddr_in6()
            raw.sin6_family = sa_family_t(AF_INET6)
            raw.sin6_port = peer.port.bigEndian
            withUnsafeMutableBytes(of: &raw.sin6_addr) { bytes in
                bytes.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
                bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            self.init(raw, host: "")
        }
    }
}
