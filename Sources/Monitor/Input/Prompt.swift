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


/// Text to pre-fill a prompt field with: what the field shows and, when that is a privacy mask, the
/// real text kept behind it.
public struct PromptPrefill: Equatable, Sendable {
    /// What the field shows.
    public var shown: String
    /// What Enter submits while the field is untouched, when it differs from `shown`.
    public var concealed: String?

    /// A pre-fill shown as it is.
    public init(_ text: String) {
        shown = text
        concealed = nil
    }

    /// `text`, shown masked by `masking` when privacy mode is on (the real text stays behind the mask).
    public init(_ address: PeerAddress?, masking: AddressMasking) {
        shown = address.map { masking.text($0) } ?? ""
        concealed = masking.isEnabled ? address?.description : nil
    }
}

/// One editable line of a prompt.
public struct PromptField: Equatable, Sendable {
    /// The label before the text.
    public var label: String
    /// What was typed (or, while ``concealed`` is set, the mask shown in place of the pre-filled text).
    public var text: String
    /// The cursor, in characters from the start.
    public var cursor: Int
    /// The real pre-filled text behind a privacy mask: submitted while the field is untouched; the
    /// first edit replaces the mask with what is typed, so a mask is never edited into an address.
    public var concealed: String?

    /// Creates a field holding `text` with the cursor at its end.
    public init(label: String, text: String = "") {
        self.label = label
        self.text = text
        cursor = text.count
    }

    /// Creates a field pre-filled with `prefill`.
    public init(label: String, prefill: PromptPrefill) {
        self.init(label: label, text: prefill.shown)
        concealed = prefill.concealed
    }

    /// What the field stands for: the concealed text while it is untouched, else what was typed.
    public var value: String { concealed ?? text }
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
        self.init(kind: kind, prefilled: prefill.map { PromptPrefill($0) })
    }

    /// A prompt of `kind` pre-filled with `prefilled` (masked text keeps the real text behind it).
    public init(kind: PromptKind, prefilled: [PromptPrefill]) {
        self.kind = kind
        let first = prefilled.first ?? PromptPrefill(""), second = prefilled.count > 1 ? prefilled[1] : PromptPrefill("")
        switch kind {
        case .lookup, .announce, .unannounce:
            fields = [PromptField(label: "key or topic", prefill: first)]
        case .ping:
            fields = [PromptField(label: "host:port", prefill: first)]
        case .holepunch:
            fields = [PromptField(label: "peer host:port", prefill: first),
                      PromptField(label: "referrer host:port", prefill: second)]
        case .filter:
            fields = [PromptField(label: "contains", prefill: first)]
        }
    }

    /// Whether any field shows a mask in place of its pre-filled text.
    public var hasConcealedField: Bool { fields.contains { $0.concealed != nil } }

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
            replaceConcealed()
            edit { field in
                let index = field.text.index(field.text.startIndex, offsetBy: field.cursor)
                field.text.insert(character, at: index)
                field.cursor += 1
            }
        case .backspace:
            if replaceConcealed() { break }
            edit { field in
                guard field.cursor > 0 else { return }
                let index = field.text.index(field.text.startIndex, offsetBy: field.cursor - 1)
                field.text.remove(at: index)
                field.cursor -= 1
            }
        case .delete:
            if replaceConcealed() { break }
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

    /// Editing a masked pre-fill starts the field afresh: the mask is not an address, and the real
    /// text must not appear. Returns whether the field was masked.
    @discardableResult
    private mutating func replaceConcealed() -> Bool {
        guard fields[focusedField].concealed != nil else { return false }
        fields[focusedField].concealed = nil
        fields[focusedField].text = ""
        fields[focusedField].cursor = 0
        return true
    }

    /// Validates every field; on success the value, else the first problem is shown and the cursor
    /// goes to the field that has it.
    private mutating func submit() -> Outcome {
        switch kind {
        case .lookup, .announce, .unannounce:
            switch InputValidation.lookupTarget(fields[0].value) {
            case .success(let target): return .submitted(.target(target))
            case .failure(let problem): error = problem.description
            }
        case .ping:
            switch InputValidation.address(fields[0].value) {
            case .success(let address): return .submitted(.address(address))
            case .failure(let problem): error = problem.description
            }
        case .holepunch:
            if focusedField == 0 && fields[1].value.isEmpty, case .success = InputValidation.address(fields[0].value) {
                focusedField = 1
                error = nil
                return .editing
            }
            let peer = InputValidation.address(fields[0].value)
            let referrer = InputValidation.address(fields[1].value)
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
            return .submitted(.filter(fields[0].value))
        }
        return .editing
    }
}
