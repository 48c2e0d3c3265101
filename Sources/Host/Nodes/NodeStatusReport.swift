import Foundation
import PluginAPI

/// One node as `portolan node list --json` and `GET /admin/api/v1/nodes` show it.
struct NodeStatusReport: Sendable, Codable, Equatable {
    var id: String
    var status: String
    var lastSeenAt: Int64?
    var cpuCount: Int64
    var loadPercent: Int64
    var uptime: Int64
    var connections: Int64
    var certificateExpiresAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, status, lastSeenAt = "last_seen_at", cpuCount = "cpu_count", loadPercent = "load_percent", uptime, connections,
            certificateExpiresAt = "certificate_expires_at"
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func make(_ runtime: HostRuntime) async throws -> [NodeStatusReport] {
        try await make(registry: NodeRegistry(store: runtime.store, clock: runtime.clock), window: runtime.configuration.nodes.onlineWindow)
    }

    static func make(registry: NodeRegistry, window: Int64) async throws -> [NodeStatusReport] {
        let now = registry.clock.secondsSince1970
        return try await registry.list().map { node in
            NodeStatusReport(
                id: node.id, status: node.status(now: now, window: window), lastSeenAt: node.lastSeenAt, cpuCount: node.cpuCount,
                loadPercent: node.loadPercent, uptime: node.uptime, connections: node.connectionCount,
                certificateExpiresAt: node.certificateExpiresAt)
        }
    }
}
