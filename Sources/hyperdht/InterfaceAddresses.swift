import IPEncoding
import NIOCore
import NIOPosix

/// The host addresses of this machine's network interfaces, as the operating system lists them
/// (loopback included) – what netcheck and the monitor compare observed addresses with.
enum InterfaceAddresses {
    /// Every interface address; empty when the OS will not list them.
    static func current() -> [IPAddress] {
        guard let devices = try? System.enumerateDevices() else { return [] }
        var seen = Set<IPAddress>()
        return devices.compactMap { device -> IPAddress? in
            guard let text = device.address?.ipAddress, let address = IPAddress(text) else { return nil }
            return seen.insert(address).inserted ? address : nil
        }
    }
}
