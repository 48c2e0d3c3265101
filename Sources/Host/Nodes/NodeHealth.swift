/// What a node reports in its heartbeat.
struct NodeHealth: Sendable, Codable, Equatable {
    var cpuCount: Int64
    /// 100 × the one-minute load average / CPUs.
    var loadPercent: Int64
    var uptime: Int64
    var connectionCount: Int64

    enum CodingKeys: String, CodingKey {
        case cpuCount = "cpu_count", loadPercent = "load_percent", uptime, connectionCount = "connection_count"
    }
}
