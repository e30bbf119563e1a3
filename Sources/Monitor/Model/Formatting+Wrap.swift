extension Formatting {
    /// `text` broken into lines of at most `width` columns at spaces; a word longer than a line is
    /// cut across lines. Always at least one line.
    public static func wrap(_ text: String, _ width: Int) -> [String] {
        guard width > 0 else { return [text] }
        var lines: [String] = []
        var line = "", used = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            var columns = DisplayWidth.of(word)
            if used > 0, used + 1 + columns <= width {
                line += " " + word
                used += 1 + columns
                continue
            }
            if used > 0 {
                lines.append(line)
                line = ""
                used = 0
            }
            while columns > width {
                var head = "", headColumns = 0
                while let character = word.first, headColumns + DisplayWidth.of(character) <= width {
                    head.append(character)
                    headColumns += DisplayWidth.of(character)
                    word = word.dropFirst()
                }
                if head.isEmpty { break }  // a character wider than the line: keep it whole
                lines.append(head)
                columns = DisplayWidth.of(word)
            }
            line = String(word)
            used = columns
        }
        if used > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }
}
