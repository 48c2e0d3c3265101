import PluginAPI
import Testing

@Suite("IPNetwork")
struct IPNetworkTests {
    @Test(arguments: ["10.0.0.0/8", "192.168.1.0/24", "0.0.0.0/0", "10.42.42.7/32", "fd42::/64", "2001:db8::/32", "::/0"])
    func parsesAndPrintsCanonically(_ text: String) throws {
        #expect(try IPNetwork(parsing: text).description == text)
    }

    @Test func normalisesIPv6Text() throws {
        #expect(try IPNetwork(parsing: "FD42:0:0:0::/64").description == "fd42::/64")
    }

    @Test(arguments: [
        ("10.0.0.0", "CIDR notation"), ("10.0.0.0/33", "prefix"), ("10.0.0/24", "valid IPv4 or IPv6"),
        ("fd00::/129", "prefix"), ("10.0.0.1/24", "did you mean 10.0.0.0/24"), ("abc/8", "valid"), ("10.0.0.0/-1", "prefix"),
        ("", "CIDR"), ("10.0.0.0/8/8", "CIDR"),
    ])
    func rejectsWithAReason(_ text: String, _ reason: String) {
        #expect {
            try IPNetwork(parsing: text)
        } throws: { error in
            (error as? IPNetwork.ParseError)?.description.contains(reason) == true
        }
    }

    @Test func sizesAndOverlaps() throws {
        let a = try IPNetwork(parsing: "10.0.0.0/16")
        #expect(a.addressCount == 65536)
        #expect(try IPNetwork(parsing: "fd00::/64").addressCount == UInt64.max)
        #expect(try IPNetwork(parsing: "fd00::/112").addressCount == 65536)
        #expect(a.overlaps(try IPNetwork(parsing: "10.0.200.0/24")))
        #expect(!a.overlaps(try IPNetwork(parsing: "10.1.0.0/16")))
        #expect(!a.overlaps(try IPNetwork(parsing: "fd00::/8")), "different families never overlap")
    }
}
