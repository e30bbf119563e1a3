import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a file, so lab tests started from two work trees on one machine take turns instead of
/// building their labs over each other.
final class CrossProcessLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock on `path`, waiting at most `timeout` seconds for another holder to let go.
    static func acquire(path: String, timeout: TimeInterval) async throws -> CrossProcessLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw NATLab.Failure(description: "cannot open lock file \(path): errno \(errno)") }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK, Date() < deadline else {
                close(descriptor)
                throw NATLab.Failure(description: "lock \(path) still held by other lab tests after \(Int(timeout)) s")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        return CrossProcessLock(descriptor: descriptor)
    }

    /// Lets go of the lock (closing the file releases it).
    func release() { close(descriptor) }
}
