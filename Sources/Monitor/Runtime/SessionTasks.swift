import Foundation

/// The tasks of a ``MonitorSession`` under a lock: the long-lived ones (event pump, pollers) kept
/// until ``cancelAll()``, and one entry per running request that the request removes itself when it
/// finishes – so however many commands are typed, nothing is forgotten and nothing piles up.
final class SessionTasks: @unchecked Sendable {
    private let lock = NSLock()
    private var longLived: [Task<Void, Never>] = []
    private var requests: [UInt64: Task<Void, Never>] = [:]
    private var nextRequestID: UInt64 = 0
    private var stopped = false

    /// Keeps `task` until ``cancelAll()`` (cancelled at once if that already ran).
    func startLongLived(_ task: Task<Void, Never>) {
        lock.lock()
        let stopped = self.stopped
        if !stopped { longLived.append(task) }
        lock.unlock()
        if stopped { task.cancel() }
    }

    /// Starts `body` as a request task that is forgotten when it finishes (not at all after
    /// ``cancelAll()``).
    func startRequest(_ body: @escaping @Sendable () async -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        nextRequestID += 1
        let id = nextRequestID
        // Created under the lock: the task's own `finished(id)` waits for the lock, so it always
        // runs after the task was recorded.
        let task = Task { [weak self] in
            await body()
            self?.finished(id)
        }
        requests[id] = task
    }

    /// Requests still running.
    var runningRequests: Int {
        lock.lock()
        defer { lock.unlock() }
        return requests.count
    }

    /// Cancels every task, long-lived and running requests alike.
    func cancelAll() {
        lock.lock()
        stopped = true
        let all = longLived + requests.values
        longLived = []
        requests = [:]
        lock.unlock()
        for task in all { task.cancel() }
    }

    private func finished(_ id: UInt64) {
        lock.lock()
        requests[id] = nil
        lock.unlock()
    }
}
