import Foundation
import Logging
import PluginAPI

extension HostConfiguration {
    /// Overrides given on the command line.
    struct Overrides: Sendable {
        var listen: String?
        var dataDirectory: String?
    }

    /// Reads the host's keys from `reader` (the file's root), then applies environment and flag overrides.
    init(reader: ConfigReader, environment: [String: String], overrides: Overrides) throws {
        let server = try reader.section("server")
        let listenFromFile = try server.optionalString("listen")  // read even when overridden: it is a known key
        let listenText = overrides.listen ?? listenFromFile
        listen = try listenText.map { try ListenAddress(parsing: $0, key: overrides.listen == nil ? server.keyPath("listen") : "--listen") }
            ?? Self.defaultListen
        publicURL = try server.optionalString("public_url")
        if let publicURL, !(publicURL.hasPrefix("https://") || publicURL.hasPrefix("http://")) {
            throw server.error("public_url", "must start with https:// or http://")
        }
        if let publicURL, publicURL.unicodeScalars.contains(where: {
            $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || "\"\\<>`{}|^".unicodeScalars.contains($0)
        }) {
            throw server.error("public_url", "must not contain spaces, line breaks, control characters or \" \\ < > ` { } | ^")
        }
        if let publicURL, URLComponents(string: publicURL)?.host?.isEmpty ?? true {
            throw server.error("public_url", "'\(publicURL)' has no host")
        }
        tls = try Self.readTLS(try server.section("tls"))
        trustedProxies = try server.networkList("trusted_proxies")
        dataDirectory = try overrides.dataDirectory ?? reader.string("data_dir", default: Self.defaultDataDirectory)

        let databaseSection = try reader.section("database")
        let urlFromFile = try databaseSection.optionalSecret("url")
        let urlKey = environment["PORTOLAN_DATABASE_URL"] != nil ? "PORTOLAN_DATABASE_URL" : databaseSection.keyPath("url")
        let urlText = environment["PORTOLAN_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? urlFromFile
        let url: DatabaseURL?
        do {
            url = try urlText.map { try DatabaseURL(parsing: $0) }
        } catch let error as DatabaseURLError {
            throw ConfigError(key: urlKey, problem: error.problem)
        }
        database = DatabaseConfiguration(
            url: url, poolSize: try databaseSection.int("pool_size", default: 8, range: 1...64))

        let secrets = try reader.section("secrets")
        let keyFromFile = try secrets.optionalSecret("master_key")
        masterKey = environment["PORTOLAN_MASTER_KEY"].flatMap { $0.isEmpty ? nil : $0 } ?? keyFromFile

        let log = try reader.section("log")
        let level = try log.choice("level", Logger.Level.allCases.map(\.rawValue), default: "info")
        logLevel = Logger.Level(rawValue: level) ?? .info
        logFormat = LogFormat(rawValue: try log.choice("format", ["text", "json"], default: "text")) ?? .text

        oauth = try OAuthSettings(reader: try reader.section("oauth"))
        let loginSection = try reader.section("login")
        login = try LoginSettings(reader: loginSection)
        proxyHeaders = try ProxyHeaderSettings(reader: try loginSection.section("proxy_headers"))
        if proxyHeaders != nil, trustedProxies.isEmpty {
            throw loginSection.error("proxy_headers", "needs server.trusted_proxies: headers are believed only from those addresses")
        }
        nodes = try NodeChannelSettings(reader: try reader.section("nodes"))
        localNode = try LocalNodeSettings(reader: try reader.section("node"))
        api = APISettings(
            maxActiveConfigurations: try reader.section("api").int("max_active_configurations", default: 3, range: 0...100))
    }

    private static func readTLS(_ section: ConfigReader) throws -> TLSSettings {
        let enabled = try section.bool("enabled", default: true)
        let certificate = try section.optionalString("certificate_file")
        let key = try section.optionalString("key_file")
        guard enabled else {
            if certificate != nil || key != nil {
                throw section.error("enabled", "is false, so certificate_file and key_file would be ignored: remove them")
            }
            return .disabled
        }
        switch (certificate, key) {
        case (nil, nil): return .selfSigned
        case (let certificate?, let key?): return .files(certificate: certificate, key: key)
        case (nil, _): throw section.error("certificate_file", "is missing (key_file is set)")
        case (_, nil): throw section.error("key_file", "is missing (certificate_file is set)")
        }
    }
}
