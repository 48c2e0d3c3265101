import PluginAPI
import Synchronization

/// Chooses the node a new configuration points at: among the profile's nodes that are online, the least loaded
/// (relative load, then connections). With none online it falls back to the profile's first node: a
/// configuration lasts for months, and a node back up serves it; the reference picks at random even among dead ones.
final class NodeSelector: Sendable {
    private let registry: NodeRegistry
    private let clock: any WallClock
    private let onlineWindow: Int64
    private let cached = Mutex<(nodes: [String: NodeRecord], readAt: Int64)?>(nil)

    init(registry: NodeRegistry, clock: any WallClock, onlineWindow: Int64) {
        self.registry = registry
        self.clock = clock
        self.onlineWindow = onlineWindow
    }

    /// The node for a new configuration of `profile`, or `nil` for the backend's default.
    func choose(for profile: VPNProfile) async throws -> String? {
        let now = clock.secondsSince1970
        let nodes: [String: NodeRecord]
        if let cached = cached.withLock({ $0 }), now - cached.readAt < 2 {
            nodes = cached.nodes
        } else {
            nodes = Dictionary(try await registry.list().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            cached.withLock { $0 = (nodes, now) }
        }
        let live = profile.nodes.compactMap { nodes[$0.id] }.filter { $0.status(now: now, window: onlineWindow) == "online" }
        return live.min { ($0.loadPercent, $0.connectionCount) < ($1.loadPercent, $1.connectionCount) }?.id
    }
}
