import Foundation

/// A value computed on its own thread while the caller goes on: ``ready`` never waits,
/// ``value()`` does (e.g. a file's digest while the file loads).
final class BackgroundValue<Value: Sendable>: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var result: Value?

    /// Starts `work` on a new thread named `name`.
    init(name: String, _ work: @escaping @Sendable () -> Value) {
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
    var ready: Value? {
        condition.lock()
        defer { condition.unlock() }
        return result
    }

    /// The value, waiting for the thread.
    func value() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}
