/// How a profile's OpenVPN ranges are split: first across the nodes that serve it, then across each node's
/// processes (one per port, UDP first). Every process gets an IPv4 subnet and an IPv6 /112.
///
/// ```swift
/// let plan = try AddressPlan(profileID: "office", settings: settings, nodeIDs: ["a", "b"])
/// plan.processes(onNode: "a")[0].ipv4    // 10.42.0.0/26 for a /24, 2 nodes, 2 processes each
/// plan.maxClients                        // 4 × 60 = 240
/// ```
public struct AddressPlan: Sendable, Hashable {
    /// Why a profile's ranges and ports do not make a plan.
    public struct PlanError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The configuration key at fault: `udp_ports`, `ipv4_range` or `ipv6_range`.
        public let key: String
        /// What is wrong.
        public let description: String
    }

    /// One OpenVPN process.
    public struct Process: Sendable, Hashable {
        /// The node it runs on.
        public var nodeID: String
        /// Its index on the node for this profile (UDP processes first).
        public var index: Int
        /// `udp` or `tcp`.
        public var transport: String
        /// The port it listens on.
        public var port: Int
        /// Its IPv4 client subnet.
        public var ipv4: IPNetwork
        /// Its IPv6 client subnet (a /112).
        public var ipv6: IPNetwork
        /// `max-clients`: 2^(32 − prefix) − 4 (network, gateway, broadcast and one reserved by OpenVPN).
        public var maxClients: Int
    }

    /// The largest supported process count per profile and node.
    public static let maxProcesses = 64
    /// The smallest IPv4 subnet a process can have.
    public static let smallestIPv4Prefix = 29
    /// The IPv6 prefix every process gets.
    public static let ipv6ProcessPrefix = 112

    /// Every process on every node, node by node.
    public let processes: [Process]

    /// The most clients the profile can hold at once, over all its nodes and processes.
    public var maxClients: Int { processes.reduce(0) { $0 + $1.maxClients } }

    /// The processes of one node.
    /// - Parameter nodeID: the node.
    public func processes(onNode nodeID: String) -> [Process] { processes.filter { $0.nodeID == nodeID } }

    /// Plans a profile.
    /// - Parameters:
    ///   - profileID: the profile, for messages.
    ///   - settings: ranges and ports.
    ///   - nodeIDs: the nodes serving the profile, at least one.
    /// - Throws: ``PlanError`` naming the key and the problem.
    public init(profileID: String, settings: OpenVPNProfileSettings, nodeIDs: [String]) throws {
        let count = settings.processCount
        guard count >= 1, count <= Self.maxProcesses, count & (count - 1) == 0 else {
            throw PlanError(
                key: "udp_ports",
                description: "\(count) OpenVPN processes (UDP + TCP ports) do not fit: the count must be 1, 2, 4, 8, 16, 32 or 64")
        }
        guard !nodeIDs.isEmpty else { throw PlanError(key: "nodes", description: "the profile runs on no node") }
        let processBits = count.trailingZeroBitCount
        let nodeBits = Self.bits(for: nodeIDs.count)
        let ipv4Prefix = settings.ipv4Range.prefixLength + nodeBits + processBits
        guard ipv4Prefix <= Self.smallestIPv4Prefix else {
            throw PlanError(
                key: "ipv4_range",
                description: "\(settings.ipv4Range) is too small for \(nodeIDs.count) node(s) × \(count) processes: each process needs at least a /\(Self.smallestIPv4Prefix), so use a /\(Self.smallestIPv4Prefix - nodeBits - processBits) or larger")
        }
        let ipv6NodePrefix = settings.ipv6Range.prefixLength + nodeBits
        guard ipv6NodePrefix + processBits <= Self.ipv6ProcessPrefix else {
            throw PlanError(
                key: "ipv6_range",
                description: "\(settings.ipv6Range) is too small for \(nodeIDs.count) node(s) × \(count) processes of a /112 each: use a /\(Self.ipv6ProcessPrefix - nodeBits - processBits) or larger")
        }
        let transports = settings.udpPorts.map { ("udp", $0) } + settings.tcpPorts.map { ("tcp", $0) }
        var processes: [Process] = []
        for (nodeIndex, nodeID) in nodeIDs.enumerated() {
            guard let nodeIPv4 = settings.ipv4Range.subnet(nodeIndex, prefixLength: settings.ipv4Range.prefixLength + nodeBits),
                let nodeIPv6 = settings.ipv6Range.subnet(nodeIndex, prefixLength: ipv6NodePrefix)
            else { throw PlanError(key: "nodes", description: "internal: node \(nodeIndex) does not fit") }
            for (index, (transport, port)) in transports.enumerated() {
                guard let ipv4 = nodeIPv4.subnet(index, prefixLength: ipv4Prefix),
                    let ipv6 = nodeIPv6.subnet(index, prefixLength: Self.ipv6ProcessPrefix)
                else { throw PlanError(key: "udp_ports", description: "internal: process \(index) does not fit") }
                processes.append(
                    Process(
                        nodeID: nodeID, index: index, transport: transport, port: port, ipv4: ipv4, ipv6: ipv6,
                        maxClients: (1 << (32 - ipv4Prefix)) - 4))
            }
        }
        self.processes = processes
    }

    /// ⌈log2(count)⌉: the bits needed to give `count` parts their own subnet.
    private static func bits(for count: Int) -> Int {
        count <= 1 ? 0 : Int.bitWidth - (count - 1).leadingZeroBitCount
    }
}
