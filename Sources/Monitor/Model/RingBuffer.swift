/// A fixed-capacity FIFO: appending beyond capacity drops the oldest element. The bounded history
/// every pane keeps, so a flood of events never grows memory.
public struct RingBuffer<Element>: Sequence {
    /// The most elements kept.
    public let capacity: Int
    private var storage: [Element] = []
    private var head = 0
    /// Elements dropped because the buffer was full, since creation.
    public private(set) var dropped = 0

    /// Creates an empty buffer holding at most `capacity` (≥ 1) elements.
    public init(capacity: Int) {
        self.capacity = Swift.max(1, capacity)
        storage.reserveCapacity(Swift.min(self.capacity, 1024))
    }

    /// The number of elements held.
    public var count: Int { storage.count }
    /// Whether the buffer is empty.
    public var isEmpty: Bool { storage.isEmpty }

    /// Appends `element`, dropping the oldest one when full.
    public mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[head] = element
            head = (head + 1) % capacity
            dropped += 1
        }
    }

    /// The element `index` places after the oldest (0 is the oldest).
    public subscript(index: Int) -> Element {
        get { storage[(head + index) % storage.count] }
        set { storage[(head + index) % storage.count] = newValue }
    }

    /// The newest element.
    public var last: Element? { storage.isEmpty ? nil : self[storage.count - 1] }

    /// Removes every element.
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
    }

    /// Iterates oldest first.
    public func makeIterator() -> AnyIterator<Element> {
        var index = 0
        return AnyIterator {
            guard index < self.storage.count else { return nil }
            defer { index += 1 }
            return self[index]
        }
    }

    /// The elements, newest first.
    public var newestFirst: [Element] { (0..<count).reversed().map { self[$0] } }
}

extension RingBuffer: Sendable where Element: Sendable {}
