/// Post-processing of the registry's text: the swift-metrics factory registers metrics without help
/// text, and the registry emits families (and the series of a family) in no fixed order. This adds
/// each family's `# HELP` line and sorts the families by name and their series by label set, so
/// scrapes read the same from one to the next.
enum PrometheusText {
    /// `text` (families, each starting with its `# TYPE` line) with help lines added from `help`, the
    /// families sorted by name and each family's series by label set.
    static func withHelp(_ text: String, help: [String: String]) -> String {
        var families: [(name: String, lines: [Substring])] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# TYPE ") {
                let name = line.dropFirst("# TYPE ".count).split(separator: " ").first.map(String.init) ?? ""
                families.append((name, [line]))
            } else if line.hasPrefix("# HELP ") {
                continue  // replaced by ours
            } else if !families.isEmpty {
                families[families.count - 1].lines.append(line)
            }
        }
        var output = ""
        for family in families.sorted(by: { $0.name < $1.name }) {
            if let text = help[family.name] { output += "# HELP \(family.name) \(text)\n" }
            output += family.lines[0] + "\n"
            // The series by label set (a histogram's buckets, sum and count stay together, in order).
            let series = family.lines.dropFirst().enumerated().sorted { a, b in
                let (keyA, keyB) = (seriesKey(a.element), seriesKey(b.element))
                return keyA != keyB ? keyA < keyB : a.offset < b.offset
            }
            for line in series { output += line.element + "\n" }
        }
        return output
    }

    /// A sample line's label set without its `le` label: what orders the series of a family.
    static func seriesKey(_ line: Substring) -> String {
        guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else { return "" }
        return line[open...close].split(separator: ",").filter { !$0.hasPrefix("le=") }.joined(separator: ",")
    }
}
