import IPEncoding
import NIOCore
import NIODatagramTransport

/// This host's own addresses, from its network interfaces: a node that other nodes see at one of
/// them is not behind a NAT (what the punch follow-up needs to tell "same host" from "same NAT").
enum LocalInterfaces {
    /// The IPv4 and IPv6 addresses of every interface; empty when they cannot be listed.
    static func hosts() -> Set<IPAddress> {
        guard let devices = try? System.enumerateDevices() else { return [] }
        return Set(devices.compactMap { device in device.address.flatMap { PeerAddress($0)?.host } })
    }
}
