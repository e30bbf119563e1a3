#!/usr/bin/env python3
"""Prints scripts/bench's table from the raw results it left in OUT (see scripts/bench).

usage: bench-table.py OUT ROUNDS REFMODE LOAD_BEFORE LOAD_AFTER [BASE]
  REFMODE "live" when a reference copy was measured; BASE the older binary measured as "base" (scripts/bench BASE=)
"""
import json
import re
import statistics
import sys
from pathlib import Path

out, rounds, refmode, load_before, load_after = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
base_binary = sys.argv[6] if len(sys.argv) > 6 else ""

# ../shared/PROTOCOL.md, "Reference figures on this machine", measured on 2026-11-30 with the same C client.
DOC_REFERENCE = {"find_node": 30_500}
DOC_REFERENCE_WIRE = {"ping": (0.5e6, 0.67e6), "response": (0.39e6, 0.48e6)}

rows = []


def fmt_rate(value):
    if value is None:
        return "–"
    if value >= 1e6:
        return f"{value / 1e6:.2f} M"
    if value >= 1e3:
        return f"{value / 1e3:.1f} K"
    return f"{value:.0f}"


def spread(values, formatter):
    """median (min–max, n)"""
    if not values:
        return "–"
    return f"{formatter(statistics.median(values))} ({formatter(min(values))}–{formatter(max(values))}, n={len(values)})"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "–"


def row(measure, ours, reference, ceiling, note=""):
    rows.append((measure, ours, reference, ceiling, note))


# --- UDP ---
udp = {}
results_file = out / "results.jsonl"
if results_file.exists():
    for line in results_file.read_text().splitlines():
        record = json.loads(line)
        udp.setdefault((record["measure"], record["kind"]), []).append(record)

names = {"find_node": "`_find_node` answers/s (20 nodes)", "ping": "`_ping` answers/s", "peers": "`peers` lookup answers/s (20 peers)"}
for measure in ["find_node", "ping", "peers"]:
    ours = udp.get((measure, "ours"), [])
    if not ours:
        continue
    ceiling = udp.get((measure, "ceiling"), [])
    reference = udp.get((measure, "reference"), [])
    ours_rate = [r["result"]["perSec"] for r in ours]
    ceiling_rate = [r["result"]["perSec"] for r in ceiling]
    reference_rate = [r["result"]["perSec"] for r in reference]
    # Ratios per round (same round, same load), then their median.
    by_round = lambda records: {r["round"]: r["result"]["perSec"] for r in records}
    o, c, f = by_round(ours), by_round(ceiling), by_round(reference)
    to_ceiling = [o[k] / c[k] for k in o if k in c and c[k]]
    to_reference = [o[k] / f[k] for k in o if k in f and f[k]]
    if reference_rate:
        reference_text = spread(reference_rate, fmt_rate) + " live"
    elif measure in DOC_REFERENCE:
        reference_text = f"{fmt_rate(DOC_REFERENCE[measure])} doc (29–32 K)"
        to_reference = [x / DOC_REFERENCE[measure] for x in ours_rate]
    else:
        reference_text = "– (no doc figure)"
    size = ours[0]["result"].get("avgBytes")
    row(names[measure] + f", {size:.0f} B" if size else names[measure], spread(ours_rate, fmt_rate), reference_text,
        spread(ceiling_rate, fmt_rate),
        f"÷ref {spread(to_reference, lambda x: f'{x:.2f}×')}; ÷ceiling {spread(to_ceiling, lambda x: f'{x:.2f}')}")
    p99 = [r["result"]["p99ms"] for r in ours]
    p99_ref = [r["result"]["p99ms"] for r in reference]
    p99_ceiling = [r["result"]["p99ms"] for r in ceiling]
    lost = sum(r["result"]["lost"] for r in ours)
    row(f"  p99 latency at {ours[0]['result']['window']} in flight (ms)", spread(p99, lambda x: f"{x:.2f}"),
        spread(p99_ref, lambda x: f"{x:.2f}") + (" live" if p99_ref else (" doc 6.2–8.5" if measure == "find_node" else "")),
        spread(p99_ceiling, lambda x: f"{x:.2f}"), f"lost {lost}")
    base = udp.get((measure, "base"), [])
    if base:
        b = by_round(base)
        to_base = [o[k] / b[k] for k in o if k in b and b[k]]
        base_to_ceiling = [b[k] / c[k] for k in b if k in c and c[k]]
        row(f"  base binary ({base_binary or 'BASE'}): answers/s; p99 ms",
            spread([r["result"]["perSec"] for r in base], fmt_rate) + "; "
            + spread([r["result"]["p99ms"] for r in base], lambda x: f"{x:.2f}"), "–", "–",
            f"ours÷base {spread(to_base, lambda x: f'{x:.2f}×')}; base÷ceiling {spread(base_to_ceiling, lambda x: f'{x:.2f}')}")

# --- package-benchmark text (markdown format) ---


