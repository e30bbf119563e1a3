import IPEncoding
import KBucket
import UDPRequest

extension DHTNode {
    /// dht-rpc's `_addNode`: every datagram with a valid id adds or refreshes its sender, at the
    /// address it came from, and marks it seen in the current tick.
    func addNode(_ nodeID: NodeID, at address: PeerAddress, roundTripTime: Duration?) {
        guard nodeID != id, !isClosed else { return }
        let now = scheduler.now
        let existing = table.get(nodeID)?.payload
        let contact = KBucketContact(id: nodeID, payload: RoutingContact(
            address: address, lastSeenTick: tick, lastSeen: now, firstSeen: existing?.firstSeen ?? now,
            roundTripTime: roundTripTime ?? existing?.roundTripTime, sequence: nextContactSequence()))
        handleTableEvent(table.add(contact))
    }

    /// Does nothing once the node is closed: pings that fail because we closed say nothing about the contact.
    func removeNode(_ nodeID: NodeID, reason: NodeRemovalReason) {
        guard !isClosed, case .removed(let contact)? = table.remove(nodeID) else { return }
        stats.nodesRemoved += 1
        emit(.nodeRemoved(NodeReference(id: contact.id, address: contact.payload.address), reason: reason))
    }

    private func handleTableEvent(_ event: KBucketEvent<RoutingContact>?) {
        switch event {
        case .added(let contact)?:
            stats.nodesAdded += 1
            emit(.nodeAdded(NodeReference(id: contact.id, address: contact.payload.address)))
        case .updated(_, let contact)?:
            emit(.nodeRefreshed(NodeReference(id: contact.id, address: contact.payload.address)))
        case .ping(let oldContacts, let newContact)?:
            bucketIsFull(oldContacts: oldContacts, newContact: newContact)
        case .removed, nil:
            break
        }
    }

    /// dht-rpc's `_onnodeping`: ignored until the first bootstrap ends; contacts heard from in the
    /// last few ticks stay (and move to the recent end); the others are pinged one at a time, and
    /// the first that fails is removed to make room for the newcomer.
    private func bucketIsFull(oldContacts: [KBucketContact<RoutingContact>], newContact: KBucketContact<RoutingContact>) {
        guard isReady else { return }
        var stale: [KBucketContact<RoutingContact>] = []
        for old in oldContacts {
            if tick - old.payload.lastSeenTick < configuration.freshTicks {
                var refreshed = old
                refreshed.payload.sequence = nextContactSequence()
                _ = table.add(refreshed)
            } else if !repingingContains(old.id) {
                stale.append(old)
            }
        }
        guard !stale.isEmpty else { return }
        for old in stale { markRepinging(old.id, true) }
        repingNext(stale[...], newContact: newContact)
    }

    private func repingNext(_ remaining: ArraySlice<KBucketContact<RoutingContact>>, newContact: KBucketContact<RoutingContact>) {
        guard let next = remaining.first else { return }
        request(baseRequest(command: "_ping"), to: next.payload.address) { [weak self] result in
            guard let self else { return }
            self.markRepinging(next.id, false)
            switch result {
            case .success:
                self.repingNext(remaining.dropFirst(), newContact: newContact)
            case .failure(let error):
                for rest in remaining.dropFirst() { self.markRepinging(rest.id, false) }
                // Our own trouble (queue full, closing) gives no verdict on the contact.
                guard error.isSilentPeer else { return }
                self.removeNode(next.id, reason: .replaced)
                self.addNode(newContact.id, at: newContact.payload.address, roundTripTime: newContact.payload.roundTripTime)
            }
        }
    }

    /// Every tick (5 s); every 8th tick pings up to 3 of the least recently seen nodes (1 while more
    /// than 2 walks run), and removes each one that does not answer.
    func upkeepTick() {
        tick += 1
        guard tick % configuration.pingEveryTicks == 0 else { return }
        let budget = activeWalkCount > 2 ? 1 : 3
        let oldest = table.allContacts()
            .filter { tick - $0.payload.lastSeenTick >= configuration.freshTicks }
            .sorted { ($0.payload.lastSeenTick, $0.payload.sequence) < ($1.payload.lastSeenTick, $1.payload.sequence) }
            .prefix(budget)
        for contact in oldest {
            stats.upkeepPings += 1
            request(baseRequest(command: "_ping"), to: contact.payload.address) { [weak self] result in
                if case .failure(let error) = result, error.isSilentPeer {
                    self?.removeNode(contact.id, reason: .unresponsive)
                }
            }
        }
    }
}

extension DHTNode {
    func nextContactSequence() -> UInt64 {
        contactSequence += 1
        return contactSequence
    }

    fileprivate func repingingContains(_ nodeID: NodeID) -> Bool { repinging.contains(nodeID) }

    fileprivate func markRepinging(_ nodeID: NodeID, _ active: Bool) {
        if active { repinging.insert(nodeID) } else { repinging.remove(nodeID) }
    }
}

extension KBucketTree {
    /// Every contact, bucket by bucket.
    func allContacts() -> [Contact] {
        snapshot().buckets.flatMap(\.contacts)
    }
}
