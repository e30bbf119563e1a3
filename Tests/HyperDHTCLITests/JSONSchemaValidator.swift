import Foundation

/// Validates `--json` lines against docs/json/*.schema.json with Python's `jsonschema` (through
/// scripts/validate-json-lines, the validator users get too): a well-kept validator, not our own.
enum JSONSchemaValidator {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemaDirectory = repository.appendingPathComponent("docs/json")
    static let script = repository.appendingPathComponent("scripts/validate-json-lines")

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// One verdict per line, in order: `ok TYPE` or `invalid: REASON`. Throws, with what to install,
    /// when python3 or its `jsonschema` package is missing (`.ci/run` installs it).
    static func verdicts(_ lines: [String]) throws -> [String] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("hyperdht-json-\(UUID().uuidString).jsonl")
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--schemas", schemaDirectory.path, input.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Unavailable(description: "cannot run python3 for the JSON Schema validation (\(error)): install python3 and `pip install jsonschema`")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus != 2, process.terminationStatus != 127 else {
            throw Unavailable(description: "the JSON Schema validator could not run (status \(process.terminationStatus)): \(problem)"
                              + " – install it with `pip install jsonschema` (.ci/run does)")
        }
        let verdicts = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard verdicts.count == lines.filter({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }).count else {
            throw Unavailable(description: "the validator answered \(verdicts.count) verdicts for \(lines.count) lines: \(problem)")
        }
        return verdicts
    }

    /// The line types with a schema file (definitions.schema.json is shared, not a line type).
    static func schemaTypes() throws -> Set<String> {
        let names = try FileManager.default.contentsOfDirectory(atPath: schemaDirectory.path)
        return Set(names.filter { $0.hasSuffix(".schema.json") }.map { String($0.dropLast(".schema.json".count)) })
            .subtracting(["definitions"])
    }
}
