import ArgumentParser
import ControlSocket
import Monitor

/// `--record FILE` of `node`, `bootstrap` and `monitor` (embedded or attached): append what the monitor
/// sees – every event batch, the status and store once a second – to FILE, for `hyperdht replay FILE`.
struct RecordOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Record every event (and the status once a second) to FILE, for hyperdht replay FILE. At --record-limit the file is moved to FILE.1 and a new one starts.",
        valueName: "file"))
    var record: String?
    @Option(name: .customLong("record-limit"), help: ArgumentHelp("Size in MiB at which a recording rotates (1-4096).", valueName: "MiB"))
    var recordLimit = 64
    @Flag(name: .long, help: "With --record: replace every IP address in the recording with a stand-in (the same one for the same address), so it can be shared.")
    var redact = false

    func validate() throws {
        guard (1...4096).contains(recordLimit) else { throw ValidationError("--record-limit must be 1-4096 MiB, got \(recordLimit)") }
        if redact && record == nil { throw ValidationError("--redact needs --record FILE") }
    }

    /// The recorder, when `--record` was given.
    func recorder() throws -> SessionRecorder? {
        guard let record else { return nil }
        do {
            return try SessionRecorder(path: record, maximumBytes: recordLimit * 1024 * 1024, redactsAddresses: redact)
        } catch {
            throw NetworkFailure(description: "cannot record to \(record): \(error)")
        }
    }

    /// `backend`, recorded when `--record` was given.
    func wrap(_ backend: any MonitorBackend, recorder: SessionRecorder?) -> any MonitorBackend {
        guard let recorder else { return backend }
        return RecordingMonitorBackend(wrapping: backend, recorder: recorder)
    }
}
