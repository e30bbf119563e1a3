import Foundation
import IPEncoding
import KBucket
import UDPRequest

extension DHTNode {
    /// dht-rpc's `_addNode`: every datagram with a valid id adds or refreshes its sender, at the
    /// address it came from, and marks it seen in the current tick.
    ///
    /// A known sender is refreshed in place (``KBucketTree/refresh(_:_:)``: what `add` with the
    /// table's candidate-always-wins arbiter does, without building the candidate and the event).
    func addNode(_ nodeID: NodeID, at address: PeerAddress, roundTripTime: Duration?) {
        guard nodeID != id, !isClosed else { return }
        let now = scheduler.now
        let tick = self.tick
        let sequence = nextContactSequence()
        let known = table.refresh(nodeID) { contact in
            contact = RoutingContact(address: address, lastSeenTick: tick, lastSeen: now, firstSeen: contact.firstSeen,
                                     roundTripTime: roundTripTime ?? contact.roundTripTime, sequence: sequence)
        }
        if known {
            emit(.nodeRefreshed(NodeReference(id: nodeID, address: address)))
            return
        }
        let contact = KBucketContact(id: nodeID, payload: RoutingContact(
            address: address, lastSeenTick: tick, lastSeen: now, firstSeen: now,
            roundTripTime: roundTripTime, sequence: sequence))
        handleTableEvent(table.add(contact))
    }

    /// A contact did not answer a request sent to `address`. A single request (a walk's, an upkeep
    /// ping: one datagram each way, easily lost) only makes it questionable; a background ping that
    /// retransmitted (`retransmitted`) counts one failure more – stale at
    /// ``RoutingContact/staleAfterFailures``, removed at ``DHTNodeConfiguration/maxContactFailures``.
    /// Nothing happens if the table holds it at another address (it moved, and answered from there)
    /// or the node is closed.
    func contactFailed(_ nodeID: NodeID, at address: PeerAddress, retransmitted: Bool = false) {
        guard !isClosed else { return }
        let failures = table.modifyPayload(of: nodeID) { contact -> Int in
            guard contact.address == address else { return 0 }
            contact.failures = retransmitted ? contact.failures + 1 : max(contact.failures, 1)
            return contact.failures
        }
        if let failures, failures >= configuration.maxContactFailures {
            removeNode(nodeID, reason: .unresponsive)
        }
    }

    /// Up to `count` contacts closest to `target` that are not stale, nearest first: what `nodes`
    /// answers list and walks start from.
    func closestLiveContacts(to target: NodeID, count: Int) -> [KBucketContact<RoutingContact>] {
        table.closest(to: target, count: count) { !$0.payload.isStale }
    }

    /// Whether `nodeID` is in the table at `address` and stale: a walk does not ask it.
    func isStaleContact(_ nodeID: NodeID, at address: PeerAddress) -> Bool {
        guard let contact = table.get(nodeID)?.payload else { return false }
        return contact.isStale && contact.address == address
    }

    /// Whether `nodeID` is in the table at `address` and failed to answer a direct request since it
    /// was last heard from: a punch through a referrer cannot help it.
    func isQuestionableContact(_ nodeID: NodeID, at address: PeerAddress) -> Bool {
        guard let contact = table.get(nodeID)?.payload else { return false }
        return contact.isQuestionable && contact.address == address
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
                // To the recent end, as re-adding it would (`old` is the stored contact, unchanged).
                let sequence = nextContactSequence()
                table.refresh(old.id) { $0.sequence = sequence }
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

    /// Every tick (5 s): pings up to ``DHTNodeConfiguration/stalePingsPerTick`` questionable or stale
    /// contacts (an answer revives one, another failure counts toward its removal). Every 8th tick also
    /// pings up to 3 of the least recently seen nodes (1 while more than 2 walks run); one that does not
    /// answer turns questionable.
    func upkeepTick() {
        tick += 1
        // A node whose bootstrap walk got no answer (its requests or the answers lost) has nobody to
        // ask and nobody who knows it: it would stay alone forever. It tries again, once per tick.
        if table.isEmpty, !configuration.bootstrap.isEmpty, bootstrapsRunning == 0 {
            bootstrap()
        }
        pingStaleContacts()
        if isReady { refreshEmptyBuckets(limit: configuration.bucketRefresh.walksPerTick) }
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
                    self?.contactFailed(contact.id, at: contact.payload.address)
                }
            }
        }
    }

    /// The background pings of questionable and stale contacts, longest unheard-from first, at most
    /// ``DHTNodeConfiguration/stalePingsPerTick`` per tick and one per contact at a time. They
    /// retransmit (udp-request's schedule): only a contact silent to all four tries fails again.
    private func pingStaleContacts() {
        guard configuration.stalePingsPerTick > 0 else { return }
        let stale = table.contacts
            .filter { $0.payload.isQuestionable && !stalePinging.contains($0.id) }
            .sorted { ($0.payload.lastSeen, $0.payload.sequence) < ($1.payload.lastSeen, $1.payload.sequence) }
            .prefix(configuration.stalePingsPerTick)
        for contact in stale {
            stalePinging.insert(contact.id)
            stats.upkeepPings += 1
            request(baseRequest(command: "_ping"), to: contact.payload.address, options: .withRetries) { [weak self] result in
                guard let self else { return }
                self.stalePinging.remove(contact.id)
                switch result {
                case .success(let response):
                    // An answer with the contact's id has refreshed it already (addNode); another id
                    // at that address means the contact is gone.
                    if response.message.id != Data(contact.id.wireBytes) {
                        self.contactFailed(contact.id, at: contact.payload.address, retransmitted: true)
                    }
                case .failure(let error):
                    if error.isSilentPeer { self.contactFailed(contact.id, at: contact.payload.address, retransmitted: true) }
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
