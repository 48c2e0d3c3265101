import Foundation
import Logging
import PluginAPI

/// Opens the configured store for the duration of a closure: SQLite in the data folder, or PostgreSQL.
enum StoreOpener {
    /// The SQLite file inside the data folder.
    static let sqliteFileName = "portolan.sqlite"

    static func withStore<Result: Sendable>(
        _ database: DatabaseConfiguration, dataDirectory: String, logger: Logger,
        _ body: (any StoreLifecycle) async throws -> Result
    ) async throws -> Result {
        if let url = database.url {
            return try await PostgresStore.withPostgresStore(url: url, poolSize: database.poolSize, logger: logger) {
                try await body($0)
            }
        }
        try DataDirectory.create(dataDirectory)
        let store = try await SQLiteStore.open(path: "\(dataDirectory)/\(sqliteFileName)", logger: logger)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
