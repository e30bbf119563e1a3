import Foundation
import NIOCore

/// Reads a recording's entries (``SessionRecorder``), oldest first. A file cut short (a node killed
/// mid-write) yields the entries before the cut; a frame that is not an entry is an error.
public enum RecordingReader {
    /// The largest recording read (a rotated recording's file is at most its cap, 64 MiB by default).
    public static let maximumFileBytes = 1024 * 1024 * 1024

    /// The entries in `path`.
    public static func entries(at path: String) throws -> [RecordedEntry] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count <= maximumFileBytes else { throw ControlFrameError.oversized(length: data.count, maximum: maximumFileBytes) }
        var buffer = ByteBuffer(bytes: data)
        var entries: [RecordedEntry] = []
        while let frame = try ControlFraming.nextFrame(from: &buffer, maximum: ControlProtocol.maximumMessageBytes) {
            do {
                entries.append(try ControlProtocol.decode(RecordedEntry.self, from: Array(frame.readableBytesView)))
            } catch {
                throw ControlFrameError.garbage(reason: "entry \(entries.count + 1): \(error)")
            }
        }
        return entries
    }
}
