/// The monitor's brain, without a terminal or a node: keys become commands, commands change the
/// view or become ``BackendRequest``s, batches from the inbox update the model, and ``frame(width:height:now:)``
/// renders. Everything is synchronous and deterministic, so it is tested by feeding keys and batches.
public struct MonitorController: Sendable {
    /// The live model (always updated, also while paused).
    public private(set) var model = MonitorModel()
    /// The view state.
    public private(set) var view = ViewState()
    /// The theme in use.
    public private(set) var theme: Theme
    /// Whether `q` was pressed.
    public private(set) var shouldQuit = false
    /// The key map.
    public let keyMap: KeyMap
    private let themeLoader: ThemeLoader
    private var frozen: (model: MonitorModel, now: Duration)?
    /// The theme file `t` tried last (it may have been broken and not taken).
    private var themeCyclePosition: String?
    private var lastSize = (width: MonitorLayout.minimumWidth, height: MonitorLayout.minimumHeight)

    /// Creates a controller starting with `theme`; `t` cycles through the themes `themeLoader` finds.
    /// `view` is the starting view state (focus, expanded rows, selections – e.g. for benchmarks that
    /// render a fully expanded table); its theme name is replaced by `theme`'s.
    public init(theme: Theme = .builtInDefault, themeLoader: ThemeLoader = ThemeLoader(searchDirectories: []),
                keyMap: KeyMap = .standard, view: ViewState = ViewState()) {
        self.theme = theme
        self.themeLoader = themeLoader
        self.keyMap = keyMap
        self.view = view
        self.view.themeName = theme.name
    }

    /// Shows `text` on the message line.
    public mutating func show(_ text: String, isError: Bool = false) {
        view.message = (text, isError)
    }

    /// Shows `marker` in the header (`nil`: none) – the backend's ``MonitorBackend/sourceMarker``.
    public mutating func show(marker: SourceMarker?) {
        view.sourceMarker = marker
    }

    // MARK: Input

    /// Applies a key; returns the backend requests it triggers.
    public mutating func handle(_ key: KeyInput) -> [BackendRequest] {
        if key == .resize { return [] }
        if var prompt = view.prompt {
            let outcome = prompt.handle(key)
            view.prompt = prompt
            switch outcome {
            case .editing: return []
            case .cancelled:
                view.prompt = nil
                return []
            case .submitted(let value):
                view.prompt = nil
                return submit(value, kind: prompt.kind)
            }
        }
        guard let command = keyMap.command(for: key) else { return [] }
        if view.showsHelp && command != .quit {
            view.showsHelp = false
            return []
        }
        return perform(command)
    }

    private mutating func submit(_ value: PromptValue, kind: PromptKind) -> [BackendRequest] {
        let request: BackendRequest
        switch (value, kind) {
        case (.filter(let text), .filter(let pane)):
            view.filters[pane] = text.isEmpty ? nil : text
            return []
        case (.target(let target), .announce): request = .announce(target)
        case (.target(let target), .unannounce): request = .unannounce(target)
        case (.target(let target), _): request = .lookup(target)
        case (.address(let address), _): request = .ping(address)
        case (.holepunch(let peer, let referrer), _): request = .holepunch(peer: peer, referrer: referrer)
        case (.filter, _): return []
        }
        show(request.pendingText(mask: view.masking))
        return [request]
    }

    /// Carries out a command.
    public mutating func perform(_ command: MonitorCommand) -> [BackendRequest] {
        switch command {
        case .lookup: view.prompt = Prompt(kind: .lookup)
        case .announce: view.prompt = Prompt(kind: .announce)
        case .unannounce: view.prompt = Prompt(kind: .unannounce)
        case .ping: view.prompt = Prompt(kind: .ping, prefilled: [PromptPrefill(view.selectedPeer, masking: view.masking)])
        case .holepunch:
            view.prompt = Prompt(kind: .holepunch, prefilled: [PromptPrefill(view.selectedPeer, masking: view.masking),
                                                               PromptPrefill(view.selectedReferrer, masking: view.masking)])
        case .rebootstrap:
            show(BackendRequest.bootstrap.pendingText(mask: view.masking))
            return [.bootstrap]
        case .focusNext, .focusPrevious:
            let all = PaneID.allCases
            let index = all.firstIndex(of: view.focus) ?? 0
            view.focus = all[(index + (command == .focusNext ? 1 : all.count - 1)) % all.count]
        case .selectNext: moveSelection(by: 1)
        case .selectPrevious: moveSelection(by: -1)
        case .pageDown: moveSelection(by: max(1, lastSize.height / 2))
        case .pageUp: moveSelection(by: -max(1, lastSize.height / 2))
        case .selectFirst: moveSelection(by: -1_000_000_000)
        case .selectLast: moveSelection(by: 1_000_000_000)
        case .activate: activate()
        case .collapse: collapse()
        case .filter: view.prompt = Prompt(kind: .filter(view.focus), prefill: [view.filters[view.focus] ?? ""])
        case .togglePause:
            view.isPaused.toggle()
            if !view.isPaused { frozen = nil }
        case .togglePrivacy:
            view.masking.isEnabled.toggle()
            show(view.masking.isEnabled ? "privacy mode: addresses are masked" : "privacy mode off")
        case .nextTheme: nextTheme()
        case .toggleHelp: view.showsHelp.toggle()
        case .dismiss:
            view.showsHelp = false
            if view.filters[view.focus] != nil { view.filters[view.focus] = nil } else { view.message = nil }
        case .quit: shouldQuit = true
        }
        return []
    }

