/// Composes a frame: header, panes (each from its own file), footer, and the help or prompt overlay.
/// Pure: the same model, view and time give the same ``ScreenBuffer``.
public enum MonitorRenderer {
    /// The renderer of each list pane.
    public static func listPane(_ pane: PaneID) -> any ListPane.Type {
        switch pane {
        case .buckets: BucketTreePane.self
        case .inflight: InflightPane.self
        case .queries: QueriesPane.self
        case .holepunch: HolepunchPane.self
        case .nat: NATPane.self
        case .store: StorePane.self
        }
    }

    /// Renders a `width` x `height` frame.
    public static func render(_ context: RenderContext, width: Int, height: Int, keyMap: KeyMap = .standard) -> ScreenBuffer {
        var screen = ScreenBuffer(width: width, height: height)
        screen.masking = context.view.masking  // every text drawn below, error messages included
        let layout = MonitorLayout(width: width, height: height, focus: context.view.focus)
        if layout.isTooSmall {
            let text = "terminal too small: \(width)x\(height), the monitor needs \(MonitorLayout.minimumWidth)x\(MonitorLayout.minimumHeight)"
            screen.put(text, x: 0, y: height / 2, role: .bad)
            screen.put("enlarge the window, or q to quit", x: 0, y: height / 2 + 1, role: .dim)
            return screen
        }
        HeaderPane.draw(context, into: &screen, in: layout.header)
        if let tabs = layout.tabs { FooterPane.drawTabs(context, into: &screen, in: tabs) }
        for pane in PaneID.allCases {
            guard let rect = layout.panes[pane] else { continue }
            let content = listPane(pane).visibleContent(context, width: rect.width - 2, innerHeight: rect.height - 2,
                                                        focused: pane == context.view.focus)
            PaneFrame.draw(content, pane: pane, context: context, focused: pane == context.view.focus,
                           into: &screen, in: rect)
        }
        FooterPane.draw(context, into: &screen, in: layout.footer)
        if context.view.showsHelp { HelpOverlay.draw(keyMap: keyMap, into: &screen, in: screen.bounds) }
        if let prompt = context.view.prompt { PromptOverlay.draw(prompt, into: &screen, in: screen.bounds) }
        return screen
    }

    /// The keys of `pane`'s rows as they are drawn now, none of the rows formatted where the pane can avoid it (for
    /// moving the selection).
    public static func rowKeys(of pane: PaneID, _ context: RenderContext, width: Int) -> RowKeys {
        listPane(pane).rowKeys(context, width: width)
    }

    /// The rows of `pane` as they are drawn now (filtered, every row built).
    public static func rows(of pane: PaneID, _ context: RenderContext, width: Int) -> [PaneRow] {
        listPane(pane).filteredContent(context, width: width).rows
    }
}
