/// A node as the registry knows it: enrolment and the health it last reported.
struct NodeRecord: Sendable, Equatable, Codable {
    var id: String
    var enrolled: Bool
    var lastSeenAt: Int64?
    var cpuCount: Int64
    var loadPercent: Int64
    var uptime: Int64
    var connectionCount: Int64
    var certificateExpiresAt: Int64?

    /// `online` (heard from within `window` seconds), `offline`, or `pending` (not enrolled yet).
    func status(now: Int64, window: Int64) -> String {
        guard enrolled else { return "pending" }
        guard let lastSeenAt, now - lastSeenAt <= window else { return "offline" }
        return "online"
    }
}
