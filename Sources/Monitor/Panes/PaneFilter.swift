/// A pane's filter (`/`): keeps the rows containing the text (case-insensitive), with their families –
/// a matching row keeps its details (a bucket its contacts, a walk its results), a matching detail
/// keeps the row it belongs to, and a section heading stays only above rows that stay. Nothing kept
/// says so: "no rows match 'X'".
public enum PaneFilter {
    /// What a pane shows when the filter leaves nothing.
    public static func emptyText(_ filter: String) -> String { "no rows match '\(filter)'" }

    /// The rows of `rows` that `filter` keeps, in order.
    public static func apply(_ filter: String, to rows: [PaneRow]) -> [PaneRow] {
        let matches = rows.map { $0.text.localizedCaseInsensitiveContains(filter) }
        var kept = [Bool](repeating: false, count: rows.count)
        var index = 0
        while index < rows.count {
            guard !rows[index].isHeading else {
                index += 1
                continue
            }
            // A family: a row and the details that follow it (a detail with no row above stands alone).
            var end = index + 1
            while end < rows.count && rows[end].isDetail { end += 1 }
            if rows[index].isDetail {  // details with no row above: each by itself
                for member in index..<end where matches[member] { kept[member] = true }
            } else if matches[index] {  // the row matches: all of its details come along
                for member in index..<end { kept[member] = true }
            } else if matches[(index + 1)..<end].contains(true) {  // a detail matches: with its row
                kept[index] = true
                for member in (index + 1)..<end where matches[member] { kept[member] = true }
            }
            index = end
        }
        // A heading stays when a row under it (before the next heading) stays.
        var keepsSection = false
        for index in rows.indices.reversed() {
            if rows[index].isHeading {
                kept[index] = keepsSection
                keepsSection = false
            } else if kept[index] {
                keepsSection = true
            }
        }
        return rows.indices.filter { kept[$0] }.map { rows[$0] }
    }
}
