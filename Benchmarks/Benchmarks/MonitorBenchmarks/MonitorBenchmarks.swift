// Monitor benchmarks (issue 6, "Benchmark"): the time to render one frame of each view with a 5,000-contact routing
// table (every bucket expanded, every history full), and the cost of one frame's worth of a 10,000 events/s flood
// (1,000 mixed events per 100 ms frame) through the controller.
//
// Baselines, in the same run: the frame budget (the UI loop draws at most 10 frames a second, so one frame has
// 100 ms; every benchmark reports its share of it in ‰) and the cheapest thing a frame must do anyway – create a blank
// ScreenBuffer of the same size and diff it against the previous one (what the terminal does before drawing).
// The process-level CPU figures (idle, and under a real 10,000 `_ping`/s flood) come from `Benchmarks/monitor-cpu`.
//
// Every benchmark runs in a process of its own, and builds its fixture (MonitorFixture) in its setup hook.
//
// Run: cd Benchmarks && swift package --disable-sandbox benchmark --target MonitorBenchmarks
import Benchmark
import Monitor

/// The UI loop's frame interval at its 10 frames a second.
let frameBudget = Duration.milliseconds(100)

/// Per iteration: the measured part's wall time as a share of ``frameBudget``, in per mille.
let budgetMetric = BenchmarkMetric.custom("share of the 100 ms frame budget (‰)", polarity: .prefersSmaller,
                                          useScalingFactor: false)
/// Rows the focused pane had to lay out (the bucket tree's rows are one per bucket and contact).
let rowsMetric = BenchmarkMetric.custom("rows in the focused pane", useScalingFactor: false)

let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, budgetMetric]

/// Nanoseconds of `duration`.
func nanoseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
}

/// `value` with thousands separators: 50000 → "50,000".
func grouped(_ value: Int) -> String {
    let digits = String(value)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return out
}

/// Records `elapsed` as a share of the frame budget.
func recordBudgetShare(_ benchmark: Benchmark, _ elapsed: Duration) {
    benchmark.measurement(budgetMetric, Int((nanoseconds(elapsed) * 1_000 + nanoseconds(frameBudget) / 2) / nanoseconds(frameBudget)))
}

/// What a benchmark renders from; filled by its setup hook.
final class FrameFixture {
    var controller = MonitorController()
    var flood: EventFlood?
    var status: NodeStatus?
    var frame = 0
    var previous: ScreenBuffer?
    var rows = 0
}

/// One frame of `pane` at `width` x `height`: at 160x48 the grid shows every pane with `pane` focused; at 80x24 the
/// compact layout shows `pane` alone.
func frameBenchmark(_ pane: PaneID, width: Int, height: Int, contacts: Int = MonitorFixture.contactCount) {
    let fixture = FrameFixture()
    let layout = width >= MonitorLayout.gridWidth && height >= MonitorLayout.gridHeight ? "grid, focused" : "compact, shown"
    Benchmark(
        "frame \(width)x\(height) (\(layout)): \(pane.rawValue), \(grouped(contacts)) contacts",
        configuration: .init(
            metrics: metrics + [rowsMetric],
            warmupIterations: 3,
            maxDuration: .seconds(3),
            maxIterations: 300,
            setup: {
                fixture.controller = MonitorFixture.controller(focus: pane, contactCount: contacts)
                let context = RenderContext(model: fixture.controller.model, view: fixture.controller.view,
                                            now: MonitorFixture.now)
                fixture.rows = MonitorRenderer.rows(of: pane, context, width: width - 2).count
            }
        )
    ) { benchmark in
        let clock = ContinuousClock()
        let start = clock.now
        let screen = fixture.controller.frame(width: width, height: height, now: MonitorFixture.now)
        let elapsed = clock.now - start
        benchmark.stopMeasurement()
        blackHole(screen)
        recordBudgetShare(benchmark, elapsed)
        benchmark.measurement(rowsMetric, fixture.rows)
    }
}

/// A frame's worth of the flood: the batch the inbox would hand over (1,000 events and a status), applied with
/// `receive`; with `render`, followed by the 160x48 frame (buckets focused) the UI loop draws next.
func floodBenchmark(render: Bool) {
    let fixture = FrameFixture()
    let name = render ? "flood frame: receive 1,000 mixed events + status, then render 160x48, 5,000 contacts"
        : "flood: receive 1,000 mixed events + status (model only), 5,000 contacts"
    Benchmark(
        name,
        configuration: .init(
            metrics: metrics,
            warmupIterations: 3,
            maxDuration: .seconds(3),
            maxIterations: 300,
            setup: {
                fixture.controller = MonitorFixture.controller(focus: .buckets)
                let status = fixture.controller.model.status!
                fixture.status = status
                fixture.flood = EventFlood(contacts: status.buckets.flatMap(\.contacts), activeWalks: 64..<72)
            }
        )
    ) { benchmark in
        fixture.frame += 1
        let now = MonitorFixture.now + frameBudget * fixture.frame
        let batch = fixture.flood!.batch(frame: fixture.frame, now: now, status: fixture.status!)
        let clock = ContinuousClock()
        benchmark.startMeasurement()
        let start = clock.now
        fixture.controller.receive(batch, now: now)
        if render { blackHole(fixture.controller.frame(width: 160, height: 48, now: now)) }
        let elapsed = clock.now - start
        benchmark.stopMeasurement()
        recordBudgetShare(benchmark, elapsed)
    }
}

