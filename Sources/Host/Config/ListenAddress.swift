import PluginAPI

/// `HOST:PORT` (or `[IPv6]:PORT`) to listen on.
struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `text`; the error names `key`.
    init(parsing text: String, key: String) throws {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ConfigError(key: key, problem: "expected [IPv6]:PORT, found '\(text)'") }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ConfigError(key: key, problem: "expected HOST:PORT, found '\(text)'")
            }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw ConfigError(key: key, problem: "has no host in '\(text)'") }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            throw ConfigError(key: key, problem: "has an invalid port in '\(text)' (0...65535)")
        }
        self.host = String(hostPart)
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
