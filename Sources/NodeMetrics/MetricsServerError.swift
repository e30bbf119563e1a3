import NIOCore

/// Why the metrics endpoint could not start, in words for the command line.
public enum MetricsServerError: Error, CustomStringConvertible, Equatable {
    /// Listening on `host:port` failed; `errno` is the system's code when there is one.
    case bindFailed(host: String, port: Int, errno: Int32?, detail: String)

    /// Reads a bind failure of `host:port` out of NIO's error.
    static func bind(_ error: any Error, host: String, port: Int) -> MetricsServerError {
        if let error = error as? IOError {
            return .bindFailed(host: host, port: port, errno: error.errnoCode, detail: "\(error)")
        }
        return .bindFailed(host: host, port: port, errno: nil, detail: "\(error)")
    }

    public var description: String {
        switch self {
        case .bindFailed(let host, let port, let errno, let detail):
            switch errno {
            case 98?, 48?:  // EADDRINUSE on Linux, macOS
                return "port \(port) is in use (another program listens on it): give --metrics another port, or port 0 for any free one"
            case 99?, 49?:  // EADDRNOTAVAIL
                return "cannot listen on \(host): it is not an address of this machine"
            case 13?:  // EACCES
                return "no permission to listen on port \(port) (ports below 1024 need privileges)"
            default:
                return "cannot listen on \(host):\(port): \(detail)"
            }
        }
    }
}
