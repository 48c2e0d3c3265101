import PluginAPI

/// A ``SecretStore`` over the `secrets` table, sealed with the master key and scoped to one plugin (or the host).
struct StoreSecretStore: SecretStore {
    let scope: String
    let store: any SQLStore
    let masterKey: MasterKey
    let clock: any WallClock

    func secret(named name: String, generate: @Sendable () throws -> [UInt8]) async throws -> [UInt8] {
        try Self.validate(name)
        if let existing = try await load(name) { return existing }
        let sealed = try masterKey.seal(try generate(), context: context(name))
        try await store.execute(
            """
            INSERT INTO secrets (scope, name, sealed, created_at) VALUES (\(scope), \(name), \(sealed), \(clock.secondsSince1970))
            ON CONFLICT (scope, name) DO NOTHING
            """)
        guard let stored = try await load(name) else {
            throw PluginError(.internalError, "the secret '\(scope)/\(name)' vanished after it was stored")
        }
        return stored
    }

    func setSecret(named name: String, to value: [UInt8]) async throws {
        try Self.validate(name)
        let sealed = try masterKey.seal(value, context: context(name))
        try await store.withTransaction { tx in
            try await tx.execute("DELETE FROM secrets WHERE scope = \(scope) AND name = \(name)")
            try await tx.execute(
                "INSERT INTO secrets (scope, name, sealed, created_at) VALUES (\(scope), \(name), \(sealed), \(clock.secondsSince1970))"
            )
        }
    }

    private func load(_ name: String) async throws -> [UInt8]? {
        guard let row = try await store.first("SELECT sealed FROM secrets WHERE scope = \(scope) AND name = \(name)") else {
            return nil
        }
        return try masterKey.open(try row.blob("sealed"), context: context(name))
    }

    private func context(_ name: String) -> String { "\(scope)/\(name)" }

    private static func validate(_ name: String) throws {
        let ok = !name.isEmpty && name.count <= 100
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
            }
        guard ok else { throw PluginError.invalidRequest("invalid secret name '\(name)'") }
    }
}
