import Foundation

/// A colour as a theme names it: the terminal's default, one of the 16 ANSI colours, an index in the
/// 256-colour palette, or an RGB value mapped to the nearest palette entry.
public enum ThemeColor: Equatable, Sendable, Hashable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// A palette index 0–255 (0–15 are the ANSI colours).
    case indexed(UInt8)
    /// An RGB colour (`#rrggbb`).
    case rgb(UInt8, UInt8, UInt8)

    /// The ANSI colour names, in palette order; `bright-` adds 8.
    public static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses `default`, an ANSI name (`red`, `bright-blue`, `gray`), `#rrggbb`, or a decimal index;
    /// `nil` when the text is none of these.
    public init?(parsing text: String) {
        let name = text.lowercased().trimmingCharacters(in: .whitespaces)
        if name == "default" || name == "none" {
            self = .terminalDefault
        } else if let index = Self.names.firstIndex(of: name) {
            self = .indexed(UInt8(index))
        } else if name.hasPrefix("bright-"), let index = Self.names.firstIndex(of: String(name.dropFirst(7))) {
            self = .indexed(UInt8(index + 8))
        } else if name == "gray" || name == "grey" {
            self = .indexed(8)
        } else if name.hasPrefix("#"), name.count == 7, let value = UInt32(name.dropFirst(), radix: 16) {
            self = .rgb(UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
        } else if let index = UInt8(name) {
            self = .indexed(index)
        } else {
            return nil
        }
    }

    /// The palette index to use on a terminal with `colors` colours (256, 16 or 8): -1 for the
    /// terminal's default.
    public func paletteIndex(colors: Int) -> Int {
        switch self {
        case .terminalDefault:
            return -1
        case .indexed(let index):
            if colors >= 256 || Int(index) < min(colors, 16) { return Int(index) }
            if index < 16 { return Int(index) - 8 }  // bright -> base on 8-colour terminals
            return Self.nearestBasic(Self.paletteRGB(index), colors: colors)
        case .rgb(let r, let g, let b):
            if colors >= 256 { return Self.nearest256(r, g, b) }
            return Self.nearestBasic((r, g, b), colors: colors)
        }
    }

    /// The xterm RGB value of palette entry `index`.
    static func paletteRGB(_ index: UInt8) -> (UInt8, UInt8, UInt8) {
        let basic: [(UInt8, UInt8, UInt8)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if index < 16 { return basic[Int(index)] }
        if index >= 232 {
            let level = UInt8(8 + 10 * (Int(index) - 232))
            return (level, level, level)
        }
        let cube = Int(index) - 16
        let steps: [UInt8] = [0, 95, 135, 175, 215, 255]
        return (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
    }

    /// The nearest entry of the 256-colour cube or grey ramp.
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        var best = 16, bestDistance = Int.max
        for index in 16...255 {
            let distance = squaredDistance(paletteRGB(UInt8(index)), (r, g, b))
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }

    /// The nearest of the first `colors` (8 or 16) ANSI colours. With 8 there is no grey, and by
    /// distance a mid grey is nearest to yellow and a dark grey to black (invisible on a dark
    /// terminal): greys become white, or black when nearly black.
    static func nearestBasic(_ rgb: (UInt8, UInt8, UInt8), colors: Int) -> Int {
        let channels = [Int(rgb.0), Int(rgb.1), Int(rgb.2)]
        if colors < 16, channels.max()! - channels.min()! <= 24 {
            return channels.max()! > 64 ? 7 : 0
        }
        var best = 0, bestDistance = Int.max
        for index in 0..<max(1, min(colors, 16)) {
            let distance = squaredDistance(paletteRGB(UInt8(index)), rgb)
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }

    private static func squaredDistance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return dr * dr + dg * dg + db * db
    }
}