def benchmark_tables(text):
    """{benchmark name: {metric title: {percentile: value}}} from package-benchmark's markdown output."""
    tables = {}
    name = None
    metric = None
    header = None
    for line in text.splitlines():
        m = re.match(r"^### (.+?) metrics", line)
        if m:
            name = m.group(1).strip()
            tables.setdefault(name, {})
            continue
        if name and line.startswith("|") and "p0" in line and "p50" in line:
            cells = [c.strip() for c in line.strip("|").split("|")]
            metric = cells[0]
            header = cells[1:]
            continue
        if name and header and line.startswith("|") and not line.startswith("|:") and not line.startswith("|-"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == len(header) + 1:
                try:
                    values = {h: float(v.replace(",", "").replace("*", "")) for h, v in zip(header, cells[1:]) if v}
                except ValueError:
                    continue
                tables[name][cells[0]] = values
    return tables


def metric(tables, name_part, metric_part, percentile="p50"):
    for name, metrics in tables.items():
        if name_part in name:
            for title, values in metrics.items():
                if metric_part in title and percentile in values:
                    return values[percentile], title
    return None, None


wire_text = (out / "WireBenchmarks.txt").read_text() if (out / "WireBenchmarks.txt").exists() else ""
if wire_text:
    tables = benchmark_tables(wire_text)
    ref_runs = {}
    for path in sorted(out.glob("protobuf-ref-*.txt")):
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[-1].isdigit():
                ref_runs.setdefault(parts[0], []).append(float(parts[-1]))
    for label, swift_name, ref_name, doc in [
        ("Wire `_ping` Request (41 B) encode+decode/s", "Request _ping", "ping_request_41B", DOC_REFERENCE_WIRE["ping"]),
        ("Wire `_find_node` Request (80 B) encode+decode/s", "Request _find_node", "find_node_request_80B", None),
        ("Wire Response 20 nodes (853 B) encode+decode/s", "Response 20 nodes encode+decode (853", "response_20_nodes",
         DOC_REFERENCE_WIRE["response"]),
        ("Wire Response 20 nodes, datagram(header:) path", "Response 20 nodes datagram", "response_20_nodes",
         DOC_REFERENCE_WIRE["response"]),
    ]:
        value, title = metric(tables, swift_name, "Throughput")
        if value is None:
            continue
        scale = 1000 if title and "K" in title else (1e6 if title and "M" in title else 1)
        ours = value * scale
        if ref_name in ref_runs:
            reference = statistics.median(ref_runs[ref_name])
            ref_text = spread(ref_runs[ref_name], fmt_rate) + " live"
        elif doc:
            reference = sum(doc) / 2
            ref_text = f"{fmt_rate(doc[0])}–{fmt_rate(doc[1])} doc"
        else:
            reference, ref_text = None, "–"
        row(label, fmt_rate(ours) + " (p50 of package-benchmark)", ref_text, "–", f"÷ref {ratio(ours, reference)}")

monitor_text = (out / "MonitorBenchmarks.txt").read_text() if (out / "MonitorBenchmarks.txt").exists() else ""
if monitor_text:
    tables = benchmark_tables(monitor_text)
    baseline, _ = metric(tables, "baseline: blank 160x48", "Time (wall clock)")
    baseline_unit = None
    for name, metrics in tables.items():
        if "baseline: blank 160x48" in name:
            baseline_unit = next((t for t in metrics if "wall clock" in t), None)
    for contacts in ["500", "5,000", "50,000"]:
        value, title = metric(tables, f"buckets, {contacts} contacts", "Time (wall clock)")
        if value is None:
            continue
        unit = re.search(r"\((\S+)\)", title).group(1) if title else ""
        base_unit = re.search(r"\((\S+)\)", baseline_unit).group(1) if baseline_unit else unit
        to_us = {"ns": 1e-3, "μs": 1, "us": 1, "ms": 1e3, "s": 1e6}
        ours_us = value * to_us.get(unit, 1)
        base_us = baseline * to_us.get(base_unit, 1) if baseline else None
        row(f"Monitor frame 160x48, buckets focused, {contacts} contacts (µs, p50)", f"{ours_us:.0f} µs",
            "–", f"{base_us:.0f} µs (blank frame + diff)" if base_us else "–",
            f"÷blank {ratio(ours_us, base_us)}; aim ≤ 2,000 µs")
    for contacts in ["500", "5,000", "50,000"]:
        value, title = metric(tables, f"key: move the selection in the bucket tree, 160x48, {contacts} contacts",
                              "Time (wall clock)")
        if value is None:
            continue
        unit = re.search(r"\((\S+)\)", title).group(1) if title else ""
        to_us = {"ns": 1e-3, "μs": 1, "us": 1, "ms": 1e3, "s": 1e6}
        row(f"Monitor key press (select next/previous), buckets, {contacts} contacts (µs, p50)",
            f"{value * to_us.get(unit, 1):.0f} µs", "–", "–", "")

print(f"# scripts/bench – {rounds} round(s); reference column: "
      + ("measured live in the same rounds" if refmode == "live" else "../shared/PROTOCOL.md (doc), no live copy"))
print(f"load before: {load_before.strip()}")
print(f"load after:  {load_after.strip()}")
print()
print("| measure | ours: median (min–max, n) | reference | same-run ceiling | ratios (per round, median (min–max)) |")
print("|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
