import Foundation
package import PluginAPI

/// Renders a client `.ovpn` the way the reference server does: the header, fixed directives, inline
/// `<ca>`, `<cert>`, `<key>` and `<tls-crypt>`, then the remotes.
///
/// Remotes: one random "normal" UDP port and one special UDP port (53 or 443), and the same for TCP (80 or 443);
/// exposed ports replace listen ports when set; UDP first unless the app prefers TCP. Pure: randomness comes from
/// the generator passed in, so the output is reproducible in tests.
package struct ClientConfigRenderer: Sendable {
    package struct Input: Sendable {
        package var profile: VPNProfile
        package var settings: OpenVPNProfileSettings
        package var node: ProfileNode
        package var caPEM: String
        package var certificatePEM: String
        package var privateKeyPEM: String
        package var tlsCrypt: TLSCryptKey
        package var expiresAt: Int64
        package var portalURL: String
        package var preferTCP: Bool

        package init(
            profile: VPNProfile, settings: OpenVPNProfileSettings, node: ProfileNode, caPEM: String, certificatePEM: String,
            privateKeyPEM: String, tlsCrypt: TLSCryptKey, expiresAt: Int64, portalURL: String, preferTCP: Bool
        ) {
            self.profile = profile
            self.settings = settings
            self.node = node
            self.caPEM = caPEM
            self.certificatePEM = certificatePEM
            self.privateKeyPEM = privateKeyPEM
            self.tlsCrypt = tlsCrypt
            self.expiresAt = expiresAt
            self.portalURL = portalURL
            self.preferTCP = preferTCP
        }
    }

    static let specialUDPPorts: Set = [53, 443]
    static let specialTCPPorts: Set = [80, 443]

    package static func render(_ input: Input, using generator: inout some RandomNumberGenerator) -> String {
        var lines = [
            "# Portal: \(input.portalURL)",
            "# Profile: \(input.profile.displayName) (\(input.profile.id))",
            "# Expires: \(atom(input.expiresAt))",
            "",
            "dev tun",
            "client",
            "nobind",
            "remote-cert-tls server",
            "verb 3",
            "server-poll-timeout 10",
            "tls-version-min 1.3",
            "data-ciphers AES-256-GCM:CHACHA20-POLY1305",
            "reneg-sec 0",
        ]
        lines.append(block("ca", input.caPEM))
        lines.append(block("cert", input.certificatePEM))
        lines.append(block("key", input.privateKeyPEM))
        lines.append(block("tls-crypt", input.tlsCrypt.pem))
        let udp = pick(ports(input.settings.exposedUDPPorts, else: input.settings.udpPorts), special: specialUDPPorts, &generator)
        let tcp = pick(ports(input.settings.exposedTCPPorts, else: input.settings.tcpPorts), special: specialTCPPorts, &generator)
        let udpLines = udp.map { "remote \(input.node.hostName) \($0) udp" }
        let tcpLines = tcp.map { "remote \(input.node.hostName) \($0) tcp" }
        lines.append(contentsOf: input.preferTCP ? tcpLines + udpLines : udpLines + tcpLines)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `<name>\nPEM</name>`; the PEM already ends in a newline.
    static func block(_ name: String, _ pem: String) -> String {
        "<\(name)>\n\(pem.hasSuffix("\n") ? pem : pem + "\n")</\(name)>"
    }

    private static func ports(_ exposed: [Int], else listen: [Int]) -> [Int] { exposed.isEmpty ? listen : exposed }

    /// One random normal port and one random special port, normal first; either may be missing.
    private static func pick(_ ports: [Int], special: Set<Int>, _ generator: inout some RandomNumberGenerator) -> [Int] {
        let normal = ports.filter { !special.contains($0) }
        let specials = ports.filter { special.contains($0) }
        return [normal.randomElement(using: &generator), specials.randomElement(using: &generator)].compactMap { $0 }
    }

    /// ATOM time (RFC 3339 with a numeric offset), in UTC: `2026-02-23T10:00:00+00:00`.
    /// Computed with `gmtime_r` rather than a `DateFormatter`, which is costly to build on every `/connect`.
    static func atom(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "\(seconds)" }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))+00:00"
    }
}
