import Foundation
import PluginAPI

/// The JSON form of a ``VPNProfile`` in the store. New optional fields may be added; never rename one.
struct StoredProfile: Codable {
    struct Node: Codable {
        var id: String
        var hostName: String
        var listenAddress: String
    }

    struct OpenVPN: Codable {
        var ipv4Range: String
        var ipv6Range: String
        var udpPorts: [Int]
        var tcpPorts: [Int]
        var exposedUDPPorts: [Int]
        var exposedTCPPorts: [Int]
    }

    var id: String
    var displayName: String
    var requiredPermissions: [String]?
    var defaultGateway: Bool
    var dnsServers: [String]
    var dnsSearchDomains: [String]
    var routes: [String]
    var excludedRoutes: [String]
    var blockLAN: Bool
    var nodes: [Node]
    var preferredProtocol: String
    var sessionExpiry: Int64
    var openVPN: OpenVPN?

    static func encode(_ profile: VPNProfile) throws -> String {
        let stored = StoredProfile(
            id: profile.id, displayName: profile.displayName, requiredPermissions: profile.requiredPermissions,
            defaultGateway: profile.defaultGateway, dnsServers: profile.dnsServers,
            dnsSearchDomains: profile.dnsSearchDomains, routes: profile.routes.map(\.description),
            excludedRoutes: profile.excludedRoutes.map(\.description), blockLAN: profile.blockLAN,
            nodes: profile.nodes.map { Node(id: $0.id, hostName: $0.hostName, listenAddress: $0.listenAddress) },
            preferredProtocol: profile.preferredProtocol, sessionExpiry: profile.sessionExpiry,
            openVPN: profile.openVPN.map {
                OpenVPN(
                    ipv4Range: $0.ipv4Range.description, ipv6Range: $0.ipv6Range.description, udpPorts: $0.udpPorts,
                    tcpPorts: $0.tcpPorts, exposedUDPPorts: $0.exposedUDPPorts, exposedTCPPorts: $0.exposedTCPPorts)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(stored), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> VPNProfile {
        let stored = try JSONDecoder().decode(StoredProfile.self, from: Data(text.utf8))
        return VPNProfile(
            id: stored.id, displayName: stored.displayName, requiredPermissions: stored.requiredPermissions,
            defaultGateway: stored.defaultGateway, dnsServers: stored.dnsServers, dnsSearchDomains: stored.dnsSearchDomains,
            routes: try stored.routes.map { try IPNetwork(parsing: $0) },
            excludedRoutes: try stored.excludedRoutes.map { try IPNetwork(parsing: $0) }, blockLAN: stored.blockLAN,
            nodes: stored.nodes.map { ProfileNode(id: $0.id, hostName: $0.hostName, listenAddress: $0.listenAddress) },
            preferredProtocol: stored.preferredProtocol, sessionExpiry: stored.sessionExpiry,
            openVPN: try stored.openVPN.map {
                OpenVPNProfileSettings(
                    ipv4Range: try IPNetwork(parsing: $0.ipv4Range), ipv6Range: try IPNetwork(parsing: $0.ipv6Range),
                    udpPorts: $0.udpPorts, tcpPorts: $0.tcpPorts, exposedUDPPorts: $0.exposedUDPPorts,
                    exposedTCPPorts: $0.exposedTCPPorts)
            })
    }
}
