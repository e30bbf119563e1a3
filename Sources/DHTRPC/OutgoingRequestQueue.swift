import DHTMessages
import IPEncoding
import UDPRequest

/// Requests waiting for a free slot under the node's concurrency limit, first in first out.
struct OutgoingRequestQueue {
    struct Entry {
        var message: DhtRpc_Request
        var destination: PeerAddress
        var options: RequestOptions
        var onOverdue: (() -> Void)?
        var completion: (Result<MatchedResponse, DHTError>) -> Void
    }

    private var entries: [Entry] = []
    private var head = 0

    var isEmpty: Bool { head == entries.count }
    var count: Int { entries.count - head }

    mutating func append(_ entry: Entry) {
        entries.append(entry)
    }

    mutating func popFirst() -> Entry? {
        guard head < entries.count else { return nil }
        let entry = entries[head]
        head += 1
        if head > 64 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return entry
    }

    mutating func drainAll() -> [Entry] {
        let rest = Array(entries[head...])
        entries.removeAll()
        head = 0
        return rest
    }
}
