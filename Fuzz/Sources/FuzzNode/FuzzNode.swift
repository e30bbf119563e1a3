import DHTMessages
import DHTRPC
import FuzzSupport
import HyperDHT
import IPEncoding
import NetworkSimulation
import UDPRequest

/// The fuzz sources: two global-looking hosts, a LAN host and a carrier-grade-NAT host, so that inputs reach both
/// sides of the forwarding policy.
private let sourceAddresses: [PeerAddress] = [
    PeerAddress(host: IPAddress(11, 0, 0, 1), port: 49737),
    PeerAddress(host: IPAddress(12, 0, 0, 2), port: 3000),
    PeerAddress(host: IPAddress(192, 168, 1, 5), port: 49737),
    PeerAddress(host: IPAddress(100, 64, 0, 9), port: 5000),
]
private let nodeAddress = PeerAddress(host: IPAddress(11, 9, 0, 1), port: 49737)
private let pingerAddress = PeerAddress(host: IPAddress(13, 0, 0, 1), port: 40000)
/// At most this many datagrams per input, each at most `maxDatagram` bytes.
private let maxDatagrams = 64
private let maxDatagram = 2_047

/// A fresh HyperDHT node (fixed seeds: the same input replays the same run) on a simulated network, fed datagrams
/// from the fuzz sources. Input: records of `[control][length: 2 bytes BE][payload]`, where control's bits 0-1
/// pick the source, bit 2 rewrites the payload's header into a response to the last request the node sent that
/// source (so replies reach the node's request table), bit 3 first advances virtual time by (bits 4-7) × 250 ms.
/// Afterwards the node must answer a health `_ping` from a fresh host with that host's address, and its counters
/// must add up: every datagram that reached it was dropped as malformed, handed up as a request, or counted as a
/// matched, unmatched or spoofed response, or dropped by the per-source rate limit.
/// And it must never have sent to an unroutable or loopback host (no source is on loopback): the forwarding
/// policy, both as referrer and as punched peer (found.ping-forwardResponse-to-loopback in the seeds was such a
/// reflection before the punched peer's side of the policy existed).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let network = SimulatedNetwork(seed: 5)
    let scheduler = network.scheduler
    guard let nodeTransport = try? network.bind(host: nodeAddress.host, port: nodeAddress.port),
          let sources = try? sourceAddresses.map({ address throws(SimulationError) in
              try network.bind(host: address.host, port: address.port)
          }),
          let pingerTransport = try? network.bind(host: pingerAddress.host, port: pingerAddress.port)
    else {
        fuzzCheck(false, "the simulated network refused a bind")
        return 0
    }
    let counting = CountingTransport(nodeTransport)
    guard let dht = try? DHTNode(transport: counting, scheduler: scheduler, random: .seeded(7)) else {
        fuzzCheck(false, "the default node configuration was refused")
        return 0
    }
    let node = HyperDHTNode(dht: dht, random: .seeded(8))
    node.start()

    // What the node last sent each source, for the tid rewrite.
    final class LastSent { var datagrams: [[UInt8]?] = Array(repeating: nil, count: 4) }
    let lastSent = LastSent()
    for (index, source) in sources.enumerated() {
        source.setReceiver { datagram, _ in lastSent.datagrams[index] = datagram }
    }

    var sent = 0
    while !input.isAtEnd && sent < maxDatagrams {
        let control = input.byte()
        let length = Int(input.uint16()) & maxDatagram
        var payload = input.bytes(length)
        let index = Int(control & 3)
        if control & 0x08 != 0 {
            _ = scheduler.run(for: .milliseconds(250 * Int(control >> 4)))
        }
        if control & 0x04 != 0, payload.count >= 2, let last = lastSent.datagrams[index], last.count >= 2,
           last[0] & 0x80 != 0 {
            payload[0] = last[0] & 0x7F
            payload[1] = last[1]
        }
        sources[index].send(payload, to: nodeAddress)
        sent += 1
        _ = scheduler.run(for: .milliseconds(1))
    }
    _ = scheduler.run(for: .seconds(3))

    // Health: a fresh host's `_ping` is answered with that host's address.
    let pinger = RequestSocket(transport: pingerTransport, scheduler: scheduler, tids: TransactionIDGenerator(start: 100))
    final class Reply { var value: Result<MatchedResponse, RequestSocketError>? }
    let reply = Reply()
    pinger.request(DhtRpc_Request(command: DhtRpc_Request.pingCommand), to: nodeAddress) { reply.value = $0 }
    _ = scheduler.run(for: .milliseconds(200))
    switch reply.value {
    case .success(let response)?:
        let reported = try? PeerListCodec.ipv4.decodeSingle(response.message.value)
        fuzzCheck(reported == pingerAddress, "the health ping was answered with \(String(describing: reported))")
    case .failure(let error)?:
        fuzzCheck(false, "the health ping failed: \(error)")
    case nil:
        fuzzCheck(false, "the health ping was not answered")
    }

    let snapshot = dht.snapshot()
    let socket = snapshot.socketCounters
    fuzzCheck(socket.datagramsIn == counting.received,
              "datagramsIn \(socket.datagramsIn), delivered \(counting.received)")
    let sorted = socket.malformedDropped + socket.requestsIn + socket.responsesMatched + socket.unmatchedResponses
        + socket.spoofedResponses + socket.rateLimitedDropped
    fuzzCheck(sorted == socket.datagramsIn, "\(socket.datagramsIn) datagrams in, \(sorted) accounted for: \(socket)")
    fuzzCheck(socket.responsesMatched + socket.timeouts <= socket.requestsOut, "more outcomes than requests: \(socket)")
    fuzzCheck(snapshot.routingTable.count <= sent, "\(snapshot.routingTable.count) contacts from \(sent) datagrams")
    fuzzCheck(node.store.count <= sent, "\(node.store.count) stored peers from \(sent) datagrams")
    for host in counting.destinationHosts {
        fuzzCheck(!host.scope.isNeverForwardable && host.scope != .loopback, "the node sent a datagram to \(host)")
    }

    node.close()
    pinger.close()
    for source in sources { source.close() }
    return 0
}
