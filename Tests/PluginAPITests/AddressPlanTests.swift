import PluginAPI
import Testing

@Suite("Address planning")
struct AddressPlanTests {
    func settings(_ v4: String, _ v6: String, udp: [Int] = [1194], tcp: [Int] = [1194]) throws -> OpenVPNProfileSettings {
        OpenVPNProfileSettings(ipv4Range: try IPNetwork(parsing: v4), ipv6Range: try IPNetwork(parsing: v6), udpPorts: udp, tcpPorts: tcp)
    }

    @Test func oneNodeTwoProcessesLikeTheReference() throws {
        let plan = try AddressPlan(profileID: "p", settings: try settings("10.42.42.0/24", "fd42:4242:4242:4242::/64"), nodeIDs: ["n"])
        #expect(plan.processes.map(\.ipv4.description) == ["10.42.42.0/25", "10.42.42.128/25"])
        #expect(plan.processes.map(\.ipv6.description) == ["fd42:4242:4242:4242::/112", "fd42:4242:4242:4242::1:0/112"])
        #expect(plan.processes.map(\.transport) == ["udp", "tcp"])
        #expect(plan.processes.map(\.maxClients) == [124, 124], "2^(32-25) - 4")
        #expect(plan.maxClients == 248)
    }

    @Test func rangesSplitAcrossNodesThenProcesses() throws {
        let plan = try AddressPlan(
            profileID: "p", settings: try settings("10.0.0.0/22", "fd00::/48", udp: [1194, 1195, 1196], tcp: [443]),
            nodeIDs: ["a", "b", "c"])
        // 3 nodes take 2 bits (4 parts, the last unused), 4 processes take 2 more: /26 per process.
        #expect(plan.processes(onNode: "a").map(\.ipv4.description) == ["10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26", "10.0.0.192/26"])
        #expect(plan.processes(onNode: "c").first?.ipv4.description == "10.0.2.0/26")
        #expect(plan.processes(onNode: "b").first?.ipv6.description == "fd00:0:0:4000::/112")
        #expect(plan.processes(onNode: "b").map(\.port) == [1194, 1195, 1196, 443])
        #expect(plan.processes.count == 12)
        #expect(plan.maxClients == 12 * 60)
    }

    @Test func refusesWhatDoesNotFit() throws {
        #expect(throws: AddressPlan.PlanError.self) {
            try AddressPlan(profileID: "p", settings: try settings("10.0.0.0/24", "fd00::/64", udp: [1, 2], tcp: [3]), nodeIDs: ["n"])
        }
        #expect(throws: AddressPlan.PlanError.self) {
            try AddressPlan(profileID: "p", settings: try settings("10.0.0.0/24", "fd00::/64", udp: Array(1...40), tcp: Array(41...64)), nodeIDs: ["n"])
        }
        let ok = try AddressPlan(profileID: "p", settings: try settings("10.0.0.0/23", "fd00::/64", udp: Array(1...48), tcp: Array(49...64)), nodeIDs: ["n"])
        #expect(ok.processes.count == 64 && ok.processes.allSatisfy { $0.maxClients == 4 })
        #expect(throws: AddressPlan.PlanError.self) {
            try AddressPlan(profileID: "p", settings: try settings("10.0.0.0/24", "fd00::/64"), nodeIDs: [])
        }
    }

    @Test func subnetArithmetic() throws {
        let v6 = try IPNetwork(parsing: "fd00::/64")
        #expect(v6.subnet(65535, prefixLength: 80)?.description == "fd00::ffff:0:0:0/80")
        #expect(v6.subnet(1, prefixLength: 64)?.description == nil, "index beyond the split")
        let v4 = try IPNetwork(parsing: "10.0.0.0/24")
        #expect(v4.address(at: 1).map(IPNetwork.format) == "10.0.0.1")
        #expect(v4.netmask == "255.255.255.0")
        #expect(try IPNetwork(parsing: "10.0.0.0/26").netmask == "255.255.255.192")
    }
}
