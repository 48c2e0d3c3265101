import Logging
import NIOCore
import PluginAPI
import SQLiteNIO

/// The embedded store: one SQLite file in WAL mode.
///
/// One connection serves all tasks, one at a time (``AsyncLock``), so that a transaction never interleaves with
/// another task's statements; SQLite itself runs on NIO's thread pool, never on the event loop.
final class SQLiteStore: SQLStore, StoreLifecycle {
    let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let lock = AsyncLock()
    let path: String

    private init(connection: SQLiteConnection, path: String) {
        self.connection = connection
        self.path = path
    }

    /// Opens (creating when needed) the database file at `path`.
    static func open(path: String, logger: Logger) async throws -> SQLiteStore {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw StoreError(.unavailable, "cannot open SQLite database at \(path)", detail: "\(error)")
        }
        let store = SQLiteStore(connection: connection, path: path)
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON"] {
            _ = try await store.run(pragma, [])
        }
        return store
    }

    func query(_ query: SQLQuery) async throws -> [SQLRow] {
        try await lock.withLock { try await self.run(query) }
    }

    func withTransaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await lock.withLock {
            _ = try await self.run("BEGIN IMMEDIATE", [])
            let executor = SQLiteTransactionExecutor(store: self)
            do {
                let result = try await body(executor)
                _ = try await self.run("COMMIT", [])
                return result
            } catch {
                _ = try? await self.run("ROLLBACK", [])
                throw error
            }
        }
    }

    func ping() async throws {
        _ = try await query("SELECT 1 AS one")
    }

    func close() async {
        try? await connection.close()
    }

    /// Runs a statement without taking the lock; the caller holds it.
    fileprivate func run(_ query: SQLQuery) async throws -> [SQLRow] {
        let (sql, binds) = query.rendered(for: .sqlite)
        return try await run(sql, binds)
    }

    private func run(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let rows: [SQLiteRow]
        do {
            rows = try await connection.query(sql, binds.map(Self.sqliteData))
        } catch let error as SQLiteError {
            throw Self.storeError(error)
        } catch {
            throw StoreError(.unavailable, "SQLite failed", detail: "\(error)")
        }
        return rows.map { row in
            SQLRow(columns: row.columns.map(\.name), values: row.columns.map { Self.sqlValue($0.data) })
        }
    }

    private static func storeError(_ error: SQLiteError) -> StoreError {
        let unique = error.message.contains("UNIQUE constraint failed") || error.reason == .constraintUniqueFailed
            || error.reason == .constraintPrimaryKeyFailed
        if unique {
            return StoreError(.uniqueViolation, "a row with the same key exists", detail: error.message)
        }
        return StoreError(.queryFailed, "SQLite statement failed", detail: error.message)
    }

    private static func sqliteData(_ value: SQLValue) -> SQLiteData {
        switch value {
        case .null: .null
        case .integer(let value): .integer(SQLiteInt64(value))
        case .double(let value): .float(value)
        case .text(let value): .text(value)
        case .blob(let value): .blob(ByteBuffer(bytes: value))
        }
    }

    private static func sqlValue(_ data: SQLiteData) -> SQLValue {
        switch data {
        case .null: .null
        case .integer(let value): .integer(Int64(value))
        case .float(let value): .double(value)
        case .text(let value): .text(value)
        case .blob(let buffer): .blob(Array(buffer.readableBytesView))
        }
    }
}

/// The executor handed to a SQLite transaction body: runs on the locked connection.
private struct SQLiteTransactionExecutor: SQLExecutor {
    let store: SQLiteStore
    var dialect: SQLDialect { .sqlite }

    func query(_ query: SQLQuery) async throws -> [SQLRow] {
        try await store.run(query)
    }
}
