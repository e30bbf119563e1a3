/// One cell of a ``ScreenBuffer``: a character and the role that decides its style.
public struct Cell: Equatable, Sendable {
    /// The character shown (a space when blank).
    public var character: Character
    /// What the cell means; the theme maps it to colours.
    public var role: StyleRole
    /// The right half of a wide character drawn in the cell to the left; terminals draw nothing here.
    public var isContinuation: Bool

    /// Creates a cell.
    public init(_ character: Character = " ", role: StyleRole = .text, isContinuation: Bool = false) {
        self.character = character
        self.role = role
        self.isContinuation = isContinuation
    }

    /// A blank cell of `role`.
    public static func blank(_ role: StyleRole = .text) -> Cell { Cell(" ", role: role) }
}

/// The abstract screen the panes render into: a grid of cells, each with a style role. Pure value,
/// so a frame can be compared with the previous one (the terminal redraws only changed cells) and
/// golden-tested as text.
public struct ScreenBuffer: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Cells, row by row.
    public private(set) var cells: [Cell]
    /// Privacy mode: while on, every text put into the buffer has its addresses masked
    /// (``AddressMasking/text(masking:)``), so no pane, overlay or message can show one.
    public var masking = AddressMasking()

    /// A blank buffer of `width` x `height` cells.
    public init(width: Int, height: Int, role: StyleRole = .text) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank(role), count: self.width * self.height)
    }

    /// The whole buffer as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y` (a blank cell outside the buffer).
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank() }
            return cells[y * width + x]
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from column `x` on row `y` in `role`, clipped to `clip` (default: the buffer);
    /// returns the column after the last one written. Wide characters take two cells; one that would
    /// straddle the clip edge is not drawn.
    /// In privacy mode addresses in `text` are masked first, unless `masks` is false (text being
    /// typed, whose cursor counts the typed characters).
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, role: StyleRole, clip: Rect? = nil,
                             masks: Bool = true) -> Int {
        let area = clip ?? bounds
        guard y >= area.y, y < area.maxY, y >= 0, y < height else { return x }
        if masks && masking.isEnabled {
            return put(masking.text(masking: String(text)), x: x, y: y, role: role, clip: clip, masks: false)
        }
        let limit = min(area.maxX, width)
        var column = x
        for character in text {
            let columns = DisplayWidth.of(character)
            if columns == 0 { continue }
            if column + columns > limit { break }
            if column >= area.x && column >= 0 {
                self[column, y] = Cell(character, role: role)
                if columns == 2 { self[column + 1, y] = Cell(" ", role: role, isContinuation: true) }
            }
            column += columns
        }
        return column
    }

    /// Fills `rect` with `character` in `role`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", role: StyleRole) {
        for y in max(0, rect.y)..<min(height, rect.maxY) where rect.x < width {
            for x in max(0, rect.x)..<min(width, rect.maxX) { self[x, y] = Cell(character, role: role) }
        }
    }

    /// Changes the role of every cell in `rect`, keeping the characters (selection bars, flashes).
    public mutating func restyle(_ rect: Rect, role: StyleRole) {
        for y in max(0, rect.y)..<min(height, rect.maxY) where rect.x < width {
            for x in max(0, rect.x)..<min(width, rect.maxX) { cells[y * width + x].role = role }
        }
    }

    /// Draws a box-drawing frame around `rect` with `title` in its top edge.
    public mutating func box(_ rect: Rect, title: String, role: StyleRole, titleRole: StyleRole) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        for x in rect.x + 1..<right {
            self[x, rect.y] = Cell("─", role: role)
            self[x, bottom] = Cell("─", role: role)
        }
        for y in rect.y + 1..<bottom {
            self[rect.x, y] = Cell("│", role: role)
            self[right, y] = Cell("│", role: role)
        }
        self[rect.x, rect.y] = Cell("┌", role: role)
        self[right, rect.y] = Cell("┐", role: role)
        self[rect.x, bottom] = Cell("└", role: role)
        self[right, bottom] = Cell("┘", role: role)
        if !title.isEmpty, rect.width > 4 {
            let clip = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1)
            put(" \(title) ", x: rect.x + 1, y: rect.y, role: titleRole, clip: clip)
        }
    }

    /// The characters, one line per row, trailing blanks trimmed: what golden tests compare.
    public var text: String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for y in 0..<height {
            var line = ""
            for x in 0..<width {
                let cell = cells[y * width + x]
                if !cell.isContinuation { line.append(cell.character) }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The row `y` as text (untrimmed), for assertions.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        return String((0..<width).compactMap { x in cells[y * width + x].isContinuation ? nil : cells[y * width + x].character })
    }

    /// Indices of the cells that differ from `previous` (all of them when the sizes differ): what a
    /// terminal has to redraw.
    public func changedCells(since previous: ScreenBuffer?) -> [Int] {
        guard let previous, previous.width == width, previous.height == height else { return Array(cells.indices) }
        var changed: [Int] = []
        for index in cells.indices where cells[index] != previous.cells[index] { changed.append(index) }
        return changed
    }
}
