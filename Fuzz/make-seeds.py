#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target (Fuzz/Corpus/<target>/) from the captured reference vectors in
Tests/*/Fixtures (copies of ../shared/vectors). Run from anywhere; rerun when the vectors change. Each seed file is
named after its vector and holds the input in the target's format (see each target's doc comment)."""
import json, os, pathlib, shutil

root = pathlib.Path(__file__).resolve().parent.parent
fixtures = root / "Tests"
corpus = root / "Fuzz" / "Corpus"

def load(name):
    for path in sorted(fixtures.glob(f"*/Fixtures/{name}.json")):
        return json.loads(path.read_text())
    raise SystemExit(f"no fixture {name}.json")

seeds = {t: {} for t in ["FuzzDatagramFrame", "FuzzDHTMessages", "FuzzHyperDHTMessages", "FuzzCompactLists", "FuzzNode"]}

def add(target, name, data):
    seeds[target][name] = bytes(data)

def node_record(source, datagram, control_extra=0):
    return bytes([source & 3 | control_extra]) + len(datagram).to_bytes(2, "big") + datagram

# Captured datagrams: whole frames, their bodies, hyperdht values inside, and node-fuzzer records.
flows = {}
for file in ["dht-rpc-messages", "hyperdht-peers", "udp-request-frames"]:
    for vector in load(file)["vectors"]:
        name = f"{file}.{vector['name']}"
        datagram = bytes.fromhex(vector["hex"])
        add("FuzzDatagramFrame", name, datagram)
        is_request = datagram[0] & 0x80 != 0
        add("FuzzDHTMessages", name, bytes([0 if is_request else 1]) + datagram[2:])
        value = vector.get("decoded", {}).get("message", {}).get("value")
        if file == "hyperdht-peers" and value:
            add("FuzzHyperDHTMessages", name, bytes([0 if is_request else 1]) + bytes.fromhex(value))
        if is_request:
            add("FuzzNode", name, node_record(0, datagram))
            flows.setdefault(file, b"")
            flows[file] += node_record(len(flows[file]) % 3, datagram)
        else:
            # A reply: sent as the answer to whatever the node last asked that source (control bit 2).
            add("FuzzNode", name, node_record(0, b"\x80\x01" + bytes.fromhex("0a055f70696e67")) + node_record(0, datagram, 0x04))
for file, records in flows.items():
    add("FuzzNode", f"{file}.all-requests", records)

# protobuf-messages.json: message bodies, framed for the frame fuzzer.
for index, entry in enumerate(load("protobuf-messages")["encode"] + load("protobuf-messages")["decode"]):
    body = bytes.fromhex(entry["hex"])
    name = f"protobuf-messages.{index}"
    kind = entry["message"]
    if kind.startswith("dht-rpc"):
        is_request = kind.endswith("Request")
        add("FuzzDHTMessages", name, bytes([0 if is_request else 1]) + body)
        add("FuzzDatagramFrame", name, (b"\x80\x07" if is_request else b"\x00\x07") + body)
    else:
        add("FuzzHyperDHTMessages", name, bytes([0 if kind.endswith("Request") else 1]) + body)

# ipv4-peers.json: selector 0 (IPv4 peers) or 5 (dht-rpc nodes); localPeers with selector 7 + 192.
peers = load("ipv4-peers")
for vector in peers["vectors"]:
    body = bytes.fromhex(vector["hex"])
    add("FuzzCompactLists", f"ipv4-peers.{vector['name']}", bytes([5 if vector["idLength"] == 32 else 0]) + body)
    if vector["idLength"] == 0 and len(body) >= 6:
        add("FuzzCompactLists", f"ipv4-peers.{vector['name']}.localAddress", bytes([6]) + body[:6])
        add("FuzzCompactLists", f"ipv4-peers.{vector['name']}.ipv6", bytes([0x11]) + body * 3)
for index, vector in enumerate(peers["hyperdhtLocalPeers"]):
    add("FuzzCompactLists", f"ipv4-peers.localPeers.{index}", bytes([0xC7]) + bytes.fromhex(vector["hex"]))

for target, files in seeds.items():
    directory = corpus / target
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    print(f"{target}: {len(files)} seeds, {sum(map(len, files.values()))} bytes")
