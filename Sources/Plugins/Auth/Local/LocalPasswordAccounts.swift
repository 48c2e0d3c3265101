import HummingbirdBcrypt
import Logging
import PluginAPI

/// Password accounts in `local_auth_passwords`: checks logins and sets passwords.
///
/// Hashing runs on the host's blocking executor (bcrypt at cost 11 is ~150 ms of CPU). An unknown user name still
/// costs one bcrypt verification, so that response times do not tell which names exist.
struct LocalPasswordAccounts: AuthProvider, PasswordAccountManager {
    static let migrations = [
        Migration(version: 1, name: "local password accounts") { _ in
            [
                """
                CREATE TABLE local_auth_passwords (
                    user_id TEXT PRIMARY KEY, password_hash TEXT NOT NULL, updated_at BIGINT NOT NULL)
                """
            ]
        }
    ]

    /// A bcrypt hash (default cost) of a random string nobody knows, verified for unknown users to even out timing.
    /// Computed on first use, on the blocking executor.
    private static let decoyHash: String = {
        var generator = SystemRandomNumberGenerator()
        return Bcrypt.hash(String(generator.next(), radix: 36) + String(generator.next(), radix: 36), cost: 11)
    }()

    let id = "local"
    let store: any SQLStore
    let blocking: any BlockingExecutor
    let clock: any WallClock
    let cost: Int
    /// The TOTP second factor, checked after the password.
    let secondFactor: LocalSecondFactor

    func authenticate(_ credentials: PasswordCredentials, context: AuthCallContext) async throws -> Identity? {
        let password = credentials.password.value
        guard
            let row = try await store.first(
                "SELECT password_hash FROM local_auth_passwords WHERE user_id = \(credentials.username)")
        else {
            _ = try await blocking.run { Bcrypt.verify(password, hash: Self.decoyHash) }
            return nil
        }
        let hash = try row.string("password_hash")
        guard try await blocking.run({ Bcrypt.verify(password, hash: hash) }) else {
            context.logger.debug("wrong password", metadata: ["auth.subject": "\(credentials.username)"])
            throw AuthFailure.invalidCredentials()
        }
        if let accepted = try await secondFactor.verify(userID: credentials.username, code: credentials.oneTimeCode?.value), !accepted {
            context.logger.info("wrong or reused one-time code", metadata: ["auth.subject": "\(credentials.username)"])
            throw AuthFailure.invalidCredentials()
        }
        return Identity(userID: credentials.username, authProvider: id)
    }

    func setPassword(_ password: SecretString, forUser userID: String) async throws {
        let cost = UInt8(clamping: self.cost)
        let text = password.value
        let hash = try await blocking.run { Bcrypt.hash(text, cost: cost) }
        let now = clock.secondsSince1970
        try await store.execute(
            """
            INSERT INTO local_auth_passwords (user_id, password_hash, updated_at) VALUES (\(userID), \(hash), \(now))
            ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at
            """)
    }

    func removePassword(forUser userID: String) async throws {
        try await store.execute("DELETE FROM local_auth_passwords WHERE user_id = \(userID)")
    }
}
