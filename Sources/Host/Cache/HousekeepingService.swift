import Logging
import PluginAPI
import ServiceLifecycle

/// Deletes what has expired, every `interval`: authorizations (with their configurations), codes never exchanged,
/// browser sessions and configurations. Replicas may run it at the same time: the deletes are idempotent.
struct HousekeepingService: Service {
    let store: any SQLStore
    let clock: any WallClock
    let codeExpiry: Int64
    let logger: Logger
    var interval: Duration = .seconds(3_600)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await purge()
                } catch {
                    logger.warning("housekeeping failed; retrying later", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One pass. - Returns: rows deleted per table.
    @discardableResult
    func purge() async throws -> [String: Int] {
        let now = clock.secondsSince1970
        var counts: [String: Int] = [:]
        counts["oauth_authorizations"] = try await AuthorizationStore.purgeExpired(store: store, now: now, codeExpiry: codeExpiry)
        counts["portal_sessions"] = try await store.query(
            "DELETE FROM portal_sessions WHERE expires_at <= \(now) RETURNING session_hash").count
        counts["login_failures"] = try await store.query(
            "DELETE FROM login_failures WHERE window_start <= \(now - 86_400) RETURNING throttle_key").count
        counts["login_redirects"] = try await store.query(
            "DELETE FROM login_redirects WHERE expires_at <= \(now) RETURNING handle_hash").count
        counts["vpn_configurations"] = try await store.query(
            "DELETE FROM vpn_configurations WHERE expires_at <= \(now) RETURNING credential_id").count
        counts["credential_revocations"] = try await RevocationLog.purge(store: store, now: now)
        if counts.values.contains(where: { $0 > 0 }) {
            logger.info("housekeeping", metadata: counts.mapValues { "\($0)" })
        }
        return counts
    }
}
