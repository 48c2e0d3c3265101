import Foundation
import PluginAPI

/// The JSON form of a ``VPNProfile`` in the store.
struct StoredProfile: Codable {
    var id: String
    var displayName: String
    var requiredPermissions: [String]
    var defaultGateway: Bool
    var ipv4Range: String?
    var ipv6Range: String?
    var dnsServers: [String]
    var routes: [String]

    static func encode(_ profile: VPNProfile) throws -> String {
        let stored = StoredProfile(
            id: profile.id, displayName: profile.displayName, requiredPermissions: profile.requiredPermissions,
            defaultGateway: profile.defaultGateway, ipv4Range: profile.ipv4Range?.description,
            ipv6Range: profile.ipv6Range?.description, dnsServers: profile.dnsServers,
            routes: profile.routes.map(\.description))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(stored), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> VPNProfile {
        let stored = try JSONDecoder().decode(StoredProfile.self, from: Data(text.utf8))
        return VPNProfile(
            id: stored.id, displayName: stored.displayName, requiredPermissions: stored.requiredPermissions,
            defaultGateway: stored.defaultGateway, ipv4Range: try stored.ipv4Range.map { try IPNetwork(parsing: $0) },
            ipv6Range: try stored.ipv6Range.map { try IPNetwork(parsing: $0) }, dnsServers: stored.dnsServers,
            routes: try stored.routes.map { try IPNetwork(parsing: $0) })
    }
}
