import DHTRPC
import NodeRuntime

/// A bootstrap that no node answered is not "ready": this says so and bootstraps again with backoff
/// (1 s, doubling, at most 60 s) until a node answers – for `node` and the monitor alike.
enum BootstrapRetry {
    /// What a bootstrap came to.
    enum Outcome: Equatable, Sendable {
        /// Nodes answered: the routing table has contacts.
        case joined(responses: Int)
        /// No node answered; the next try is in `retryIn`.
        case noNodeAnswered(retryIn: Duration)
    }

    /// The wait before try `failures + 1` after `failures` failed ones.
    static func delay(afterFailures failures: Int) -> Duration {
        .seconds(min(60, 1 << min(max(failures - 1, 0), 6)))
    }

    /// Waits for the first bootstrap and reports its outcome; while no node has answered, bootstraps
    /// again after each delay and reports every outcome. Returns once a node answered (or when
    /// cancelled). A node with no bootstrap nodes (the first of a network) counts as joined.
    static func run(_ node: HyperDHTHandle, hasBootstrapNodes: Bool, report: @Sendable (Outcome) -> Void) async {
        do { try await node.ready() } catch { return }
        guard hasBootstrapNodes else {
            report(.joined(responses: 0))
            return
        }
        var contacts = (try? await node.snapshot().dht.routingTable.count) ?? 0
        var responses = contacts
        var failures = 0
        while contacts == 0 && !Task.isCancelled {
            failures += 1
            let wait = delay(afterFailures: failures)
            report(.noNodeAnswered(retryIn: wait))
            do { try await Task.sleep(for: wait) } catch { return }
            // A node that closed meanwhile (the process is stopping) has nothing more to report.
            do { responses = try await node.bootstrap()?.responses ?? 0 } catch { return }
            contacts = (try? await node.snapshot().dht.routingTable.count) ?? 0
        }
        if !Task.isCancelled { report(.joined(responses: responses)) }
    }
}
