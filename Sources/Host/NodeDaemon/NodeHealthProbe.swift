import Foundation

/// The machine's health for heartbeats: CPUs, one-minute load relative to them, uptime (from `/proc`).
enum NodeHealthProbe {
    static func sample(connections: Int) -> NodeHealth {
        let cpus = Int64(max(ProcessInfo.processInfo.activeProcessorCount, 1))
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) } ?? 0
        let uptime = (try? String(contentsOfFile: "/proc/uptime", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) } ?? 0
        return NodeHealth(
            cpuCount: cpus, loadPercent: Int64((100 * load / Double(cpus)).rounded()), uptime: Int64(uptime),
            connectionCount: Int64(connections))
    }
}
