import Foundation

/// A value computed on its own thread while the caller goes on: ``ready`` never waits,
/// ``value()`` does (e.g. a file's digest while the file loads, the retention models while the
/// features are read).
public final class BackgroundValue<Value: Sendable>: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var result: Value?

    /// Starts `work` on a new thread named `name`.
    public init(name: String, _ work: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            let value = work()
            condition.lock()
            result = value
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    /// The value if the thread has finished, else `nil`.
    public var ready: Value? {
        condition.lock()
        defer { condition.unlock() }
        return result
    }

    /// The value, waiting for the thread.
    public func value() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}
