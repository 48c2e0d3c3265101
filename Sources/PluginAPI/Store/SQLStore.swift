/// Runs SQL statements: the store itself, or a transaction in progress.
///
/// ```swift
/// let rows = try await executor.query("SELECT name FROM users WHERE id = \(id)")
/// ```
public protocol SQLExecutor: Sendable {
    /// The engine, for the few statements that differ.
    var dialect: SQLDialect { get }

    /// Runs one statement and returns its rows (none for statements without `RETURNING`).
    /// - Parameter query: the statement, with bound values.
    /// - Returns: the result rows.
    /// - Throws: ``StoreError``; its description never contains bound values.
    func query(_ query: SQLQuery) async throws -> [SQLRow]
}

/// The shared store: SQLite on one machine, PostgreSQL for replicas. Plugins see only this seam, never a driver.
///
/// ```swift
/// try await store.withTransaction { tx in
///     try await tx.execute("UPDATE counters SET n = n + 1 WHERE id = \(id)")
///     try await tx.execute("INSERT INTO log (id) VALUES (\(id))")
/// }
/// ```
/// > Important: write each table with the column types of ``SQLValue`` so that both stores behave alike.
public protocol SQLStore: SQLExecutor {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// - Parameter body: the work; use only the executor it is given.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or ``StoreError``.
    func withTransaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result
}

extension SQLExecutor {
    /// Runs a statement and discards its rows.
    /// - Parameter query: the statement.
    public func execute(_ query: SQLQuery) async throws {
        _ = try await self.query(query)
    }

    /// Runs a query and returns its first row, if any.
    /// - Parameter query: the statement.
    public func first(_ query: SQLQuery) async throws -> SQLRow? {
        try await self.query(query).first
    }
}
