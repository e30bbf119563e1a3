/// Short, fixed-width renderings of times, sizes and rates for the panes.
public enum Formatting {
    /// `0.4ms`, `12ms`, `1.3s`, `2m05s`, `3h02m`, `4d05h`.
    public static func duration(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let totalMilliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        if totalMilliseconds < 0 { return "0ms" }
        if totalMilliseconds < 10 { return "\(fixed(totalMilliseconds, 1))ms" }
        if totalMilliseconds < 1000 { return "\(Int(totalMilliseconds))ms" }
        if seconds < 60 { return "\(fixed(totalMilliseconds / 1000, 1))s" }
        if seconds < 3600 { return "\(seconds / 60)m\(pad2(seconds % 60))s" }
        if seconds < 86_400 { return "\(seconds / 3600)h\(pad2((seconds % 3600) / 60))m" }
        return "\(seconds / 86_400)d\(pad2((seconds % 86_400) / 3600))h"
    }

    /// A step's offset in a timeline: like ``duration(_:)``, but a step under a millisecond shows its
    /// hundredths (`0.34ms`), so sub-millisecond steps on a fast link do not all read `0.0ms`.
    public static func stepOffset(_ offset: Duration) -> String {
        let (seconds, attoseconds) = offset.components
        let totalMilliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        guard totalMilliseconds > 0, totalMilliseconds < 1 else { return duration(offset) }
        return "\(fixed(totalMilliseconds, 2))ms"
    }

    /// Uptime as `hh:mm:ss` (or `Nd hh:mm:ss`).
    public static func uptime(_ duration: Duration) -> String {
        let seconds = max(0, duration.components.seconds)
        let clock = "\(pad2(seconds / 3600 % 24)):\(pad2(seconds / 60 % 60)):\(pad2(seconds % 60))"
        return seconds >= 86_400 ? "\(seconds / 86_400)d \(clock)" : clock
    }

    /// A count per second: `0`, `12`, `1.2k`, `3.4M`.
    public static func rate(_ value: Double) -> String {
        if value < 0.05 { return "0" }
        if value < 10 { return fixed(value, 1) }
        if value < 1000 { return "\(Int(value.rounded()))" }
        if value < 1_000_000 { return "\(fixed(value / 1000, 1))k" }
        return "\(fixed(value / 1_000_000, 1))M"
    }

    /// Bytes: `512B`, `1.5K`, `2.0M`, `3.1G`.
    public static func bytes(_ value: Double) -> String {
        if value < 1024 { return "\(Int(value.rounded()))B" }
        if value < 1024 * 1024 { return "\(fixed(value / 1024, 1))K" }
        if value < 1024 * 1024 * 1024 { return "\(fixed(value / 1024 / 1024, 1))M" }
        return "\(fixed(value / 1024 / 1024 / 1024, 1))G"
    }

    /// A large count: `987`, `12.3k`, `4.5M`.
    public static func count(_ value: Int) -> String {
        value < 10_000 ? "\(value)" : rate(Double(value))
    }

    /// `text` cut or padded to exactly `width` columns (cut text ends in `…`).
    public static func fit(_ text: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        let columns = DisplayWidth.of(text)
        if columns <= width { return text + String(repeating: " ", count: width - columns) }
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…" + String(repeating: " ", count: max(0, width - 1 - used))
    }

    /// `text` right-aligned in `width` columns.
    public static func right(_ text: String, _ width: Int) -> String {
        let columns = DisplayWidth.of(text)
        return columns >= width ? fit(text, width) : String(repeating: " ", count: width - columns) + text
    }

    /// `count` and `noun`, plural unless the count is one: "1 peer", "2 peers", "0 nodes".
    public static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// `value` with `digits` decimals.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        if digits == 0 { return "\(scaled)" }
        let whole = scaled / Int(scale), fraction = abs(scaled % Int(scale))
        var fractionText = "\(fraction)"
        while fractionText.count < digits { fractionText = "0" + fractionText }
        return "\(whole).\(fractionText)"
    }

    private static func pad2(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
