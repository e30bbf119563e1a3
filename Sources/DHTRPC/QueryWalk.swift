import DHTMessages
import Foundation
import IPEncoding
import KBucket
import UDPRequest

/// One iterative Kademlia walk (dht-rpc's query-stream, made to move on past silent nodes).
///
/// It keeps its candidates sorted by exact XOR distance and asks the closest not yet asked among the
/// k closest still in the running (not failed, not overdue), as many at a time as the concurrency
/// allows, adding the nodes each answer returns. A request unanswered at its soft deadline (a few
/// smoothed round trips, ``RoundTripEstimator``) stops holding the walk: its candidate drops out of
/// the running, so the next one is asked; a late answer is still taken while the walk runs. For a node
/// learned through a referrer the soft deadline is also when a hole punch through the referrer may
/// start – unless the node is known to be gone or could not enter the k closest anyway. The walk ends
/// once nothing among the k closest in the running is waiting or within its soft deadline: the k
/// closest answered nodes are known and no closer candidate is pending. An update then sends the query
/// again, with each node's token, to the k closest that answered (the commit pass).
///
/// A walk that asks given nodes (``QueryOptions/nodes``) or retransmits (``RequestOptions/retry``)
/// waits for every request to end, as dht-rpc does: its caller wants each answer, or chose to recover
/// lost datagrams at the price of time.
final class QueryWalk {
    let id: QueryID
    let query: DHTQuery
    let options: QueryOptions
    var concurrency: Int
    let startedAt: Timestamp
    private unowned let node: DHTNode
    private let onResult: (QueryResult) -> Void
    private let onFinish: (QuerySummary) -> Void

    /// Requests (and punches) of one kind still running, and how many of them are within their soft deadline.
    private struct Tally {
        var running = 0
        var timely = 0
    }

    /// A node the walk may ask, with what it learned about it.
    private struct Candidate {
        let serial: Int
        var reference: NodeReference
        var distance: XORDistance
        var referrer: PeerAddress?
        var hop: Int
        var asked = false
        var answered = false
        var punched = false
        var tally = Tally()

    }

    /// A node that answered with a round-trip token, for the commit pass.
    private struct Answered {
        var reference: NodeReference
        var distance: XORDistance
        var token: Data
        var queried = false
    }

    /// Which tally a request counts in.
    private enum Slot {
        case candidate(Int)
        case anonymous
        case commit
    }

    private var candidates: [Candidate] = []
    private var closest: [Answered] = []
    private var anonymous = Tally()
    private var commitTally = Tally()
    private let k: Int
    private let moveCloser: Bool
    /// Whether overdue requests stop holding the walk (not for given nodes, nor with retransmissions).
    private let abandonsOverdue: Bool
    private let requestOptions: RequestOptions
    /// Candidates kept (the closest); farther ones could only be asked after this many closer ones failed.
    private let candidateCap: Int
    /// The most requests one walk sends (malicious answers could otherwise feed it closer ids forever).
    private let maxRequests: Int
    private var nextSerial = 0
    private var seeded = false
    private var committing = false
    private var finished = false
    private(set) var inflight = 0
    private var timely = 0
    private var requestsSent = 0
    private var responses = 0
    private var answeredCandidates = 0
    private var errors = 0
    private var commits = 0
    private var hops = 0
    private var closestPrefix = 0

    init(id: QueryID, query: DHTQuery, options: QueryOptions, node: DHTNode,
         onResult: @escaping (QueryResult) -> Void, onFinish: @escaping (QuerySummary) -> Void) {
        self.id = id
        self.query = query
        self.options = options
        self.node = node
        self.concurrency = options.concurrency ?? node.configuration.concurrency
        self.startedAt = node.scheduler.now
        self.onResult = onResult
        self.onFinish = onFinish
        requestOptions = options.requestOptions ?? node.configuration.walkRequestOptions
        if options.nodes != nil {
            k = .max
            moveCloser = false
            candidateCap = .max
            maxRequests = .max
            seeded = true
        } else {
            k = node.configuration.k
            moveCloser = true
            candidateCap = node.configuration.k * 4
            maxRequests = node.configuration.k * 20
        }
        abandonsOverdue = moveCloser && !requestOptions.retry
        if let nodes = options.nodes {
            for reference in nodes {
                let id = reference.id ?? NodeID([UInt8](repeating: 0, count: DHTNode.idLength))
                candidates.append(Candidate(serial: takeSerial(), reference: reference,
                                            distance: id.distance(to: query.target), hop: 1))
            }
        }
    }

