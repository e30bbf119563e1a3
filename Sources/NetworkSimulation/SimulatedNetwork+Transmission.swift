import IPEncoding
import UDPRequest

extension SimulatedNetwork {
    /// Carries one datagram from the endpoint bound at `sender`: applies the size limit, the path
    /// policy's outbound translation and the link model, then schedules each surviving copy.
    func transmit(_ datagram: [UInt8], from sender: PeerAddress, to destination: PeerAddress) {
        let now = scheduler.now
        statistics.datagramsSent += 1
        statistics.bytesSent += datagram.count
        func record(_ outcome: SimulationTraceEvent.Outcome, source: PeerAddress) {
            trace?(SimulationTraceEvent(
                time: now, outcome: outcome, sender: sender, source: source,
                destination: destination, payload: datagram))
        }
        guard datagram.count <= maximumDatagramSize else {
            statistics.datagramsOversized += 1
            record(.oversized, source: sender)
            return
        }
        guard let source = pathPolicy.translateOutbound(from: sender, to: destination, at: now) else {
            statistics.datagramsFiltered += 1
            record(.filtered, source: sender)
            return
        }
        let link = conditions(from: sender, to: destination)
        if random.nextBool(probability: link.lossProbability) {
            statistics.datagramsLost += 1
            record(.lost, source: source)
            return
        }
        let copies = random.nextBool(probability: link.duplicationProbability) ? 2 : 1
        if copies == 2 {
            statistics.datagramsDuplicated += 1
            record(.duplicated, source: source)
        }
        for _ in 0..<copies {
            var delay = link.latency.nanosecondsClamped
                &+ random.nextNanoseconds(upTo: link.jitter.nanosecondsClamped)
            if random.nextBool(probability: link.reorderProbability) {
                delay &+= link.reorderDelay.nanosecondsClamped
            }
            scheduler.schedule(at: now + .nanoseconds(delay)) { [weak self] in
                self?.arrive(datagram, sender: sender, source: source, destination: destination)
            }
        }
    }

    /// Delivers one copy that has reached the destination address, after inbound translation.
    private func arrive(_ datagram: [UInt8], sender: PeerAddress, source: PeerAddress, destination: PeerAddress) {
        let now = scheduler.now
        func record(_ outcome: SimulationTraceEvent.Outcome, deliveredTo: PeerAddress? = nil) {
            trace?(SimulationTraceEvent(
                time: now, outcome: outcome, sender: sender, source: source,
                destination: destination, deliveredTo: deliveredTo, payload: datagram))
        }
        guard let target = pathPolicy.translateInbound(from: source, to: destination, at: now) else {
            statistics.datagramsFiltered += 1
            record(.filtered)
            return
        }
        guard let endpoint = endpoints[target], !endpoint.isClosed else {
            statistics.datagramsUndeliverable += 1
            record(.undeliverable)
            return
        }
        statistics.datagramsDelivered += 1
        statistics.bytesDelivered += datagram.count
        record(.delivered, deliveredTo: target)
        endpoint.deliver(datagram, from: source)
    }
}