/// The hand-over in front of `receive`: the session's pump posts each event to the inbox (lock, clock read), the
/// UI loop drains them once per frame.
func inboxBenchmark() {
    let fixture = FrameFixture()
    Benchmark(
        "flood: post 1,000 events to the MonitorInbox, then drain",
        configuration: .init(metrics: metrics, warmupIterations: 3, maxDuration: .seconds(3), maxIterations: 1_000,
                             setup: {
                                 fixture.controller = MonitorFixture.controller(focus: .buckets)
                                 let status = fixture.controller.model.status!
                                 fixture.flood = EventFlood(contacts: status.buckets.flatMap(\.contacts), activeWalks: 64..<72)
                             })
    ) { benchmark in
        let events = fixture.flood!.batches[0]
        let inbox = MonitorInbox()
        let clock = ContinuousClock()
        benchmark.startMeasurement()
        let start = clock.now
        for event in events { inbox.post(event) }
        let batch = inbox.drain()
        let elapsed = clock.now - start
        benchmark.stopMeasurement()
        blackHole(batch)
        recordBudgetShare(benchmark, elapsed)
    }
}

/// One key press that moves the selection in the bucket tree (every bucket expanded, 160x48): down, then up in the
/// next iteration, so the selection stays mid-table. It reads the rows' keys only (`RowKeys`), so its cost should not
/// follow the table's size either.
func selectionMoveBenchmark(contacts: Int) {
    let fixture = FrameFixture()
    Benchmark(
        "key: move the selection in the bucket tree, 160x48, \(grouped(contacts)) contacts",
        configuration: .init(metrics: metrics + [rowsMetric], warmupIterations: 3, maxDuration: .seconds(3),
                             maxIterations: 1_000,
                             setup: {
                                 fixture.controller = MonitorFixture.controller(focus: .buckets, contactCount: contacts)
                                 _ = fixture.controller.frame(width: 160, height: 48, now: MonitorFixture.now)
                                 let context = RenderContext(model: fixture.controller.model, view: fixture.controller.view,
                                                             now: MonitorFixture.now)
                                 fixture.rows = MonitorRenderer.rowKeys(of: .buckets, context, width: 158).count
                             })
    ) { benchmark in
        fixture.frame += 1
        let command: MonitorCommand = fixture.frame.isMultiple(of: 2) ? .selectPrevious : .selectNext
        let clock = ContinuousClock()
        benchmark.startMeasurement()
        let start = clock.now
        blackHole(fixture.controller.perform(command))
        let elapsed = clock.now - start
        benchmark.stopMeasurement()
        recordBudgetShare(benchmark, elapsed)
        benchmark.measurement(rowsMetric, fixture.rows)
    }
}

/// The same-run floor: a blank `width` x `height` ScreenBuffer and its diff against the previous frame's.
func screenBaseline(width: Int, height: Int) {
    let fixture = FrameFixture()
    Benchmark(
        "baseline: blank \(width)x\(height) ScreenBuffer + diff against the previous frame",
        configuration: .init(metrics: metrics, warmupIterations: 3, maxDuration: .seconds(3), maxIterations: 1_000,
                             setup: {
                                 var controller = MonitorFixture.controller(focus: .buckets)
                                 fixture.previous = controller.frame(width: width, height: height, now: MonitorFixture.now)
                             })
    ) { benchmark in
        let clock = ContinuousClock()
        let start = clock.now
        let screen = ScreenBuffer(width: width, height: height)
        let changed = screen.changedCells(since: fixture.previous)
        let elapsed = clock.now - start
        benchmark.stopMeasurement()
        blackHole(changed)
        recordBudgetShare(benchmark, elapsed)
    }
}

let benchmarks: @Sendable () -> Void = {
    screenBaseline(width: 160, height: 48)
    screenBaseline(width: 80, height: 24)
    for pane in PaneID.allCases {
        frameBenchmark(pane, width: 160, height: 48)
        frameBenchmark(pane, width: 80, height: 24)
    }
    // Frame cost against table size: it should follow the rows in view, not the contacts in the table.
    frameBenchmark(.buckets, width: 160, height: 48, contacts: 500)
    frameBenchmark(.buckets, width: 160, height: 48, contacts: 50_000)
    for contacts in [500, MonitorFixture.contactCount, 50_000] { selectionMoveBenchmark(contacts: contacts) }
    inboxBenchmark()
    floodBenchmark(render: false)
    floodBenchmark(render: true)
}
