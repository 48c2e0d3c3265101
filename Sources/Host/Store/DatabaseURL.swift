import Foundation

/// A parsed `postgres://user:password@host:port/database?sslmode=…` URL.
struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    enum SSLMode: String, Sendable {
        case disable, prefer, require
    }

    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String
    var sslMode: SSLMode

    /// Parses `text`; the error names what is wrong and never includes the password.
    init(parsing text: String) throws(DatabaseURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme else {
            throw DatabaseURLError(problem: "is not a URL of the form postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw DatabaseURLError(problem: "scheme must be postgres://, found \(scheme)://")
        }
        guard let host = components.host, !host.isEmpty else { throw DatabaseURLError(problem: "has no host") }
        guard let user = components.user, !user.isEmpty else { throw DatabaseURLError(problem: "has no user name") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw DatabaseURLError(problem: "has no database name (…/DATABASE)") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw DatabaseURLError(problem: "port \(port) is out of range") }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw DatabaseURLError(problem: "unknown parameter '\(item.name)' (only sslmode is supported)")
            }
            guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                throw DatabaseURLError(problem: "sslmode must be disable, prefer or require")
            }
            sslMode = mode
        }
        self.host = host
        self.port = port
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = sslMode
    }

    /// The URL without the password, safe for logs and error messages.
    var description: String { "postgres://\(username)@\(host):\(port)/\(database)" }
}

/// Why a database URL was rejected; never contains the password.
struct DatabaseURLError: Error, Sendable, CustomStringConvertible {
    let problem: String
    var description: String { problem }
}
