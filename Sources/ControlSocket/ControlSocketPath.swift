#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a control socket cannot be created at a path.
public enum ControlSocketPathError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path does not fit a Unix socket address.
    case tooLong(path: String, maximum: Int)
    /// The directory it would go in does not exist or is not a directory.
    case noDirectory(String)
    /// The directory belongs to another user, or others may write to it (they could replace our socket).
    case unsafeDirectory(String, reason: String)
    /// Something that is not a socket is at the path; it is left alone.
    case notASocket(String)
    /// A socket at the path answers: another process is serving it.
    case inUse(String)
    /// A system call failed.
    case system(String, call: String, errno: Int32)

    public var description: String {
        switch self {
        case .tooLong(let path, let maximum): "control socket path \(path) is too long (at most \(maximum) bytes)"
        case .noDirectory(let directory): "control socket directory \(directory) does not exist or is not a directory"
        case .unsafeDirectory(let directory, let reason):
            "control socket directory \(directory) is not safe: \(reason); use a directory only you can write, e.g. $XDG_RUNTIME_DIR or one made with mkdir -m 700"
        case .notASocket(let path): "\(path) exists and is not a socket; refusing to replace it"
        case .inUse(let path): "\(path) is a socket another process answers on (another node?); refusing to take it over"
        case .system(let path, let call, let number): "\(call) \(path) failed: \(String(cString: strerror(number)))"
        }
    }
}

/// The rules a control socket's path must pass before the node listens there: it fits a Unix socket
/// address; its directory is ours and writable only by us; and the path is free – or holds a stale
/// socket of ours nobody answers on (a node that was killed), which is removed. Anything else at the
/// path (a file, a directory, a live socket) is refused, never replaced.
public enum ControlSocketPath {
    /// The longest path a Unix socket address holds.
    public static var maximumLength: Int {
        MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1
    }

    /// Checks `path` and removes a stale socket there; throws when the node must not listen there.
    public static func prepare(_ path: String) throws(ControlSocketPathError) {
        guard path.utf8.count <= maximumLength, !path.isEmpty else { throw .tooLong(path: path, maximum: maximumLength) }
        let directory = Self.directory(of: path)
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { throw .noDirectory(directory) }
        guard info.st_uid == geteuid() else { throw .unsafeDirectory(directory, reason: "it belongs to another user") }
        guard info.st_mode & (S_IWGRP | S_IWOTH) == 0 else {
            throw .unsafeDirectory(directory, reason: "others may write to it")
        }
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw .system(path, call: "lstat", errno: errno)
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path) }
        guard !answers(path) else { throw .inUse(path) }
        guard unlink(path) == 0 || errno == ENOENT else { throw .system(path, call: "unlink", errno: errno) }
    }

    /// Makes the socket at `path` readable and writable by its owner only (connecting needs write access).
    public static func restrict(_ path: String) throws(ControlSocketPathError) {
        guard chmod(path, 0o600) == 0 else { throw .system(path, call: "chmod", errno: errno) }
    }

    /// Whether a process accepts connections on the socket at `path`.
    public static func answers(_ path: String) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count <= maximumLength else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// The directory part of `path` (`.` for a bare name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }
}

extension ControlSocketPath {
    /// Whether a socket is at `path`.
    static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    /// Removes the file at `path` (errors ignored: closing goes on).
    static func remove(_ path: String) {
        _ = unlink(path)
    }
}
