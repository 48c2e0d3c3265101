import Synchronization

/// The live authorizations this replica has looked up, so that checking an access token costs no store round trip.
///
/// Entries leave when a ``ChangeMessage`` says so (on every replica), when they expire, or all at once when the
/// ``ChangeFeed`` is unhealthy. A lookup that raced with an eviction is not cached: every eviction bumps `epoch`, and
/// ``insert(_:ifEpoch:)`` refuses a grant read before the bump.
final class GrantCache: Sendable {
    private struct State {
        var entries: [String: Grant] = [:]
        var keysByUser: [String: Set<String>] = [:]
        var epoch: UInt64 = 0
        var healthy = false
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 200_000) {
        self.capacity = capacity
    }

    /// The cached grant, or `nil` (not cached, or the cache is not trusted now).
    func grant(_ key: String) -> Grant? {
        state.withLock { $0.healthy ? $0.entries[key] : nil }
    }

    /// The epoch to pass to ``insert(_:ifEpoch:)`` after reading the store.
    var epoch: UInt64 { state.withLock { $0.epoch } }

    func insert(_ grant: Grant, ifEpoch epoch: UInt64) {
        state.withLock { state in
            guard state.healthy, state.epoch == epoch else { return }
            if state.entries.count >= capacity { state.entries.removeAll(); state.keysByUser.removeAll() }
            state.entries[grant.authorizationKey] = grant
            state.keysByUser[grant.userID, default: []].insert(grant.authorizationKey)
        }
    }

    func apply(_ message: ChangeMessage) {
        state.withLock { state in
            state.epoch &+= 1
            switch message {
            case .authorization(let key):
                if let grant = state.entries.removeValue(forKey: key) {
                    state.keysByUser[grant.userID]?.remove(key)
                }
            case .user(let userID):
                for key in state.keysByUser.removeValue(forKey: userID) ?? [] { state.entries[key] = nil }
            case .revocations:
                break
            case .everything:
                state.entries.removeAll()
                state.keysByUser.removeAll()
            }
        }
    }

    func setHealthy(_ healthy: Bool) {
        state.withLock { state in
            state.healthy = healthy
            state.epoch &+= 1
            if !healthy {
                state.entries.removeAll()
                state.keysByUser.removeAll()
            }
        }
    }
}
