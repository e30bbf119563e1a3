/// Stored announcements: the keys this node stores, their peers (public and local address, age,
/// time to expiry), and recent lookups. Filled by the HyperDHT layer through
/// ``MonitorBackend/storedAnnouncements()``; until one is attached it says so.
public enum StorePane: ListPane {
    /// The store pane.
    public static let id = PaneID.store
    /// Shown while no HyperDHT store is attached.
    public static let detachedText = "no HyperDHT store attached"

    /// The pane's rows.
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        guard let store = context.model.store else { return PaneContent(rows: [], emptyText: detachedText) }
        var rows: [PaneRow] = []
        if !store.kept.isEmpty {
            rows.append(PaneRow([Segment("── announced by us, kept", .dim)]))
            for kept in store.kept {
                rows.append(PaneRow([
                    Segment(String(kept.key.hexString.prefix(16)) + "…", .accent),
                    Segment("  " + keepAliveText(kept.lastRound), kept.lastRound.map { $0.answered < $0.storingNodes } == true ? .warning : .dim),
                ]))
            }
            rows.append(PaneRow([Segment("── stored here for others", .dim)]))
        }
        for (index, key) in store.keys.enumerated() {
            rows.append(PaneRow(key: .index(index), [
                Segment(String(key.key.hexString.prefix(16)) + "…", .accent),
                Segment("  \(key.peers.count) peer\(key.peers.count == 1 ? "" : "s")", .dim),
            ]))
            for peer in key.peers {
                rows.append(PaneRow([
                    Segment("  " + Formatting.fit(context.mask.text(peer.publicAddress), 20)),
                    Segment(" local " + Formatting.fit(context.mask.text(peer.localAddress), 20), .dim),
                    Segment(" age " + Formatting.right(Formatting.duration(peer.age), 6)),
                    Segment(" expires " + Formatting.right(Formatting.duration(peer.expiresIn), 6),
                            peer.expiresIn < .seconds(60) ? .warning : .text),
                ]))
            }
        }
        if !store.recentLookups.isEmpty {
            rows.append(PaneRow([Segment("── looked up here recently", .dim)]))
            for lookup in store.recentLookups {
                rows.append(PaneRow([
                    Segment(Formatting.right(Formatting.duration(lookup.age), 6) + " ", .dim),
                    Segment(String(lookup.key.hexString.prefix(16)) + "…", .accent),
                    Segment(" by " + context.mask.text(lookup.from)),
                ]))
            }
        }
        return PaneContent(rows: rows, emptyText: "no announcements stored")
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
