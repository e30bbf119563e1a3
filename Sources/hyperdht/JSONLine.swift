import Foundation

/// The fields of one kind of `--json` line (a `peers` answer, a `summary`, an `error`, …). ``JSONLine``
/// wraps it with the line's `type` and `time`; `docs/json/TYPE.schema.json` describes it.
protocol JSONLineBody: Codable, Sendable {
    /// The line's `type` discriminator (also the schema's file name).
    static var type: String { get }
}

/// One line of `--json` output: `{"type": …, "time": …, <the body's fields>}`. Every line the command
/// line prints with `--json` is one of these (see ``JSONLineCatalogue``).
struct JSONLine<Body: JSONLineBody>: Codable, Sendable {
    /// When the line was made.
    var time: Date
    /// The line's own fields.
    var body: Body

    /// A line made now (or at `time`).
    init(_ body: Body, time: Date = .now) {
        self.time = time
        self.body = body
    }

    private enum CodingKeys: String, CodingKey {
        case type, time
    }

    /// Reads a line of this type; a line of another `type`, or a `time` that is not ISO 8601, is a
    /// decoding error.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard type == Body.type else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container,
                                                   debugDescription: "a \(type) line, not \(Body.type)")
        }
        let text = try container.decode(String.self, forKey: .time)
        guard let time = JSONLineTime.date(text) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: container, debugDescription: "not an ISO 8601 time: \(text)")
        }
        self.time = time
        body = try Body(from: decoder)
    }

    /// Writes `type` and `time`, then the body's fields into the same object.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Body.type, forKey: .type)
        try container.encode(JSONLineTime.text(time), forKey: .time)
        try body.encode(to: encoder)
    }

    /// The line as printed: compact, keys sorted (stable output), no newline.
    func text() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// The `time` of a line: UTC, ISO 8601 with milliseconds (`2026-12-01T05:55:00.123Z`).
enum JSONLineTime {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The text of `date`.
    static func text(_ date: Date) -> String {
        style.format(date)
    }

    /// The date `text` names, if it is ISO 8601 with milliseconds.
    static func date(_ text: String) -> Date? {
        try? style.parse(text)
    }
}

/// A field that is always present in the JSON and `null` when the value is unknown (where Swift's
/// synthesised coding would leave it out), so a schema can require every field of a line.
@propertyWrapper
struct Nullable<Value: Codable & Sendable>: Codable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    /// Reads `null` or a value.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }

    /// Writes the value, or `null`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension Nullable: Equatable where Value: Equatable {}
