import IPEncoding

/// What a prompt asks for.
public enum PromptKind: Equatable, Sendable {
    /// A key or topic to look up.
    case lookup
    /// A key or topic to announce under.
    case announce
    /// A key or topic to unannounce.
    case unannounce
    /// An address to ping.
    case ping
    /// A peer and a referrer to punch through.
    case holepunch
    /// A filter for a pane.
    case filter(PaneID)

    /// The prompt's title.
    public var title: String {
        switch self {
        case .lookup: "Look up"
        case .announce: "Announce"
        case .unannounce: "Unannounce"
        case .ping: "Ping"
        case .holepunch: "Hole punch"
        case .filter(let pane): "Filter \(pane.title)"
        }
    }
}

/// What a submitted prompt produced, already validated.
public enum PromptValue: Equatable, Sendable {
    /// A key or topic (lookup / announce / unannounce).
    case target(LookupTarget)
    /// An address (ping).
    case address(PeerAddress)
    /// Peer and referrer (hole punch).
    case holepunch(peer: PeerAddress, referrer: PeerAddress)
    /// Filter text (empty clears the filter).
    case filter(String)
}


/// One editable line of a prompt.
public struct PromptField: Equatable, Sendable {
    /// The label before the text.
    public var label: String
    /// What was typed.
    public var text: String
    /// The cursor, in characters from the start.
    public var cursor: Int

    /// Creates a field holding `text` with the cursor at its end.
    public init(label: String, text: String = "") {
        self.label = label
        self.text = text
        cursor = text.count
    }
}

/// A modal input line (or two, for a hole punch): edits text, validates on Enter, shows what is wrong
/// and never loses what was typed – only Escape abandons it.
public struct Prompt: Equatable, Sendable {
    /// What is asked for.
    public var kind: PromptKind
    /// The fields.
    public var fields: [PromptField]
    /// The field being edited.
    public var focusedField = 0
    /// The validation message from the last Enter, if it failed.
    public var error: String?

    /// What a key did to the prompt.
    public enum Outcome: Equatable, Sendable {
        /// Still editing.
        case editing
        /// Valid input submitted.
        case submitted(PromptValue)
        /// Escape: abandoned.
        case cancelled
    }

    /// A prompt of `kind`; a hole punch gets `peer` and `referrer` pre-filled.
    public init(kind: PromptKind, prefill: [String] = []) {
        self.kind = kind
        switch kind {
        case .lookup, .announce, .unannounce:
            fields = [PromptField(label: "key or topic", text: prefill.first ?? "")]
        case .ping:
            fields = [PromptField(label: "host:port", text: prefill.first ?? "")]
        case .holepunch:
            fields = [PromptField(label: "peer host:port", text: prefill.first ?? ""),
                      PromptField(label: "referrer host:port", text: prefill.count > 1 ? prefill[1] : "")]
        case .filter:
            fields = [PromptField(label: "contains", text: prefill.first ?? "")]
        }
    }

    /// Applies a key.
    public mutating func handle(_ key: KeyInput) -> Outcome {
        switch key {
        case .escape, .interrupt:
            return .cancelled
        case .enter:
            return submit()
        case .tab, .down:
            focusedField = (focusedField + 1) % fields.count
        case .backTab, .up:
            focusedField = (focusedField + fields.count - 1) % fields.count
        case .character(let character):
            edit { field in
                let index = field.text.index(field.text.startIndex, offsetBy: field.cursor)
                field.text.insert(character, at: index)
                field.cursor += 1
            }
        case .backspace:
            edit { field in
                guard field.cursor > 0 else { return }
                let index = field.text.index(field.text.startIndex, offsetBy: field.cursor - 1)
                field.text.remove(at: index)
                field.cursor -= 1
            }
        case .delete:
            edit { field in
                guard field.cursor < field.text.count else { return }
                field.text.remove(at: field.text.index(field.text.startIndex, offsetBy: field.cursor))
            }
        case .left: edit { $0.cursor = max(0, $0.cursor - 1) }
        case .right: edit { $0.cursor = min($0.text.count, $0.cursor + 1) }
        case .home: edit { $0.cursor = 0 }
        case .end: edit { $0.cursor = $0.text.count }
        case .pageUp, .pageDown, .resize, .other:
            break  // ignored: nothing typed is lost
        }
        return .editing
    }

    private mutating func edit(_ change: (inout PromptField) -> Void) {
        change(&fields[focusedField])
    }

    /// Validates every field; on success the value, else the first problem is shown and the cursor
    /// goes to the field that has it.
    private mutating func submit() -> Outcome {
        switch kind {
        case .lookup, .announce, .unannounce:
            switch InputValidation.lookupTarget(fields[0].text) {
            case .success(let target): return .submitted(.target(target))
            case .failure(let problem): error = problem.description
            }
        case .ping:
            switch InputValidation.address(fields[0].text) {
            case .success(let address): return .submitted(.address(address))
            case .failure(let problem): error = problem.description
            }
        case .holepunch:
            if focusedField == 0 && fields[1].text.isEmpty, case .success = InputValidation.address(fields[0].text) {
                focusedField = 1
                error = nil
                return .editing
            }
            let peer = InputValidation.address(fields[0].text)
            let referrer = InputValidation.address(fields[1].text)
            switch (peer, referrer) {
            case (.success(let peer), .success(let referrer)):
                return .submitted(.holepunch(peer: peer, referrer: referrer))
            case (.failure(let problem), _):
                focusedField = 0
                error = "peer: \(problem)"
            case (_, .failure(let problem)):
                focusedField = 1
                error = "referrer: \(problem)"
            }
        case .filter:
            return .submitted(.filter(fields[0].text))
        }
        return .editing
    }
}
