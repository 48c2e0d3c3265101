import Logging
import PluginAPI

/// The host's typed configuration: every top-level key except `plugins`.
///
/// Precedence: command-line flags, then environment variables (`PORTOLAN_DATABASE_URL`, `PORTOLAN_MASTER_KEY`),
/// then the file, then defaults.
struct HostConfiguration: Sendable {
    /// `server.listen`: where HTTP is served. Default `127.0.0.1:8443`.
    var listen: ListenAddress
    /// `server.public_url`: the URL users and apps reach the portal at. Default `http://<listen>/`.
    var publicURL: String?
    /// `data_dir`: local folder for the SQLite file and the generated master key. Default `./portolan-data`.
    var dataDirectory: String
    /// `database.*`.
    var database: DatabaseConfiguration
    /// `secrets.master_key`: base64 of 32 bytes; required with PostgreSQL.
    var masterKey: String?
    /// `log.level`.
    var logLevel: Logger.Level
    /// `log.format`: `text` or `json`.
    var logFormat: LogFormat
    /// `server.tls`: where the HTTPS certificate comes from.
    var tls: TLSSettings
    /// `server.trusted_proxies`: addresses whose `X-Forwarded-*` headers are believed.
    var trustedProxies: [IPNetwork]
    /// `oauth.*`.
    var oauth: OAuthSettings
    /// `api.*`.
    var api: APISettings
    /// `login.*`: throttling of failed logins.
    var login: LoginSettings
    /// `login.proxy_headers`: login by a trusted web server in front, or `nil`.
    var proxyHeaders: ProxyHeaderSettings?
    /// `nodes.*`: the node channel.
    var nodes: NodeChannelSettings
    /// `node.*`: a node `portolan serve` runs in the same process, or `nil`.
    var localNode: LocalNodeSettings?

    enum LogFormat: String, Sendable { case text, json }

    static let defaultListen = ListenAddress(host: "127.0.0.1", port: 8443)
    static let defaultDataDirectory = "./portolan-data"

    /// The URL to print and to build links with.
    var effectivePublicURL: String {
        publicURL ?? "\(tls == .disabled ? "http" : "https")://\(listen)/"
    }
}

/// `server.tls`: HTTPS from the operator's files, from a self-signed certificate Portolan generates and keeps in the
/// store (the default, for a first start), or off (plain HTTP behind a TLS-terminating reverse proxy).
enum TLSSettings: Sendable, Equatable {
    case selfSigned
    case files(certificate: String, key: String)
    case disabled
}

/// `database.*`: PostgreSQL when `url` is set, SQLite in the data folder otherwise.
struct DatabaseConfiguration: Sendable {
    /// `database.url` (or `PORTOLAN_DATABASE_URL`).
    var url: DatabaseURL?
    /// `database.pool_size`: PostgreSQL connections per process. Default 8.
    var poolSize: Int

    static let sqlite = DatabaseConfiguration(url: nil, poolSize: 1)
}