    private mutating func nextTheme() {
        let names = themeLoader.availableThemeNames()
        let index = names.firstIndex(of: themeCyclePosition ?? view.themeName).map { ($0 + 1) % names.count } ?? 0
        let (theme, error) = themeLoader.loadOrDefault(names[index])
        themeCyclePosition = names[index]  // a broken file is passed over next time, though its theme is not used
        self.theme = error == nil ? theme : self.theme
        view.themeName = self.theme.name
        if let error { show("kept theme \(self.theme.name): \(error.shortDescription)", isError: true) } else { show("theme \(theme.name)") }
    }

    /// Switches to `theme` (from `--theme`, or after a reload).
    public mutating func use(_ theme: Theme) {
        self.theme = theme
        view.themeName = theme.name
        themeCyclePosition = nil
    }

    // MARK: Selection

    private func displayContext(now: Duration = .zero) -> RenderContext {
        RenderContext(model: frozen?.model ?? model, view: view, now: frozen?.now ?? now)
    }

    /// The focused pane's row keys: a key press looks up keys, it formats no row (see ``RowKeys``).
    private var focusedRowKeys: RowKeys {
        let layout = MonitorLayout(width: lastSize.width, height: lastSize.height, focus: view.focus)
        let width = (layout.panes[view.focus]?.width ?? lastSize.width) - 2
        return MonitorRenderer.rowKeys(of: view.focus, displayContext(now: model.statusAt ?? .zero), width: width)
    }

    private mutating func moveSelection(by delta: Int) {
        let keys = focusedRowKeys
        guard let next = keys.movingSelection(of: view.selection[view.focus], by: delta) else { return }
        view.selection[view.focus] = keys.key(at: next)
        noteSelectedPeer()
    }

    private mutating func activate() {
        let keys = focusedRowKeys
        guard let index = keys.selectionIndex(of: view.selection[view.focus]), let key = keys.key(at: index) else { return }
        view.selection[view.focus] = key
        switch key {
        case .bucket(let prefix):
            if view.expandedBuckets.remove(prefix) == nil { view.expandedBuckets.insert(prefix) }
        case .query(let id):
            if view.expandedQueries.remove(id) == nil { view.expandedQueries.insert(id) }
        case .result:
            noteSelectedPeer()
            if let peer = view.selectedPeer {
                show("selected \(view.masking.text(peer)) – p pings it, h punches it"
                     + (view.selectedReferrer.map { " via \(view.masking.text($0))" } ?? ""))
            }
        default:
            break
        }
    }

    private mutating func collapse() {
        switch view.selection[view.focus] {
        case .bucket(let prefix): view.expandedBuckets.remove(prefix)
        case .contact(let hex):
            if let bucket = model.status?.buckets.first(where: { $0.contacts.contains { $0.id.hexString == hex } }) {
                view.expandedBuckets.remove(bucket.prefix)
                view.selection[view.focus] = .bucket(bucket.prefix)
            }
        case .query(let id): view.expandedQueries.remove(id)
        case .result(let id, _):
            view.expandedQueries.remove(id)
            view.selection[view.focus] = .query(id)
        default: break
        }
    }

    /// A selected query result becomes the `p`/`h` pre-fill. A found peer's referrer is the node that
    /// returned it (it stores the peer's announcement, so the peer talks to it); for a node, another
    /// node that answered the same walk (it knows the neighbourhood).
    private mutating func noteSelectedPeer() {
        guard case .result(let id, let index) = view.selection[view.focus],
              let record = model.queries.all.first(where: { $0.id == id }), index < record.results.count else { return }
        let results = record.results
        let selected = results[index]
        view.selectedPeer = selected.address
        view.selectedReferrer = selected.referrer ?? results.first { entry in
            if case .node(let node) = entry { return node.address != selected.address }
            return false
        }?.address
    }

    // MARK: Data and frames

    /// Applies what the inbox collected, at monitor time `now`.
    public mutating func receive(_ batch: MonitorInbox.Batch, now: Duration) {
        if batch.resetsHistory {  // a replay stepped back: its events rebuild the histories from scratch
            model.resetHistory()
            frozen = nil
        }
        model.apply(batch.events, now: now, dropped: batch.dropped)
        if let status = batch.status { model.apply(status: status, at: now) }
        if let store = batch.store { model.apply(store: store) }
        if let message = batch.messages.last { show(message.text, isError: message.isError) }
        if view.isPaused && frozen == nil { frozen = (model, now) }
    }

    /// Renders a frame for a `width` x `height` terminal at monitor time `now`; while paused, the
    /// data is the copy taken when the pause began.
    public mutating func frame(width: Int, height: Int, now: Duration) -> ScreenBuffer {
        lastSize = (width, height)
        if view.isPaused && frozen == nil { frozen = (model, now) }
        return MonitorRenderer.render(displayContext(now: now), width: width, height: height, keyMap: keyMap)
    }
}
