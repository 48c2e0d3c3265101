import Synchronization

/// Wakes every task waiting for "something changed" (a long-poll of a node for revocations). Firing never blocks;
/// a waiter that misses a fire still wakes at its timeout, so callers re-check the store after every wake.
final class ChangeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())

    /// Wakes all current waiters.
    func fire() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Wakes all waiters for good: every later wait returns at once (the server is shutting down).
    func close() {
        state.withLock { $0.closed = true }
        fire()
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// The number of fires so far; pass it to ``wait(after:timeout:)`` to not miss one between a check and the wait.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Returns when the signal fires after `generation`, at `timeout`, or on cancellation.
    func wait(after generation: UInt64, timeout: Duration) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID &+= 1
            return state.nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.state.withLock { state -> Bool in
                        if state.generation != generation || state.closed || Task.isCancelled { return true }
                        state.waiters[id] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            if let waiter = self.state.withLock({ $0.waiters.removeValue(forKey: id) }) { waiter.resume() }
        }
    }
}
