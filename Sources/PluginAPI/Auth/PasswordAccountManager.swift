/// Manages local password accounts, so that the host's `portolan user add|passwd|delete` can set them.
///
/// ```swift
/// try await manager.setPassword(SecretString("s3cret"), forUser: "alice")
/// ```
/// > Important: hash passwords (bcrypt or Argon2id) off the cooperative pool; never log them.
public protocol PasswordAccountManager: Sendable {
    /// Sets (or replaces) the password of `userID`.
    /// - Parameters:
    ///   - password: the new password.
    ///   - userID: the user.
    /// - Throws: ``PluginError`` with ``PluginError/Code/invalidRequest`` when the password is too weak.
    func setPassword(_ password: SecretString, forUser userID: String) async throws

    /// Removes the password of `userID`; nothing happens when there is none.
    /// - Parameter userID: the user.
    func removePassword(forUser userID: String) async throws
}
