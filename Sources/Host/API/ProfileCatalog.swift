import Foundation
import Logging
import PluginAPI
import Synchronization

/// The profiles of every profile provider, read at most every `refreshInterval` (profiles change with the
/// configuration, not per request), each with its `/info` entry rendered once.
final class ProfileCatalog: Sendable {
    struct Entry: Sendable {
        var profile: VPNProfile
        /// The profile's object in `/info`'s `profile_list`.
        var infoJSON: String
    }

    private let providers: [any ProfileProvider]
    private let backends: Set<String>
    private let clock: any WallClock
    private let refreshInterval: Int64
    private let cached = Mutex<(entries: [Entry], readAt: Int64)?>(nil)

    init(providers: [any ProfileProvider], backends: Set<String>, clock: any WallClock, refreshInterval: Int64 = 5) {
        self.providers = providers
        self.backends = backends
        self.clock = clock
        self.refreshInterval = refreshInterval
    }

    func entries(logger: Logger) async throws -> [Entry] {
        let now = clock.secondsSince1970
        if let cached = cached.withLock({ $0 }), now - cached.readAt < refreshInterval { return cached.entries }
        var entries: [Entry] = []
        for provider in providers {
            for profile in try await provider.profiles(context: AuthCallContext(logger: logger)) {
                entries.append(Entry(profile: profile, infoJSON: Self.infoJSON(profile, protocols: protocols(of: profile))))
            }
        }
        cached.withLock { $0 = (entries, now) }
        return entries
    }

    /// The protocols a profile offers that a backend serves, OpenVPN first (as the reference lists them).
    func protocols(of profile: VPNProfile) -> [String] {
        profile.openVPN != nil && backends.contains("openvpn") ? ["openvpn"] : []
    }

    static func infoJSON(_ profile: VPNProfile, protocols: [String]) -> String {
        var object: [String: Any] = [
            "profile_id": profile.id, "display_name": profile.displayName, "default_gateway": profile.defaultGateway,
            "vpn_proto_list": protocols,
        ]
        var transports: [String] = []
        if let openVPN = profile.openVPN, protocols.contains("openvpn") {
            if !openVPN.udpPorts.isEmpty { transports.append("openvpn+udp") }
            if !openVPN.tcpPorts.isEmpty { transports.append("openvpn+tcp") }
        }
        object["vpn_proto_transport_list"] = transports
        if !profile.dnsSearchDomains.isEmpty { object["dns_search_domain_list"] = profile.dnsSearchDomains }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
