/// The header band: node id, ready state, uptime and markers (the data's source when it is a replay or
/// a detached node, pause, privacy, theme); local and public address and table
/// size; datagram and byte rates, timeouts, malformed drops, datagrams over the per-source rate
/// limit and refused hole-punch forwards (once there are any), events the monitor had to drop (only
/// after a flood) and a traffic sparkline.
public enum HeaderPane {
    /// Rows the header takes.
    public static let height = 3

    /// Draws the header into `rect` (3 rows).
    public static func draw(_ context: RenderContext, into screen: inout ScreenBuffer, in rect: Rect) {
        screen.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), role: .header)
        let model = context.model
        var line0: [Segment] = [Segment(" hyperdht monitor ", .header)]
        if let status = model.status {
            // A failed bootstrap says so in full; the id is shortened and the uptime left out to make room.
            let failed = model.bootstrapFailed
            line0.append(Segment(" id ", .header))
            line0.append(Segment(String(status.id.hexString.prefix(failed ? 8 : 16)) + "…", .header))
            if failed {
                line0.append(Segment("  ✗ bootstrap failed: no node answered", .bad))
            } else {
                line0.append(Segment(status.isReady ? "  ● ready" : "  ○ bootstrapping", .header))
            }
            if status.ephemeral { line0.append(Segment(" (ephemeral)", .header)) }
            if !failed || rect.width >= 100 { line0.append(Segment("  up " + Formatting.uptime(status.uptime), .header)) }
        } else {
            line0.append(Segment("  starting…", .header))
        }
        PaneFrame.drawSegments(line0, into: &screen, x: rect.x, y: rect.y, clip: rect)
        var markers: [Segment] = []
        if let source = context.view.sourceMarker {
            markers.append(Segment(" \(source.text) ", source.isProblem ? .bad : .marker))
            markers.append(Segment(" ", .header))
        }
        if context.view.isPaused { markers.append(Segment(" PAUSED ", .marker)) }
        if context.view.masking.isEnabled { markers.append(Segment(" PRIVACY ", .marker)) }
        markers.append(Segment(" \(context.view.themeName) ", .header))
        let markerWidth = markers.reduce(0) { $0 + DisplayWidth.of($1.text) }
        PaneFrame.drawSegments(markers, into: &screen, x: rect.maxX - markerWidth, y: rect.y, clip: rect)

        guard let status = model.status else { return }
        let line1: [Segment] = [
            Segment(status.lanAddress == nil ? " local " : " LAN ", .dim),
            Segment(context.mask.text(status.lanAddress ?? status.localAddress)),
            Segment("  public ", .dim), Segment(context.mask.text(model.nat.publicAddress), .accent),
            Segment("  table ", .dim), Segment("\(status.contactCount)", .accent),
            Segment("  inflight ", .dim), Segment("\(status.inflight.count)", .accent),
            Segment("  walks ", .dim), Segment("\(status.activeQueries)", .accent),
        ]
        PaneFrame.drawSegments(line1, into: &screen, x: rect.x, y: rect.y + 1, clip: rect)

        let rates = model.traffic.rates
        let counters = status.socketCounters
        var line2: [Segment] = [
            Segment(" in ", .dim), Segment("\(Formatting.rate(rates.datagramsIn))/s \(Formatting.bytes(rates.bytesIn))/s", .accent),
            Segment("  out ", .dim), Segment("\(Formatting.rate(rates.datagramsOut))/s \(Formatting.bytes(rates.bytesOut))/s", .accent),
            Segment("  timeouts ", .dim),
            Segment("\(Formatting.count(counters.timeouts))", counters.timeouts > 0 ? .warning : .text),
            Segment("  malformed ", .dim),
            Segment("\(Formatting.count(counters.malformedDropped))", counters.malformedDropped > 0 ? .bad : .text),
        ]
        // Abuse counters, shown once there is something to show (a quiet node keeps the line short).
        if counters.rateLimitedDropped > 0 {
            line2 += [Segment("  rate-limited ", .dim), Segment(Formatting.count(counters.rateLimitedDropped), .warning)]
        }
        if status.counters.holepunchForwardsRefused > 0 {
            line2 += [Segment("  fwd refused ", .dim),
                      Segment(Formatting.count(status.counters.holepunchForwardsRefused), .warning)]
        }
        if model.eventsDropped > 0 {  // the monitor fell behind a flood and shed the oldest events
            line2 += [Segment("  events dropped ", .dim), Segment(Formatting.count(model.eventsDropped), .warning)]
        }
        line2.append(Segment("  ", .dim))
        let end = { () -> Int in
            var scratch = ScreenBuffer(width: rect.width, height: 1)
            PaneFrame.drawSegments(line2, into: &scratch, x: 0, y: 0, clip: scratch.bounds)
            return scratch.line(0).reversed().drop { $0 == " " }.count
        }()
        PaneFrame.drawSegments(line2, into: &screen, x: rect.x, y: rect.y + 2, clip: rect)
        let sparkWidth = max(0, min(60, rect.width - end - 3))
        if sparkWidth >= 8 {
            let spark = Sparkline.render(Array(model.traffic.perSecond), width: sparkWidth)
            screen.put(spark, x: rect.maxX - sparkWidth - 1, y: rect.y + 2, role: .sparkline, clip: rect)
        }
    }
}
