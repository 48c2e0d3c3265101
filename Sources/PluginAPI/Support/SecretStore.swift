/// Secrets (keys, shared secrets) a plugin keeps in the shared store, encrypted with the host's master key,
/// so that every replica sees the same ones and none sits in a local file.
///
/// ```swift
/// let caKey = try await context.secrets.secret(named: "ca-key") { Array(Curve25519.Signing.PrivateKey().rawRepresentation) }
/// ```
/// > Important: names are scoped per plugin; `generate` runs at most once per name across all replicas that race.
public protocol SecretStore: Sendable {
    /// Returns the secret `name`, creating it with `generate` when it does not exist yet.
    /// - Parameters:
    ///   - name: the secret's name within the plugin: letters, digits, `-`, `_`, `.`.
    ///   - generate: makes a new secret; called only when none exists.
    /// - Returns: the stored secret (the one another replica stored first, if it won the race).
    /// - Throws: when the store fails, or the master key cannot decrypt the stored value.
    func secret(named name: String, generate: @Sendable () throws -> [UInt8]) async throws -> [UInt8]

    /// Replaces the secret `name` (for key rotation).
    /// - Parameters:
    ///   - name: the secret's name.
    ///   - value: the new secret.
    func setSecret(named name: String, to value: [UInt8]) async throws
}
