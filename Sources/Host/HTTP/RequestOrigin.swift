import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PluginAPI

/// Where a request came from and which public URL it used: the configured `server.public_url`, or the request's own
/// scheme and `Host`; `X-Forwarded-For`, `-Proto` and `-Host` count only when the peer is a `server.trusted_proxies`
/// address.
struct RequestOrigin: Sendable {
    /// `https://host[:port]` without a trailing slash.
    let baseURL: String
    /// The client's address: the peer, or the last untrusted hop of `X-Forwarded-For` behind a trusted proxy.
    let clientAddress: String?
    /// Whether the user reached us over HTTPS (decides the cookies' `Secure` flag).
    let isSecure: Bool
    /// Whether the TCP peer is a `server.trusted_proxies` address (whose headers are believed).
    var fromTrustedProxy = false

    struct Policy: Sendable {
        let publicURL: String?
        let servesTLS: Bool
        let trustedProxies: [IPNetwork]

        init(configuration: HostConfiguration) {
            publicURL = configuration.publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            servesTLS = configuration.tls != .disabled
            trustedProxies = configuration.trustedProxies
        }

        func origin(of request: Request, peer: SocketAddress?) -> RequestOrigin {
            let peerIP = peer?.ipAddress
            let fromProxy = peerIP.map { ip in trustedProxies.contains { $0.contains(address: ip) } } ?? false
            var client = peerIP
            var scheme = servesTLS ? "https" : "http"
            var host = request.head.authority
            if fromProxy {
                if let forwardedFor = request.headers[values: .xForwardedFor].last {
                    let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    client = hops.last { hop in !trustedProxies.contains { $0.contains(address: hop) } } ?? hops.first ?? client
                }
                if let proto = request.headers[.xForwardedProto]?.lowercased(), proto == "https" || proto == "http" {
                    scheme = proto
                }
                if let forwardedHost = request.headers[.xForwardedHost] {
                    host = forwardedHost.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
                }
            }
            if let publicURL {
                return RequestOrigin(
                    baseURL: publicURL, clientAddress: client, isSecure: publicURL.hasPrefix("https://"), fromTrustedProxy: fromProxy)
            }
            let safeHost = host.flatMap { Self.isSafeAuthority($0) ? $0 : nil } ?? "localhost"
            return RequestOrigin(
                baseURL: "\(scheme)://\(safeHost)", clientAddress: client, isSecure: scheme == "https", fromTrustedProxy: fromProxy)
        }

        /// Host names, IPv4, bracketed IPv6, with an optional port: nothing that could break out of a URL or header.
        static func isSafeAuthority(_ text: String) -> Bool {
            !text.isEmpty && text.utf8.count <= 255
                && text.utf8.allSatisfy { byte in
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || ".-:[]".utf8.contains(byte)
                }
        }
    }
}
