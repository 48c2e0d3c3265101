import Logging
import NIOCore
import NIOSSL
import PluginAPI
import PostgresNIO

/// The shared store: PostgreSQL through a pooled `PostgresClient`.
///
/// Only ``withPostgresStore(url:poolSize:logger:_:)`` makes one, because the client's `run()` must be running
/// while the store is used.
final class PostgresStore: SQLStore, StoreLifecycle {
    let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let logger: Logger
    let url: DatabaseURL

    private init(client: PostgresClient, url: DatabaseURL, logger: Logger) {
        self.client = client
        self.url = url
        self.logger = logger
    }

    /// Checks that the server answers, runs the pool while `body` runs, and shuts the pool down afterwards.
    /// - Throws: ``StoreError`` `.unavailable` naming the URL (without the password) when the server cannot be reached.
    static func withPostgresStore<Result: Sendable>(
        url: DatabaseURL, poolSize: Int, logger: Logger, _ body: (PostgresStore) async throws -> Result
    ) async throws -> Result {
        let tls: PostgresClient.Configuration.TLS
        switch url.sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: tls)
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        try await checkReachable(url: url, tls: tls, logger: logger)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let store = PostgresStore(client: client, url: url, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }

    /// Opens one connection with a short timeout, so that a wrong URL fails at once with a clear message
    /// instead of queries waiting on a pool that keeps retrying.
    private static func checkReachable(
        url: DatabaseURL, tls: PostgresClient.Configuration.TLS, logger: Logger
    ) async throws {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try connectionConfiguration(url), id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw StoreError(.unavailable, "cannot connect to \(url) (\(reason(error)))", detail: String(reflecting: error))
        }
    }

    /// The configuration of a single connection outside the pool (the reachability check, `LISTEN`).
    static func connectionConfiguration(_ url: DatabaseURL) throws -> PostgresConnection.Configuration {
        let context = try NIOSSLContext(configuration: .makeClientConfiguration())
        let connectionTLS: PostgresConnection.Configuration.TLS
        switch url.sslMode {
        case .disable: connectionTLS = .disable
        case .prefer: connectionTLS = .prefer(context)
        case .require: connectionTLS = .require(context)
        }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: connectionTLS)
        configuration.options.connectTimeout = TimeAmount.seconds(5)
        return configuration
    }

    func query(_ query: SQLQuery) async throws -> [SQLRow] {
        do {
            let (sql, binds) = query.rendered(for: .postgres)
            if let slot = PreparedSlots.slot(sql: sql, signature: Self.signature(binds)) {
                return try await PreparedSlots.execute(
                    slot: slot, bindings: Self.bindings(binds), runner: ClientRunner(client: client, logger: logger))
            }
            return try await Self.collect(try await client.query(Self.postgresQuery(query), logger: logger))
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error)
        }
    }

    func withTransaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    let result = try await body(PostgresConnectionExecutor(connection: connection, logger: logger))
                    try await connection.query("COMMIT", logger: logger)
                    return result
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch let error as PSQLError {
            throw Self.storeError(error)
        }
    }

    func ping() async throws {
        _ = try await query("SELECT 1 AS one")
    }

    func close() async {}

    static func postgresQuery(_ query: SQLQuery) -> PostgresQuery {
        let (sql, binds) = query.rendered(for: .postgres)
        return PostgresQuery(unsafeSQL: sql, binds: bindings(binds))
    }

    /// The binds' types, one letter each: a prepared statement's parameter types are fixed when it is prepared.
    static func signature(_ binds: [SQLValue]) -> String {
        String(binds.map { value -> Character in
            switch value {
            case .null: "n"
            case .integer: "i"
            case .double: "d"
            case .text: "t"
            case .blob: "b"
            }
        })
    }

    static func bindings(_ binds: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .blob(let value): bindings.append(ByteBuffer(bytes: value))
            }
        }
        return bindings
    }

    static func collect(_ rows: PostgresRowSequence) async throws -> [SQLRow] {
        var result: [SQLRow] = []
        for try await row in rows { result.append(try sqlRow(row)) }
        return result
    }

    static func sqlRow(_ row: PostgresRow) throws -> SQLRow {
        var columns: [String] = []
        var values: [SQLValue] = []
        for cell in row {
            columns.append(cell.columnName)
            values.append(try sqlValue(cell))
        }
        return SQLRow(columns: columns, values: values)
    }

    private static func sqlValue(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bytea: return .blob(Array(try cell.decode(ByteBuffer.self).readableBytesView))
        case .text, .varchar, .name, .bpchar: return .text(try cell.decode(String.self))
        default:
            // Types outside Portolan's column set (void, timestamps, …) come back as their raw bytes;
            // reading them as text or integer then fails with a type mismatch naming the column.
            return .blob(Array(cell.bytes?.readableBytesView ?? ByteBuffer().readableBytesView))
        }
    }

    static func storeError(_ error: any Error) -> StoreError {
        guard let error = error as? PSQLError else {
            return StoreError(.unavailable, "PostgreSQL failed", detail: String(reflecting: error))
        }
        guard let info = error.serverInfo else {
            return StoreError(.unavailable, "PostgreSQL is unreachable (\(error.code))", detail: String(reflecting: error))
        }
        let state = info[.sqlState] ?? ""
        let message = info[.message] ?? ""
        if state == "40P01" || state == "40001" {
            return StoreError(.transient, "PostgreSQL aborted the statement (SQLSTATE \(state)); it can be retried", detail: message)
        }
        if state == "23505" {
            return StoreError(.uniqueViolation, "a row with the same key exists", detail: "\(state) \(message)")
        }
        return StoreError(.queryFailed, "PostgreSQL statement failed (SQLSTATE \(state))", detail: message)
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

/// The executor handed to a PostgreSQL transaction body: the leased connection.
private struct PostgresConnectionExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    func query(_ query: SQLQuery) async throws -> [SQLRow] {
        do {
            let (sql, binds) = query.rendered(for: .postgres)
            if let slot = PreparedSlots.slot(sql: sql, signature: PostgresStore.signature(binds)) {
                return try await PreparedSlots.execute(
                    slot: slot, bindings: PostgresStore.bindings(binds), runner: ConnectionRunner(connection: connection, logger: logger))
            }
            return try await PostgresStore.collect(
                try await connection.query(PostgresStore.postgresQuery(query), logger: logger))
        } catch let error as StoreError {
            throw error
        } catch {
            throw PostgresStore.storeError(error)
        }
    }
}

/// Runs prepared statements through the pool.
private struct ClientRunner: PreparedStatementRunner {
    let client: PostgresClient
    let logger: Logger

    func run<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [SQLRow]
    where Statement.Row == PostgresRow {
        var rows: [SQLRow] = []
        for try await row in try await client.execute(statement, logger: logger) { rows.append(try PostgresStore.sqlRow(row)) }
        return rows
    }
}

/// Runs prepared statements on the connection a transaction holds.
private struct ConnectionRunner: PreparedStatementRunner {
    let connection: PostgresConnection
    let logger: Logger

    func run<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [SQLRow]
    where Statement.Row == PostgresRow {
        var rows: [SQLRow] = []
        for try await row in try await connection.execute(statement, logger: logger) { rows.append(try PostgresStore.sqlRow(row)) }
        return rows
    }
}
