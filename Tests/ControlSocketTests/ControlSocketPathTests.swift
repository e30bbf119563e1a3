import ControlSocket
import Foundation
import NIOPosix
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Where a control socket may be created: a private directory, a free path or a stale socket – never
/// over a file, a directory or a socket someone answers on.
@Suite(.timeLimit(.minutes(2)))
struct ControlSocketPathTests {
    @Test func aFreePathInAPrivateDirectoryIsAccepted() throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        try ControlSocketPath.prepare(directory.file("node.sock"))
    }

    @Test func aDirectoryOthersMayWriteIsRefused() throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        chmod(directory.path, 0o777)
        #expect(throws: ControlSocketPathError.unsafeDirectory(directory.path, reason: "others may write to it")) {
            try ControlSocketPath.prepare(directory.file("node.sock"))
        }
        chmod(directory.path, 0o770)
        #expect(throws: ControlSocketPathError.unsafeDirectory(directory.path, reason: "others may write to it")) {
            try ControlSocketPath.prepare(directory.file("node.sock"))
        }
    }

    @Test func aMissingDirectoryAndATooLongPathAreRefused() throws {
        #expect(throws: ControlSocketPathError.noDirectory("/nonexistent-\(getpid())")) {
            try ControlSocketPath.prepare("/nonexistent-\(getpid())/node.sock")
        }
        let long = "/tmp/" + String(repeating: "x", count: 200)
        #expect(throws: ControlSocketPathError.tooLong(path: long, maximum: ControlSocketPath.maximumLength)) {
            try ControlSocketPath.prepare(long)
        }
    }

    @Test func aFileOrDirectoryAtThePathIsLeftAlone() throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let file = directory.file("notes.txt")
        try "keep me".write(toFile: file, atomically: false, encoding: .utf8)
        #expect(throws: ControlSocketPathError.notASocket(file)) { try ControlSocketPath.prepare(file) }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
        let sub = directory.file("sub")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
        #expect(throws: ControlSocketPathError.notASocket(sub)) { try ControlSocketPath.prepare(sub) }
    }

    @Test func aStaleSocketIsReplacedAndALiveOneRefused() async throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let path = directory.file("node.sock")
        // A socket file nobody listens on: what a killed node leaves behind.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        #expect(bound == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!ControlSocketPath.answers(path))

        let server = try await ControlServer.start(path: path, backend: FakeBackend(), on: MultiThreadedEventLoopGroup.singleton)
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600, "the socket is the owner's only")
        #expect(ControlSocketPath.answers(path))
        #expect(throws: ControlSocketPathError.inUse(path)) { try ControlSocketPath.prepare(path) }
        await #expect(throws: ControlSocketPathError.inUse(path)) {
            _ = try await ControlServer.start(path: path, backend: FakeBackend(), on: MultiThreadedEventLoopGroup.singleton)
        }
        await server.close()
        #expect(!FileManager.default.fileExists(atPath: path), "close removes the socket")
    }
}
