import IPEncoding
import NIODatagramTransport

/// The message for a node that could not start listening: "port 49800 is in use" rather than the
/// socket layer's internals.
enum BindFailure {
    /// What to tell the user about `error`, from starting a node on `port` (0: any).
    static func text(_ error: any Error, port: UInt16) -> String {
        guard let failure = error as? UDPTransportError, case .bindFailed(let address, let reason) = failure else {
            return "cannot listen on UDP port \(port): \(error)"
        }
        if reason.contains("errno: 98") || reason.localizedCaseInsensitiveContains("address already in use") {
            return "port \(address.port) is in use (another program listens on it): give another --port, or none for any free port"
        }
        if reason.contains("errno: 99") || reason.localizedCaseInsensitiveContains("cannot assign requested address") {
            return "cannot listen on \(address.host): it is not an address of this machine"
        }
        if reason.contains("errno: 13") || reason.localizedCaseInsensitiveContains("permission denied") {
            return "no permission to listen on port \(address.port) (ports below 1024 need privileges)"
        }
        let detail = reason.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? reason
        return "cannot listen on \(address): \(detail)"
    }
}