    /// Sends what can be sent; ends the walk (or starts the commit pass) when nothing is left.
    func advance() {
        guard !finished else { return }
        if committing {
            if sendCommits() { return }
            finish(error: nil)
            return
        }
        if !seeded { seed() }
        if stepWalk() { return }
        if options.isUpdate {
            committing = true
            if sendCommits() { return }
        }
        finish(error: nil)
    }

    /// Ends the walk now (the node is closing).
    func cancel() {
        finish(error: .closed)
    }

    // MARK: - Sending

    private func takeSerial() -> Int {
        nextSerial += 1
        return nextSerial
    }

    private func seed() {
        seeded = true
        // Twice k: the farther half is asked only in place of closer ones that fail or are overdue –
        // right after nodes left, the others' answers still name the dead, and only our own table
        // can name the live nodes beyond them.
        var contacts = node.closestLiveContacts(to: query.target, count: 2 * k)
        if contacts.isEmpty { contacts = node.table.closest(to: query.target, count: k) }
        for contact in contacts {
            addCandidate(NodeReference(id: contact.id, address: contact.payload.address), referrer: nil, hop: 1)
        }
        if min(contacts.count, k) < node.configuration.bootstrap.count {
            for address in node.configuration.bootstrap {
                send(to: NodeReference(id: nil, address: address), slot: .anonymous, token: nil, hop: 1)
            }
        }
    }

    /// Free request slots for this walk (at least one while it has nothing of its own within its deadline).
    private func freeSlots(ownTimely: Int) -> Int {
        let free = max(0, concurrency - node.busySlots)
        return free == 0 && ownTimely == 0 ? 1 : free
    }

    /// Asks the closest unasked candidates among the k closest in the running (answered, unasked, or
    /// within their soft deadline); whether the walk phase goes on: something was sent, something among
    /// the k closest is still timely, or – before k have answered – anything is still in flight.
    private func stepWalk() -> Bool {
        let free = freeSlots(ownTimely: timely)
        // With fewer than half of k answers the walk may be on slow links (the soft deadline comes from
        // round trips to other nodes): it waits for overdue requests too. With at least half, silent
        // nodes are most likely gone – right after nodes leave, the others' answers still name them,
        // so k live answers may not be reachable at all.
        let abandoning = abandonsOverdue && answeredCandidates >= max(1, k / 2)
        var rank = 0
        var toAsk: [Int] = []
        var blocking = abandoning ? anonymous.timely : anonymous.running
        if !abandoning && inflight - commitTally.running > 0 { blocking += 1 }
        for index in candidates.indices {
            guard rank < k else { break }
            let candidate = candidates[index]
            if candidate.answered {
                rank += 1
            } else if !candidate.asked {
                guard requestsSent + toAsk.count < maxRequests else { continue }
                rank += 1
                if toAsk.count < free { toAsk.append(index) } else { blocking += 1 }
            } else if candidate.tally.timely > 0 {
                rank += 1
                blocking += 1
            }
            // Overdue: out of the ranking, so the next candidate is asked; while the walk still waits
            // for overdue requests (`!abandoning`), `inflight` holds it open.
        }
        for index in toAsk {
            candidates[index].asked = true
            let candidate = candidates[index]
            send(to: candidate.reference, slot: .candidate(candidate.serial), token: nil, hop: candidate.hop)
        }
        return !toAsk.isEmpty || blocking > 0
    }

    /// Sends the commit requests there are slots for; whether the commit pass goes on.
    private func sendCommits() -> Bool {
        let free = freeSlots(ownTimely: commitTally.timely)
        var sent = 0
        var unsent = false
        for index in closest.indices where !closest[index].queried {
            guard sent < free else {
                unsent = true
                break
            }
            closest[index].queried = true
            let answered = closest[index]
            send(to: answered.reference, slot: .commit, token: answered.token, hop: 1)
            sent += 1
        }
        return unsent || commitTally.running > 0
    }

    private func withTally(_ slot: Slot, _ body: (inout Tally) -> Void) {
        switch slot {
        case .anonymous: body(&anonymous)
        case .commit: body(&commitTally)
        case .candidate(let serial):
            if let index = candidates.firstIndex(where: { $0.serial == serial }) { body(&candidates[index].tally) }
        }
    }

    private func candidateFor(_ slot: Slot) -> Candidate? {
        guard case .candidate(let serial) = slot else { return nil }
        return candidates.first { $0.serial == serial }
    }

    private func updateCandidate(_ slot: Slot, _ body: (inout Candidate) -> Void) {
        guard case .candidate(let serial) = slot,
              let index = candidates.firstIndex(where: { $0.serial == serial }) else { return }
        body(&candidates[index])
    }

