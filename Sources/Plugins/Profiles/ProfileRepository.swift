import Foundation
import PluginAPI

/// Profiles in the store (`profiles_profiles`), one JSON document per profile, read on every request.
struct ProfileRepository: ProfileProvider {
    static let migrations = [
        Migration(version: 1, name: "profiles") { _ in
            ["CREATE TABLE profiles_profiles (id TEXT PRIMARY KEY, position BIGINT NOT NULL, definition TEXT NOT NULL)"]
        }
    ]

    let store: any SQLStore

    func profiles(context: AuthCallContext) async throws -> [VPNProfile] {
        try await store.query("SELECT definition FROM profiles_profiles ORDER BY position, id").map { row in
            try StoredProfile.decode(try row.string("definition"))
        }
    }

    /// Inserts `profile` when the table is empty.
    /// - Returns: whether it was inserted.
    func seedIfEmpty(_ profile: VPNProfile) async throws -> Bool {
        let definition = try StoredProfile.encode(profile)
        return try await store.withTransaction { tx in
            guard try await tx.first("SELECT id FROM profiles_profiles LIMIT 1") == nil else { return false }
            try await tx.execute(
                """
                INSERT INTO profiles_profiles (id, position, definition) VALUES (\(profile.id), \(0), \(definition))
                ON CONFLICT (id) DO NOTHING
                """)
            return true
        }
    }

    /// Replaces every stored profile with `profiles`.
    func replaceAll(_ profiles: [VPNProfile]) async throws {
        let encoded = try profiles.map { ($0.id, try StoredProfile.encode($0)) }
        try await store.withTransaction { tx in
            try await tx.execute("DELETE FROM profiles_profiles")
            for (position, (id, definition)) in encoded.enumerated() {
                try await tx.execute(
                    "INSERT INTO profiles_profiles (id, position, definition) VALUES (\(id), \(position), \(definition))")
            }
        }
    }
}
