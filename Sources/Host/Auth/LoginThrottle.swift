import Logging
import PluginAPI

/// Counts failed logins per user name and per source address in the store (`login_failures`), so every replica
/// throttles the same attacker. A fixed window opens at the first failure; reaching the limit blocks until the
/// window ends; a successful login clears the user's count.
struct LoginThrottle: Sendable {
    let store: any SQLStore
    let clock: any WallClock
    let settings: LoginSettings

    /// Why the attempt is refused (`"user"` or `"address"`), or `nil` to go ahead.
    func blocked(user: String, address: String?) async throws -> String? {
        let now = clock.secondsSince1970
        let keys = Self.keys(user: user, address: address)
        for (key, limit, reason) in [(keys.user, settings.maxFailuresPerUser, "user")] + (keys.address.map { [($0, settings.maxFailuresPerAddress, "address")] } ?? []) {
            if let row = try await store.first(
                "SELECT failures FROM login_failures WHERE throttle_key = \(key) AND window_start > \(now - settings.window)"),
                try row.int("failures") >= Int64(limit)
            {
                return reason
            }
        }
        return nil
    }

    func recordFailure(user: String, address: String?) async throws {
        let now = clock.secondsSince1970
        let expired = now - settings.window
        let keys = Self.keys(user: user, address: address)
        for key in [keys.user] + (keys.address.map { [$0] } ?? []) {
            try await store.execute(
                """
                INSERT INTO login_failures (throttle_key, window_start, failures) VALUES (\(key), \(now), 1)
                ON CONFLICT (throttle_key) DO UPDATE SET
                    failures = CASE WHEN login_failures.window_start <= \(expired) THEN 1 ELSE login_failures.failures + 1 END,
                    window_start = CASE WHEN login_failures.window_start <= \(expired) THEN \(now) ELSE login_failures.window_start END
                """)
        }
    }

    func recordSuccess(user: String) async throws {
        try await store.execute("DELETE FROM login_failures WHERE throttle_key = \(Self.keys(user: user, address: nil).user)")
    }

    /// User names compare case-insensitively here, so `Alice` and `alice` share a budget.
    private static func keys(user: String, address: String?) -> (user: String, address: String?) {
        ("u:" + user.lowercased(), address.map { "a:" + $0 })
    }
}