    private func send(to target: NodeReference, slot: Slot, token: Data?, hop: Int) {
        inflight += 1
        timely += 1
        requestsSent += 1
        withTally(slot) {
            $0.running += 1
            $0.timely += 1
        }
        var message = node.baseRequest(command: query.command)
        message.target = Data(query.target.bytes)
        if let value = query.value { message.value = value }
        if let token { message.roundtripToken = token }
        let isCommit = committing
        let mark = OverdueMark()
        node.request(message, to: target.address, options: requestOptions, onOverdue: { [self] in
            mark.overdue = true
            requestOverdue(slot)
        }) { [self] result in
            handle(result, from: target, slot: slot, hop: hop, isCommit: isCommit, wasOverdue: mark.overdue)
        }
    }

    // MARK: - Soft deadlines and punches

    private func requestOverdue(_ slot: Slot) {
        timely -= 1
        withTally(slot) { $0.timely -= 1 }
        guard !finished else { return }
        if let candidate = candidateFor(slot), shouldPunch(candidate) { punch(candidate) }
        advance()
    }

    /// Punch-then-retry helps a node that may sit behind a NAT, learned through a referrer. It cannot
    /// help a node known to be gone – one that timed out on a direct request from us since we last heard
    /// from it (it answered us directly before), or silent to an earlier punch – nor one that could no
    /// longer enter the k closest.
    private func shouldPunch(_ candidate: Candidate) -> Bool {
        guard options.holepunching, moveCloser, !committing, candidate.referrer != nil,
              !candidate.punched, !candidate.answered else { return false }
        let address = candidate.reference.address
        if node.silentPeers.isSilent(address, at: node.scheduler.now) { return false }
        if let id = candidate.reference.id, node.isQuestionableContact(id, at: address) { return false }
        let closerAnswers = candidates.lazy.filter { $0.answered && $0.distance < candidate.distance }.count
        return closerAnswers < k
    }

    private func punch(_ candidate: Candidate) {
        guard let referrer = candidate.referrer else { return }
        let slot = Slot.candidate(candidate.serial)
        updateCandidate(slot) {
            $0.punched = true
            $0.tally.running += 1
            $0.tally.timely += 1
        }
        // The punch counts as pending for one soft deadline, like a request.
        let window = PunchWindow()
        window.timer = node.scheduler.schedule(after: node.roundTrips.softDeadline) { [self] in
            window.timer = nil
            guard !window.closed else { return }
            window.closed = true
            updateCandidate(slot) { $0.tally.timely -= 1 }
            advance()
        }
        let target = candidate.reference
        let hop = candidate.hop
        node.holepunch(peer: target.address, referrer: referrer,
                       options: HolepunchOptions(requestOptions: requestOptions)) { [self] punch in
            window.timer?.cancel()
            window.timer = nil
            updateCandidate(slot) {
                $0.tally.running -= 1
                if !window.closed { $0.tally.timely -= 1 }
            }
            window.closed = true
            switch punch {
            case .success:
                if !finished, !committing, candidateFor(slot)?.answered == false {
                    send(to: target, slot: slot, token: nil, hop: hop)
                    return
                }
            case .failure(let error):
                if error.isSilentPeer, candidateFor(slot).map({ !$0.answered && $0.tally.running == 0 }) ?? true {
                    node.silentPeers.recordSilent(target.address, at: node.scheduler.now)
                }
            }
            advance()
        }
    }

    // MARK: - Answers

