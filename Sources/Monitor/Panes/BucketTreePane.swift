import KBucket
import UDPRequest

/// The k-bucket tree: one row per bucket, indented by depth along the local id's path (highlighted),
/// with a fill bar; Enter expands a bucket into its contacts (id prefix, address, last seen, RTT).
/// Rows that changed a moment ago flash: a contact's row when it was added or heard from again, its
/// bucket's row when a contact entered or left the bucket.
public enum BucketTreePane: ListPane {
    /// The tree pane.
    public static let id = PaneID.buckets
    /// The deepest indentation drawn; deeper buckets line up at this column.
    static let maxIndent = 16

    /// The tree's rows, every one of them (selection moves and filters use these; frames use
    /// ``visibleContent(_:width:innerHeight:focused:)``).
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        guard let status = context.model.status else {
            return PaneContent(rows: [], emptyText: "waiting for the node…")
        }
        let layout = RowLayout(context, status: status, width: width)
        let rows = (0..<layout.tree.count).map { layout.row(at: $0) }
        return PaneContent(fixedLines: [layout.summary], rows: rows, emptyText: "routing table is empty")
    }

    /// Only the rows a frame shows – the window that keeps the selection in view – so a frame's cost follows the
    /// pane's height, not the table's size. With a filter set, every row is built and filtered as before.
    public static func visibleContent(_ context: RenderContext, width: Int, innerHeight: Int, focused: Bool) -> PaneContent {
        if let filter = context.view.filters[id], !filter.isEmpty {
            return filteredContent(context, width: width)
        }
        guard let status = context.model.status else {
            return PaneContent(rows: [], emptyText: "waiting for the node…")
        }
        let layout = RowLayout(context, status: status, width: width)
        let listHeight = innerHeight - 1  // below the summary line
        let total = layout.tree.count
        let selected = focused ? layout.tree.selectionIndex(of: context.view.selection[id]) : nil
        let offset = min(max(0, (selected ?? 0) - (listHeight - 1)), total)
        let end = min(total, offset + max(0, listHeight))
        let rows = (offset..<end).map { layout.row(at: $0) }
        return PaneContent(fixedLines: [layout.summary], rows: rows, emptyText: "routing table is empty",
                           window: RowWindow(totalRows: total, firstRow: offset, selectedRow: selected))
    }

    /// The rows' keys, read from the tree's row positions: moving the selection formats no row (every row is built
    /// and filtered when a filter is set).
    public static func rowKeys(_ context: RenderContext, width: Int) -> RowKeys {
        if isFiltered(context) { return RowKeys(rows: filteredContent(context, width: width).rows) }
        guard let status = context.model.status else { return RowKeys(rows: []) }
        let tree = BucketTreeRows(buckets: status.buckets, expandedBuckets: context.view.expandedBuckets)
        return RowKeys(count: tree.count, key: { tree.key(at: $0) }, index: { tree.index(of: $0) })
    }

    /// What every row of one frame shares: the ordered tree, the column widths, the recently removed ids.
    private struct RowLayout {
        let context: RenderContext
        let status: NodeStatus
        let tree: BucketTreeRows
        let barWidth: Int
        let labelWidth: Int
        let removed: [NodeID]

        init(_ context: RenderContext, status: NodeStatus, width: Int) {
            self.context = context
            self.status = status
            tree = BucketTreeRows(buckets: status.buckets, expandedBuckets: context.view.expandedBuckets)
            barWidth = min(20, max(6, width / 4))
            labelWidth = max(8, width - barWidth - 8)
            removed = context.model.routingChanges.removed(now: context.now)
        }

        var summary: [Segment] {
            [
                Segment("local "), Segment(String(status.id.hexString.prefix(12)) + "…", .localPath),
                Segment("  \(Formatting.counted(status.contactCount, "contact")) in \(Formatting.counted(status.buckets.count, "bucket"))", .dim),
            ]
        }

        func row(at index: Int) -> PaneRow {
            switch tree.row(at: index) {
            case .bucket(let index):
                let bucket = tree.ordered[index]
                var row = bucketRow(bucket, context: context, labelWidth: labelWidth, barWidth: barWidth, now: status.now)
                if !row.flashes { row.flashes = removed.contains { contains($0, prefix: bucket.prefix) } }
                return row
            case .contact(let bucket, let position):
                return contactRow(tree.contact(bucket: bucket, position: position), context: context,
                                  indent: indent(of: tree.ordered[bucket]), nodeNow: status.now)
            case .empty(let bucket):
                return PaneRow([Segment(String(repeating: " ", count: indent(of: tree.ordered[bucket])) + "│ (empty)", .dim)], isDetail: true)
            }
        }

        private func indent(of bucket: BucketStatus) -> Int {
            min(bucket.depth, maxIndent) + 1
        }
    }

    static func bucketRow(_ bucket: BucketStatus, context: RenderContext, labelWidth: Int, barWidth: Int,
                          now: Timestamp) -> PaneRow {
        let indent = String(repeating: " ", count: max(0, min(bucket.depth - 1, maxIndent)))
        let branch = bucket.containsLocalID ? "└─" : "├─"
        var prefix = bucket.prefix.isEmpty ? "root" : bucket.prefix
        let prefixLimit = max(4, labelWidth - indent.count - 2 - 8)
        if prefix.count > prefixLimit { prefix = "…" + prefix.suffix(prefixLimit - 1) }
        var segments = [Segment(indent), Segment(branch, .localPath)]
        if bucket.containsLocalID || prefix == "root" {
            segments.append(Segment(prefix, .localPath))
            segments.append(Segment(" ◆ us", .localPath))
        } else {
            segments.append(Segment(String(prefix.dropLast()), .localPath))
            segments.append(Segment(String(prefix.suffix(1)), .accent))
        }
        let used = segments.reduce(0) { $0 + DisplayWidth.of($1.text) }
        segments.append(Segment(String(repeating: " ", count: max(1, labelWidth - used))))
        let filled = bucket.capacity > 0 ? min(barWidth, (bucket.contacts.count * barWidth + bucket.capacity - 1) / bucket.capacity) : 0
        segments.append(Segment(String(repeating: "█", count: filled), .barFilled))
        segments.append(Segment(String(repeating: "░", count: barWidth - filled), .barEmpty))
        segments.append(Segment(" " + Formatting.right("\(bucket.contacts.count)/\(bucket.capacity)", 5), .accent))
        let changed = bucket.contacts.contains { context.model.routingChanges.change(of: $0.id, now: context.now) == .added }
        return PaneRow(key: .bucket(bucket.prefix), segments, flashes: changed)
    }

    /// Whether `id` falls in the bucket of bit prefix `prefix` ("" is the root).
    static func contains(_ id: NodeID, prefix: String) -> Bool {
        prefix.enumerated().allSatisfy { id.bit(at: $0.offset) == ($0.element == "1") }
    }

    static func contactRow(_ contact: ContactStatus, context: RenderContext, indent: Int, nodeNow: Timestamp) -> PaneRow {
        let seen = Formatting.duration(nodeNow - contact.lastSeen)
        let rtt = contact.roundTripTime.map { Formatting.duration($0) } ?? "-"
        let segments = [
            Segment(String(repeating: " ", count: indent) + "│ "),
            Segment(String(contact.id.hexString.prefix(8)), .accent),
            Segment(" " + Formatting.fit(context.mask.text(contact.address), 22)),
            Segment(" seen " + Formatting.right(seen, 6), .dim),
            Segment(" rtt " + Formatting.right(rtt, 6)),
        ]
        let flashes = context.model.routingChanges.change(of: contact.id, now: context.now) != nil
        return PaneRow(key: .contact(contact.id.hexString), segments, flashes: flashes, isDetail: true)
    }
}
