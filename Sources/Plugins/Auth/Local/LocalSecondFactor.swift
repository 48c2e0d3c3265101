import Crypto
import Foundation
import Logging
import PluginAPI

/// TOTP for local accounts: secrets sealed (AES-GCM) with a key from the plugin's secret store, so a copy of the
/// database alone does not give them away; the last accepted time step per user, so a code works once; ten
/// single-use recovery codes, stored as SHA-256.
struct LocalSecondFactor: SecondFactorManager {
    static let migrations = [
        Migration(version: 2, name: "TOTP second factor and recovery codes") { dialect in
            [
                """
                CREATE TABLE local_auth_totp (
                    user_id TEXT PRIMARY KEY, sealed_secret \(unsafeRaw: dialect.blobType) NOT NULL,
                    confirmed BIGINT NOT NULL DEFAULT 0, last_step BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE local_auth_recovery_codes (
                    user_id TEXT NOT NULL, code_hash TEXT NOT NULL, used_at BIGINT, PRIMARY KEY (user_id, code_hash))
                """,
            ]
        }
    ]

    let store: any SQLStore
    let secrets: any SecretStore
    let clock: any WallClock

    func manages(userID: String) async throws -> Bool {
        try await store.first("SELECT user_id FROM local_auth_passwords WHERE user_id = \(userID)") != nil
    }

    func isEnrolled(userID: String) async throws -> Bool {
        try await store.first("SELECT user_id FROM local_auth_totp WHERE user_id = \(userID) AND confirmed = 1") != nil
    }

    func startEnrollment(userID: String, issuer: String) async throws -> SecondFactorEnrollment {
        guard try await manages(userID: userID) else { throw PluginError.notFound("'\(userID)' has no local password account") }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let sealed = try await seal(secret)
        let now = clock.secondsSince1970
        // A confirmed factor stays in force until the new one is confirmed: the pending one is kept under a suffix.
        try await store.execute(
            """
            INSERT INTO local_auth_totp (user_id, sealed_secret, confirmed, last_step, created_at)
            VALUES (\(Self.pendingKey(userID)), \(sealed), 0, 0, \(now))
            ON CONFLICT (user_id) DO UPDATE SET sealed_secret = excluded.sealed_secret, created_at = excluded.created_at
            """)
        let base32 = TOTP.base32(secret)
        let label = Self.uriEscape("\(issuer):\(userID)")
        return SecondFactorEnrollment(
            secret: base32,
            uri: "otpauth://totp/\(label)?secret=\(base32)&issuer=\(Self.uriEscape(issuer))&algorithm=SHA1&digits=6&period=30")
    }

    func confirmEnrollment(userID: String, code: String) async throws -> [String] {
        guard let row = try await store.first("SELECT sealed_secret FROM local_auth_totp WHERE user_id = \(Self.pendingKey(userID))") else {
            throw PluginError.notFound("no enrolment is pending for '\(userID)'")
        }
        let secret = try await open(try row.blob("sealed_secret"))
        guard let step = TOTP.matchingStep(secret: secret, code: code, now: clock.secondsSince1970) else {
            throw AuthFailure.invalidCredentials()
        }
        let sealed = try row.blob("sealed_secret")
        let recoveryCodes = (0..<10).map { _ in Self.recoveryCode() }
        let now = clock.secondsSince1970
        try await store.withTransaction { tx in
            try await tx.execute("DELETE FROM local_auth_totp WHERE user_id IN (\(userID), \(Self.pendingKey(userID)))")
            try await tx.execute(
                """
                INSERT INTO local_auth_totp (user_id, sealed_secret, confirmed, last_step, created_at)
                VALUES (\(userID), \(sealed), 1, \(step), \(now))
                """)
            try await tx.execute("DELETE FROM local_auth_recovery_codes WHERE user_id = \(userID)")
            for code in recoveryCodes {
                try await tx.execute("INSERT INTO local_auth_recovery_codes (user_id, code_hash) VALUES (\(userID), \(Self.hash(code)))")
            }
        }
        return recoveryCodes
    }

    func disable(userID: String) async throws {
        try await store.withTransaction { tx in
            try await tx.execute("DELETE FROM local_auth_totp WHERE user_id IN (\(userID), \(Self.pendingKey(userID)))")
            try await tx.execute("DELETE FROM local_auth_recovery_codes WHERE user_id = \(userID)")
        }
    }

    /// Checks the second factor of a user whose password was right: `nil` when none is enrolled; otherwise whether
    /// `code` (a current TOTP code not used before, or an unused recovery code) is accepted, using it up.
    func verify(userID: String, code: String?) async throws -> Bool? {
        guard let row = try await store.first(
            "SELECT sealed_secret, last_step FROM local_auth_totp WHERE user_id = \(userID) AND confirmed = 1")
        else { return nil }
        guard let code = code?.replacingOccurrences(of: " ", with: ""), !code.isEmpty else { throw AuthFailure(.secondFactorRequired) }
        if code.count == 6 {
            let secret = try await open(try row.blob("sealed_secret"))
            guard let step = TOTP.matchingStep(secret: secret, code: code, now: clock.secondsSince1970) else { return false }
            // Only a step after the last accepted one: a code (or an older one) cannot be replayed.
            return !(try await store.query(
                "UPDATE local_auth_totp SET last_step = \(step) WHERE user_id = \(userID) AND last_step < \(step) RETURNING user_id"
            ).isEmpty)
        }
        return !(try await store.query(
            """
            UPDATE local_auth_recovery_codes SET used_at = \(clock.secondsSince1970)
            WHERE user_id = \(userID) AND code_hash = \(Self.hash(code.lowercased())) AND used_at IS NULL RETURNING user_id
            """
        ).isEmpty)
    }

    private func key() async throws -> SymmetricKey {
        SymmetricKey(data: try await secrets.secret(named: "totp-seal") {
            var generator = SystemRandomNumberGenerator()
            return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        })
    }

    private func seal(_ secret: [UInt8]) async throws -> [UInt8] {
        Array(try AES.GCM.seal(secret, using: try await key()).combined ?? Data())
    }

    private func open(_ sealed: [UInt8]) async throws -> [UInt8] {
        Array(try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: try await key()))
    }

    private static func pendingKey(_ userID: String) -> String { userID + "\u{1}pending" }

    private static func hash(_ code: String) -> String {
        SHA256.hash(data: Array(code.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func recoveryCode() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(characters[0..<5]) + "-" + String(characters[5...])
    }

    private static func uriEscape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }
}
