import KBucket

/// The rows of the bucket tree as positions only – which bucket, or which contact of which bucket, each row shows –
/// in display order. Building it formats no text and allocates three arrays whatever the table's size, so a frame can
/// find the selection and the scroll offset cheaply and then format only the rows it draws.
struct BucketTreeRows {
    /// What one row shows.
    enum Row: Equatable {
        /// The bucket at this index of ``ordered``.
        case bucket(Int)
        /// A contact of an expanded bucket: the bucket's index, then the contact's position in the bucket's rows
        /// (most recently seen first, the reverse of ``BucketStatus/contacts``).
        case contact(bucket: Int, position: Int)
        /// The "(empty)" line of an expanded bucket without contacts.
        case empty(bucket: Int)
    }

    /// The buckets in display order: off the local path first, by depth; the bucket holding the local id last.
    let ordered: [BucketStatus]
    /// Whether each bucket of ``ordered`` is expanded.
    let expanded: [Bool]
    /// The index of each bucket's own row.
    let starts: [Int]
    /// The number of rows.
    let count: Int

    init(buckets: [BucketStatus], expandedBuckets: Set<String>) {
        ordered = buckets.sorted {
            $0.containsLocalID != $1.containsLocalID ? !$0.containsLocalID : $0.depth < $1.depth
        }
        var expanded: [Bool] = []
        var starts: [Int] = []
        expanded.reserveCapacity(ordered.count)
        starts.reserveCapacity(ordered.count)
        var next = 0
        for bucket in ordered {
            let isExpanded = !expandedBuckets.isEmpty && expandedBuckets.contains(bucket.prefix)
            expanded.append(isExpanded)
            starts.append(next)
            next += 1 + (isExpanded ? max(1, bucket.contacts.count) : 0)
        }
        self.expanded = expanded
        self.starts = starts
        self.count = next
    }

    /// What row `index` (in `0..<count`) shows.
    func row(at index: Int) -> Row {
        // The last bucket whose row is at or before `index`.
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= index { low = middle } else { high = middle - 1 }
        }
        let offset = index - starts[low]
        if offset == 0 { return .bucket(low) }
        return ordered[low].contacts.isEmpty ? .empty(bucket: low) : .contact(bucket: low, position: offset - 1)
    }

    /// The contact a `.contact` row shows.
    func contact(bucket: Int, position: Int) -> ContactStatus {
        let contacts = ordered[bucket].contacts
        return contacts[contacts.count - 1 - position]
    }

    /// The index of the row with `key`, else of the first selectable row – `PaneFrame.selectionIndex` over these
    /// rows, without building them. `nil` only when there are no rows.
    func selectionIndex(of key: RowKey?) -> Int? {
        guard count > 0 else { return nil }
        if let key, let index = index(of: key) { return index }
        return 0  // the first row is a bucket's, and every bucket row is selectable
    }

    /// The index of the first row whose key is `key` (the key ``BucketTreePane`` gives that row), if any.
    func index(of key: RowKey) -> Int? {
        switch key {
        case .bucket(let prefix):
            if let bucket = ordered.firstIndex(where: { $0.prefix == prefix }) { return starts[bucket] }
        case .contact(let hex):
            if let id = try? NodeID(hex: hex), id.hexString == hex, let index = rowIndex(of: id) { return index }
        default:
            break
        }
        return nil
    }

    /// The key ``BucketTreePane`` gives row `index`: a bucket's prefix, a contact's id, none for "(empty)".
    func key(at index: Int) -> RowKey? {
        switch row(at: index) {
        case .bucket(let bucket): .bucket(ordered[bucket].prefix)
        case .contact(let bucket, let position): .contact(contact(bucket: bucket, position: position).id.hexString)
        case .empty: nil
        }
    }

    /// The row of the contact with `id` in the first expanded bucket holding it.
    private func rowIndex(of id: NodeID) -> Int? {
        for bucket in ordered.indices where expanded[bucket] {
            let contacts = ordered[bucket].contacts
            if let slot = contacts.lastIndex(where: { $0.id == id }) {
                return starts[bucket] + 1 + (contacts.count - 1 - slot)
            }
        }
        return nil
    }
}
