import Foundation

/// The asynchronous side of the monitor: pumps the backend's events into the inbox, polls status
/// (10 Hz) and the store (1 Hz), and runs backend requests – each in its own task, so the UI loop
/// never waits for the node.
public final class MonitorSession: Sendable {
    /// The backend.
    public let backend: any MonitorBackend
    /// Where results land for the UI.
    public let inbox: MonitorInbox
    private let tasks = LockedTasks()

    /// Creates a session over `backend`.
    public init(backend: any MonitorBackend, inbox: MonitorInbox = MonitorInbox()) {
        self.backend = backend
        self.inbox = inbox
    }

    /// Starts the event pump and the pollers.
    public func start(statusInterval: Duration = .milliseconds(100), storeInterval: Duration = .seconds(1)) {
        let backend = self.backend, inbox = self.inbox
        tasks.add(Task {
            do {
                for await batch in try await backend.events() {
                    inbox.post(batch)
                }
            } catch {
                inbox.post(message: "event stream failed: \(error)", isError: true)
            }
        })
        tasks.add(Task {
            while !Task.isCancelled {
                if let status = try? await backend.status() { inbox.post(status: status) }
                try? await Task.sleep(for: statusInterval)
            }
        })
        tasks.add(Task {
            while !Task.isCancelled {
                inbox.post(store: (try? await backend.storedAnnouncements()) ?? nil)
                try? await Task.sleep(for: storeInterval)
            }
        })
    }

    /// Runs `request` in the background; its result goes to the message line.
    public func perform(_ request: BackendRequest, mask: AddressMasking) {
        let backend = self.backend, inbox = self.inbox
        tasks.add(Task {
            let result = await request.perform(on: backend, mask: mask)
            inbox.post(message: result.text, isError: result.isError)
        })
    }

    /// Cancels every task.
    public func stop() {
        tasks.cancelAll()
    }
}

/// Task handles under a lock (finished ones are pruned as new ones arrive).
private final class LockedTasks: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []

    func add(_ task: Task<Void, Never>) {
        lock.lock()
        tasks.removeAll { $0.isCancelled }
        if tasks.count > 64 { tasks.removeFirst(tasks.count - 64) }
        tasks.append(task)
        lock.unlock()
    }

    func cancelAll() {
        lock.lock()
        let all = tasks
        tasks = []
        lock.unlock()
        for task in all { task.cancel() }
    }
}
