/// One RADIUS server: where it listens and the secret it shares with Portolan.
struct RADIUSServer: Sendable, Equatable {
    var host: String
    var port: Int
    /// The shared secret (never logged).
    var secret: [UInt8]

    static func == (lhs: RADIUSServer, rhs: RADIUSServer) -> Bool { lhs.host == rhs.host && lhs.port == rhs.port }

    var label: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
