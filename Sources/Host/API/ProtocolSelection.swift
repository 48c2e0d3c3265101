import Foundation
/// The eduVPN server's choice of VPN protocol for `/connect` (reference 3.x): what the app accepts (its merged
/// `Accept` headers) and sent (a WireGuard public key), what the profile offers, `prefer_tcp`, and the profile's
/// preferred protocol.
struct ProtocolSelection: Sendable, Equatable {
    static let openVPNType = "application/x-openvpn-profile"
    static let wireGuardType = "application/x-wireguard-profile"
    static let wireGuardTCPType = "application/x-wireguard+tcp-profile"

    var acceptsOpenVPN: Bool
    var acceptsWireGuard: Bool

    /// Reads every `Accept` header line (apps send several) as one list. No known type means both.
    init(acceptHeaders: [String]) {
        var types = Set<String>()
        for header in acceptHeaders {
            for item in header.utf8.split(separator: UInt8(ascii: ",")) {
                let mediaType = item.prefix { $0 != UInt8(ascii: ";") }.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                let trimmed = mediaType.reversed().drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.reversed()
                types.insert(String(decoding: trimmed, as: UTF8.self).lowercased())
            }
        }
        let openVPN = types.contains(Self.openVPNType)
        let wireGuard = types.contains(Self.wireGuardType) || types.contains(Self.wireGuardTCPType)
        if !openVPN && !wireGuard {
            acceptsOpenVPN = true
            acceptsWireGuard = true
        } else {
            acceptsOpenVPN = openVPN
            acceptsWireGuard = wireGuard
        }
    }

    /// The protocols to try, in order; empty when there is none in common.
    func order(profileOffers offered: Set<String>, hasPublicKey: Bool, preferTCP: Bool, profileHasTCP: Bool, preferred: String) -> [String] {
        var common: [String] = []
        if acceptsOpenVPN && offered.contains("openvpn") { common.append("openvpn") }
        if acceptsWireGuard && hasPublicKey && offered.contains("wireguard") { common.append("wireguard") }
        guard common.count > 1 else { return common }
        let first = preferTCP && profileHasTCP ? "openvpn" : preferred
        return common.sorted { lhs, _ in lhs == first }
    }
}
