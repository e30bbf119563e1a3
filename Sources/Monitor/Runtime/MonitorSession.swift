/// The asynchronous side of the monitor: pumps the backend's events into the inbox, polls status
/// (10 Hz) and the store (1 Hz), and runs backend requests – each in its own task, so the UI loop
/// never waits for the node.
public final class MonitorSession: Sendable {
    /// The backend.
    public let backend: any MonitorBackend
    /// Where results land for the UI.
    public let inbox: MonitorInbox
    private let tasks = SessionTasks()

    /// Creates a session over `backend`.
    public init(backend: any MonitorBackend, inbox: MonitorInbox = MonitorInbox()) {
        self.backend = backend
        self.inbox = inbox
    }

    /// Starts the event pump and the pollers (they run until ``stop()``).
    public func start(statusInterval: Duration = .milliseconds(100), storeInterval: Duration = .seconds(1)) {
        let backend = self.backend, inbox = self.inbox
        tasks.startLongLived(Task {
            do {
                for await batch in try await backend.events() {
                    inbox.post(batch)
                }
            } catch {
                inbox.post(message: "event stream failed: \(error)", isError: true)
            }
        })
        tasks.startLongLived(Task {
            while !Task.isCancelled {
                if let status = try? await backend.status() { inbox.post(status: status) }
                try? await Task.sleep(for: statusInterval)
            }
        })
        tasks.startLongLived(Task {
            while !Task.isCancelled {
                inbox.post(store: (try? await backend.storedAnnouncements()) ?? nil)
                try? await Task.sleep(for: storeInterval)
            }
        })
    }

    /// Runs `request` in the background; its result goes to the message line.
    public func perform(_ request: BackendRequest, mask: AddressMasking) {
        let backend = self.backend, inbox = self.inbox
        tasks.startRequest {
            let result = await request.perform(on: backend, mask: mask)
            inbox.post(message: result.text, isError: result.isError)
        }
    }

    /// How many requests are still running (finished ones are forgotten as they finish).
    public var runningRequests: Int { tasks.runningRequests }

    /// Cancels every task: the pump, the pollers and the requests still running. Requests made
    /// after this are cancelled as they start.
    public func stop() {
        tasks.cancelAll()
    }
}
