/// Stored announcements: the keys this node stores, their peers (public and local address, age,
/// time to expiry), and recent lookups. Filled by the HyperDHT layer through
/// ``MonitorBackend/storedAnnouncements()``; until one is attached it says so.
public enum StorePane: ListPane {
    /// The store pane.
    public static let id = PaneID.store
    /// Shown while no HyperDHT store is attached.
    public static let detachedText = "no HyperDHT store attached"

    static let emptyText = "no announcements stored"

    /// What one row of the pane shows.
    enum Item {
        case keptHeading
        /// A key we announce and keep alive (index into `kept`).
        case kept(Int)
        case storedHeading
        /// A key stored here (index into `keys`).
        case key(Int)
        /// One peer of a stored key.
        case peer(Int, Int)
        case lookupsHeading
        /// A recent lookup (index into `recentLookups`).
        case lookup(Int)
    }

    /// The pane's rows.
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        guard context.model.store != nil else { return PaneContent(rows: [], emptyText: detachedText) }
        return PaneContent(rows: plan(context, width: width).allRows, emptyText: emptyText)
    }

    /// The rows' keys (see ``ListPane/rowKeys(_:width:)``), no row built unless a filter is set.
    public static func rowKeys(_ context: RenderContext, width: Int) -> RowKeys {
        plannedRowKeys(plan(context, width: width), context, width: width)
    }

    /// Only the rows in view (see ``ListPane/visibleContent(_:width:innerHeight:focused:)``).
    public static func visibleContent(_ context: RenderContext, width: Int, innerHeight: Int, focused: Bool) -> PaneContent {
        guard context.model.store != nil else { return PaneContent(rows: [], emptyText: detachedText) }
        return windowedContent(plan(context, width: width), context, emptyText: emptyText, innerHeight: innerHeight,
                               focused: focused)
    }

    /// Every row but the headings can be selected, so the selection – and with it the scrolling –
    /// reaches every row: the last key's peers and the lookups below the keys too.
    static func plan(_ context: RenderContext, width: Int) -> RowPlan<Item> {
        let store = context.model.store ?? StoreSnapshot(keys: [], recentLookups: [])
        var items: [Item] = []
        if !store.kept.isEmpty {
            items.append(.keptHeading)
            items += store.kept.indices.map { .kept($0) }
            items.append(.storedHeading)
        }
        for (index, key) in store.keys.enumerated() {
            items.append(.key(index))
            items += key.peers.indices.map { .peer(index, $0) }
        }
        if !store.recentLookups.isEmpty {
            items.append(.lookupsHeading)
            items += store.recentLookups.indices.map { .lookup($0) }
        }
        return RowPlan(items: items, key: { item in
            switch item {
            case .keptHeading, .storedHeading, .lookupsHeading: nil
            case .kept(let index): .stored("kept \(store.kept[index].key.hexString)")
            case .key(let index): .stored("key \(store.keys[index].key.hexString)")
            case .peer(let index, let slot):
                .stored("peer \(store.keys[index].key.hexString) \(store.keys[index].peers[slot].publicAddress) \(slot)")
            case .lookup(let index): .stored("lookup \(index)")
            }
        }, build: { item in
            switch item {
            case .keptHeading:
                return PaneRow([Segment("── announced by us, kept", .dim)])
            case .kept(let index):
                let kept = store.kept[index]
                return PaneRow(key: .stored("kept \(kept.key.hexString)"), [
                    Segment(String(kept.key.hexString.prefix(16)) + "…", .accent),
                    Segment("  " + keepAliveText(kept.lastRound), kept.lastRound.map { $0.answered < $0.storingNodes } == true ? .warning : .dim),
                ])
            case .storedHeading:
                return PaneRow([Segment("── stored here for others", .dim)])
            case .key(let index):
                let key = store.keys[index]
                return PaneRow(key: .stored("key \(key.key.hexString)"), [
                    Segment(String(key.key.hexString.prefix(16)) + "…", .accent),
                    Segment("  \(key.peers.count) peer\(key.peers.count == 1 ? "" : "s")", .dim),
                ])
            case .peer(let index, let slot):
                let peer = store.keys[index].peers[slot]
                return PaneRow(key: .stored("peer \(store.keys[index].key.hexString) \(peer.publicAddress) \(slot)"),
                               peerSegments(peer, context: context, width: width), isDetail: true)
            case .lookupsHeading:
                return PaneRow([Segment("── looked up here recently", .dim)])
            case .lookup(let index):
                let lookup = store.recentLookups[index]
                return PaneRow(key: .stored("lookup \(index)"), [
                    Segment(Formatting.right(Formatting.duration(lookup.age), 6) + " ", .dim),
                    Segment(String(lookup.key.hexString.prefix(16)) + "…", .accent),
                    Segment(" by " + context.mask.text(lookup.from)),
                ])
            }
        })
    }

    /// A stored peer's row, fitted to `width`: the public address, age and time to expiry always; the
    /// local address when there is room for it; labels shortened before anything is cut.
    static func peerSegments(_ peer: AnnouncedPeer, context: RenderContext, width: Int) -> [Segment] {
        let expires = Segment(Formatting.right(Formatting.duration(peer.expiresIn), 6),
                              peer.expiresIn < .seconds(60) ? .warning : .text)
        let public_ = Segment("  " + Formatting.fit(context.mask.text(peer.publicAddress), 20))
        let local = Segment(" local " + Formatting.fit(context.mask.text(peer.localAddress), 20), .dim)
        let age = Formatting.right(Formatting.duration(peer.age), 6)
        // 22 + 27 + 10 + 15 columns in full; without the local address 47; short labels 39; then the
        // address gives way to the expiry.
        if width >= 74 {
            return [public_, local, Segment(" age " + age), Segment(" expires ", .text), expires]
        }
        if width >= 47 { return [public_, Segment(" age " + age), Segment(" expires "), expires] }
        if width >= 39 { return [public_, Segment(" " + age, .dim), Segment(" exp"), expires] }
        return [Segment("  " + Formatting.fit(context.mask.text(peer.publicAddress), max(4, width - 13))), Segment(" exp "), expires]
    }

    /// One line on a kept key's keep-alive pings.
    static func keepAliveText(_ round: KeepAliveRound?) -> String {
        guard let round else { return "keep-alive: first round pending" }
        let nat = round.behindNAT.map { $0 ? "behind NAT" : "no NAT" } ?? "NAT ?"
        let schedule = round.interval.map { "every \(Formatting.duration($0))" } ?? "paused (no NAT)"
        return "keep-alive \(schedule): \(round.answered)/\(round.storingNodes) storing nodes answered "
            + "\(Formatting.duration(round.age)) ago (\(nat))"
    }
}
