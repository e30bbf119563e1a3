import ArgumentParser
import Foundation

/// A command that takes `--json` (docs/JSON-OUTPUT.md): with it, the command's last line is its result,
/// an `error` line, or – for the commands that run until stopped – a `stopped` line.
protocol JSONOutputCommand: ParsableCommand {
    var output: OutputOptions { get }
    /// Whether it runs until a signal stops it (`node`, `bootstrap`, `testnet`, `announce --keep`): a
    /// signal is then its normal end (`stopped`), not an interruption (`error`).
    var runsUntilStopped: Bool { get }
}

extension JSONOutputCommand {
    var runsUntilStopped: Bool { false }
}

/// Prints the `error` and `stopped` lines that end a `--json` command which did not print its result:
/// for an error thrown while parsing or running (``report(_:command:arguments:)``), and for SIGINT /
/// SIGTERM (``prepare(_:)``, printed by ``ProcessShutdown`` after the command's clean-up). The text on
/// stderr and the exit status stay as they are without `--json`.
enum JSONCommandEnding {
    /// With `--json`: makes a signal end the command with a `stopped` line (commands that run until
    /// stopped) or an `error` line (the others).
    static func prepare(_ command: any ParsableCommand) {
        guard let command = command as? any JSONOutputCommand, command.output.json else { return }
        let name = commandName(command)
        let untilStopped = command.runsUntilStopped
        ProcessShutdown.setFarewell { reason in
            guard case .signal(let number) = reason else { return }
            let signal = signalName(number)
            CommandEnding.end {
                if untilStopped {
                    write(StoppedLine(command: name, signal: signal, status: reason.status))
                } else {
                    write(ErrorLine(command: name, message: "stopped by \(signal) before it finished", status: reason.status,
                                    diagnosis: nil))
                }
            }
        }
    }

    /// Prints the `error` line for `error` when the command (or, if it could not be parsed, its
    /// `arguments`) asked for `--json`. Nothing for help and `--version` (status 0).
    static func report(_ error: any Error, command: (any ParsableCommand)?, arguments: [String]) {
        let status = HyperDHTCommand.exitCode(for: error).rawValue
        guard status != 0, wantsJSON(command: command, arguments: arguments) else { return }
        let failure = error as? NetworkFailure
        let said = failure?.diagnosis.map(HolepunchFailureReport.headline) ?? HyperDHTCommand.message(for: error)
        let message = said.isEmpty ? "failed with exit status \(status)" : said
        let name = command.map(commandName) ?? arguments.first { subcommandNames.contains($0) } ?? "hyperdht"
        let line = ErrorLine(command: name, message: message, status: status,
                             diagnosis: failure?.diagnosis.map(ErrorLine.PunchDiagnosis.init))
        CommandEnding.end { write(line) }
    }

    /// Writes a final line. Not through ``writeStandardOutput(_:)``: a closed stdout must not start a
    /// shutdown from here, the process is ending already.
    private static func write(_ body: some JSONLineBody) {
        guard let text = try? JSONLine(body).text() else { return }
        try? FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
    }

    private static func wantsJSON(command: (any ParsableCommand)?, arguments: [String]) -> Bool {
        if let command { return (command as? any JSONOutputCommand)?.output.json ?? false }
        return arguments.prefix { $0 != "--" }.contains("--json")
    }

    private static var subcommandNames: [String] {
        HyperDHTCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
    }

    private static func commandName(_ command: any ParsableCommand) -> String {
        type(of: command).configuration.commandName ?? "hyperdht"
    }

    private static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }
}