    private func handle(_ result: Result<MatchedResponse, DHTError>, from target: NodeReference, slot: Slot,
                        hop: Int, isCommit: Bool, wasOverdue: Bool) {
        inflight -= 1
        if !wasOverdue { timely -= 1 }
        withTally(slot) {
            $0.running -= 1
            if !wasOverdue { $0.timely -= 1 }
        }
        let response: MatchedResponse
        switch result {
        case .failure(let error):
            // The table learns of the silence even after the walk ended (a late hard timeout).
            if !isCommit, error.isSilentPeer, let candidate = candidateFor(slot), !candidate.answered {
                if let id = target.id { node.contactFailed(id, at: target.address) }
                if candidate.punched && candidate.tally.running == 0 {
                    node.silentPeers.recordSilent(target.address, at: node.scheduler.now)
                }
            }
            guard !finished else { return }
            errors += 1
            report(target, answered: false)
            advance()
            return
        case .success(let matched):
            response = matched
        }
        guard !finished else { return }
        if !isCommit && committing {
            responses += 1  // a late answer to the walk: the commit pass has chosen its nodes already
            advance()
            return
        }
        if case .candidate = slot, candidateFor(slot)?.answered == true {
            advance()  // the retry and the original both answered (or another request named it)
            return
        }
        markAnswered(slot)
        responses += 1
        if isCommit { commits += 1 }
        hops = max(hops, hop)
        let message = response.message
        let responderID = message.id.count == DHTNode.idLength ? NodeID(message.id) : nil
        if let responderID {
            closestPrefix = max(closestPrefix, responderID.commonPrefixLength(with: query.target, limit: DHTNode.idLength * 8))
            if !isCommit, let index = candidates.firstIndex(where: { $0.reference.id == responderID }),
               candidates[index].reference.address == response.source {
                markAnswered(.candidate(candidates[index].serial))
            }
        }
        if !isCommit, let responderID, message.hasRoundtripToken, responderID != node.id {
            insertClosest(Answered(reference: NodeReference(id: responderID, address: response.source),
                                   distance: responderID.distance(to: query.target), token: message.roundtripToken))
        }
        if moveCloser, !isCommit, message.hasNodes,
           let nodes = try? NodeListCodec.dhtRPC.decode(message.nodes) {
            for compact in nodes {
                addCandidate(NodeReference(id: NodeID(compact.id), address: compact.address), referrer: response.source, hop: hop + 1)
            }
        }
        let reference = NodeReference(id: responderID, address: response.source)
        report(reference, answered: true)
        if let responderID, !(options.isUpdate && !options.reportQueryPhase && !committing) {
            onResult(QueryResult(node: NodeReference(id: responderID, address: response.source),
                                 value: message.hasValue ? message.value : nil, isCommit: isCommit))
        }
        advance()
    }

    private func markAnswered(_ slot: Slot) {
        updateCandidate(slot) {
            if !$0.answered { answeredCandidates += 1 }
            $0.answered = true
        }
    }

    private func report(_ reference: NodeReference, answered: Bool) {
        node.emit(.queryProgressed(id, QueryProgress(
            responses: responses, errors: errors, inflight: inflight, hops: hops,
            closestPrefix: closestPrefix, committing: committing, node: reference, answered: answered
        )))
    }

    /// Adds a node to ask, unless it is us, already known to this walk, or stale in our table (it
    /// failed to answer us and has not been heard from since).
    private func addCandidate(_ reference: NodeReference, referrer: PeerAddress?, hop: Int) {
        guard let id = reference.id, id != node.id else { return }
        if candidates.contains(where: { $0.reference.id == id }) { return }
        if node.isStaleContact(id, at: reference.address) { return }
        let distance = id.distance(to: query.target)
        if candidates.count >= candidateCap {
            guard let last = candidates.last, distance < last.distance else { return }
            if last.answered { answeredCandidates -= 1 }
            candidates.removeLast()
        }
        var position = candidates.count
        while position > 0 && distance < candidates[position - 1].distance { position -= 1 }
        candidates.insert(Candidate(serial: takeSerial(), reference: reference, distance: distance,
                                    referrer: referrer, hop: hop), at: position)
    }

    /// query-stream's `insertSorted` for the answers with tokens: keep at most k, closest first, no duplicate ids.
    private func insertClosest(_ answered: Answered) {
        if closest.count >= k, let last = closest.last, !(answered.distance < last.distance) { return }
        if closest.contains(where: { $0.reference.id == answered.reference.id }) { return }
        if closest.count < k { closest.append(answered) } else { closest[closest.count - 1] = answered }
        var position = closest.count - 1
        while position > 0 && answered.distance < closest[position - 1].distance {
            closest.swapAt(position, position - 1)
            position -= 1
        }
    }

    private func finish(error: DHTError?) {
        guard !finished else { return }
        finished = true
        var error = error
        if error == nil && responses == 0 { error = .noNodesResponded }
        if error == nil && committing && commits == 0 { error = .noCloseNodesResponded }
        let summary = QuerySummary(
            id: id, command: query.command, responses: responses, errors: errors, commits: commits, hops: hops,
            duration: node.scheduler.now - startedAt, closest: closest.map(\.reference), error: error
        )
        node.walkFinished(self)
        node.emit(.queryFinished(id, summary))
        onFinish(summary)
    }
}

/// Whether one request of a walk passed its soft deadline before it finished.
private final class OverdueMark {
    var overdue = false
}

/// The soft deadline of a walk's hole punch.
private final class PunchWindow {
    var timer: (any Cancellable)?
    var closed = false
}
