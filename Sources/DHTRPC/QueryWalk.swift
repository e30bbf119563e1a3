import DHTMessages
import Foundation
import IPEncoding
import KBucket
import UDPRequest

/// One iterative Kademlia walk (dht-rpc's query-stream): keeps the k closest candidates sorted by
/// exact XOR distance, asks the closest not yet asked (as many at a time as the socket has free
/// slots), adds the nodes each answer returns, and ends when nothing is left to ask and nothing is in
/// flight. An update then sends the query again, with each node's token, to the k closest that
/// answered (the commit pass).
final class QueryWalk {
    let id: QueryID
    let query: DHTQuery
    let options: QueryOptions
    var concurrency: Int
    let startedAt: Timestamp
    private unowned let node: DHTNode
    private let onResult: (QueryResult) -> Void
    private let onFinish: (QuerySummary) -> Void

    /// A node the walk may ask, with what it learned about it.
    private struct Candidate {
        var reference: NodeReference
        var distance: XORDistance
        var queried = false
        var referrer: PeerAddress?
        var token: Data?
        var hop: Int
    }

    private var pending: [Candidate] = []
    private var closest: [Candidate] = []
    private let k: Int
    private let moveCloser: Bool
    private var seeded = false
    private var committing = false
    private var finished = false
    private(set) var inflight = 0
    private var responses = 0
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
        if let nodes = options.nodes {
            k = .max
            moveCloser = false
            seeded = true
            for reference in nodes {
                let id = reference.id ?? NodeID([UInt8](repeating: 0, count: DHTNode.idLength))
                pending.append(Candidate(reference: reference, distance: id.distance(to: query.target), hop: 1))
            }
        } else {
            k = node.configuration.k
            moveCloser = true
        }
    }

    /// Sends what can be sent; ends the walk (or starts the commit pass) when nothing is left.
    func advance() {
        guard !finished else { return }
        if committing {
            if sendAll(useTokens: true) > 0 || inflight > 0 { return }
            finish(error: nil)
            return
        }
        if !seeded { seed() }
        if sendAll(useTokens: false) > 0 || inflight > 0 { return }
        if options.isUpdate {
            committing = true
            for index in closest.indices { closest[index].queried = false }
            if sendAll(useTokens: true) > 0 || inflight > 0 { return }
        }
        finish(error: nil)
    }

    /// Ends the walk now (the node is closing).
    func cancel() {
        finish(error: .closed)
    }

    // MARK: - Sending

    private func seed() {
        seeded = true
        let contacts = node.table.closest(to: query.target, count: k)
        for contact in contacts {
            addPending(NodeReference(id: contact.id, address: contact.payload.address), referrer: nil, hop: 1)
        }
        if contacts.count < node.configuration.bootstrap.count {
            for address in node.configuration.bootstrap {
                send(to: NodeReference(id: nil, address: address), token: nil, referrer: nil, hop: 1)
            }
        }
    }

    private func sendAll(useTokens: Bool) -> Int {
        var free = max(0, concurrency - node.socketInflight)
        if free == 0 && inflight == 0 { free = 1 }
        guard free > 0 else { return 0 }
        var sent = 0
        if useTokens {
            for index in closest.indices where !closest[index].queried {
                closest[index].queried = true
                let candidate = closest[index]
                send(to: candidate.reference, token: candidate.token, referrer: candidate.referrer, hop: candidate.hop)
                sent += 1
                if sent == free { break }
            }
        } else {
            for index in pending.indices where !pending[index].queried {
                pending[index].queried = true
                let candidate = pending[index]
                send(to: candidate.reference, token: nil, referrer: candidate.referrer, hop: candidate.hop)
                sent += 1
                if sent == free { break }
            }
        }
        return sent
    }

    private func send(to target: NodeReference, token: Data?, referrer: PeerAddress?, hop: Int) {
        inflight += 1
        var message = node.baseRequest(command: query.command)
        message.target = Data(query.target.bytes)
        if let value = query.value { message.value = value }
        if let token { message.roundtripToken = token }
        let isCommit = committing
        let requestOptions = options.requestOptions ?? node.configuration.walkRequestOptions
        node.request(message, to: target.address, options: requestOptions) { [weak self] result in
            guard let self else { return }
            if case .failure(let error) = result, error.isSilentPeer, self.options.holepunching, let referrer, !self.finished {
                self.node.holepunch(peer: target.address, referrer: referrer,
                                    options: HolepunchOptions(requestOptions: requestOptions)) { [weak self] punch in
                    guard let self else { return }
                    switch punch {
                    case .failure(let error):
                        self.handle(.failure(error), from: target, hop: hop, isCommit: isCommit)
                    case .success:
                        self.node.request(message, to: target.address, options: requestOptions) { [weak self] retry in
                            self?.handle(retry, from: target, hop: hop, isCommit: isCommit)
                        }
                    }
                }
                return
            }
            self.handle(result, from: target, hop: hop, isCommit: isCommit)
        }
    }

    // MARK: - Answers

    private func handle(_ result: Result<MatchedResponse, DHTError>, from target: NodeReference, hop: Int, isCommit: Bool) {
        inflight -= 1
        guard !finished else { return }
        let response: MatchedResponse
        switch result {
        case .failure:
            errors += 1
            report(target, answered: false)
            advance()
            return
        case .success(let matched):
            response = matched
        }
        responses += 1
        if committing { commits += 1 }
        hops = max(hops, hop)
        let message = response.message
        let responderID = message.id.count == DHTNode.idLength ? NodeID(message.id) : nil
        if let responderID {
            closestPrefix = max(closestPrefix, responderID.commonPrefixLength(with: query.target, limit: DHTNode.idLength * 8))
        }
        addClosest(id: responderID, token: message.hasRoundtripToken ? message.roundtripToken : nil, source: response.source, hop: hop)
        if moveCloser, message.hasNodes,
           let nodes = try? NodeListCodec.dhtRPC.decode(message.nodes) {
            for compact in nodes {
                addPending(NodeReference(id: NodeID(compact.id), address: compact.address), referrer: response.source, hop: hop + 1)
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

    private func report(_ reference: NodeReference, answered: Bool) {
        node.emit(.queryProgressed(id, QueryProgress(
            responses: responses, errors: errors, inflight: inflight, hops: hops,
            closestPrefix: closestPrefix, committing: committing, node: reference, answered: answered
        )))
    }

    private func addPending(_ reference: NodeReference, referrer: PeerAddress?, hop: Int) {
        guard let id = reference.id, id != node.id else { return }
        insertSorted(Candidate(reference: reference, distance: id.distance(to: query.target), referrer: referrer, hop: hop),
                     into: &pending)
    }

    private func addClosest(id: NodeID?, token: Data?, source: PeerAddress, hop: Int) {
        guard let id, let token, id != node.id else { return }
        var candidate = pending.first { $0.reference.id == id }
            ?? Candidate(reference: NodeReference(id: id, address: source), distance: id.distance(to: query.target), hop: hop)
        candidate.token = token
        candidate.queried = false
        insertSorted(candidate, into: &closest)
    }

    /// query-stream's `insertSorted`: keep at most k, closest first, no duplicate ids.
    private func insertSorted(_ candidate: Candidate, into list: inout [Candidate]) {
        if list.count >= k, let last = list.last, !(candidate.distance < last.distance) { return }
        if list.contains(where: { $0.reference.id == candidate.reference.id }) { return }
        if list.count < k { list.append(candidate) } else { list[list.count - 1] = candidate }
        var position = list.count - 1
        while position > 0 && candidate.distance < list[position - 1].distance {
            list.swapAt(position, position - 1)
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
