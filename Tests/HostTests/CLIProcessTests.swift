import Foundation
import PluginAPI
import TestSupport
import Testing

@testable import Host

/// The `portolan` binary, run as an operator runs it.
@Suite("portolan command line", .serialized)
struct CLIProcessTests {
    @Test func firstStartServesHealthAndPrintsTheAdminOnce() async throws {
        try await withTemporaryDirectory { directory in
            let server = try PortolanProcess(["serve", "--listen", "127.0.0.1:0"], directory: directory)
            let port = try await server.waitForPort()
            let passwordLine = try await server.waitForLine(startingWith: "Created the first admin")
            #expect(passwordLine.contains("user 'admin' with password "))
            let health = try await HTTPProbe.get("https://127.0.0.1:\(port)/health")
            #expect(health.status == 200)
            #expect(try await HTTPProbe.get("https://127.0.0.1:\(port)/ready").status == 200)
            let fingerprintLine = try await server.waitForLine(startingWith: "TLS certificate: self-signed, SHA-256 fingerprint ")
            let printed = String(fingerprintLine.split(separator: " ").last ?? "")
            #expect(try Self.servedFingerprint(port: port) == printed, "the printed fingerprint is the served certificate's")
            let tls12 = try Shell.run("openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_2", "-brief"])
            #expect(tls12.status != 0, "TLS 1.2 is refused: \(tls12.output)")

            let list = try await PortolanProcess.run(["user", "list"], directory: directory)
            #expect(list.status == 0)
            #expect(list.stdout == "admin\tadmin\tlocal\t-\n")
            #expect(FileManager.default.fileExists(atPath: "\(directory)/portolan-data/portolan.sqlite"))
            let keyMode = try FileManager.default.attributesOfItem(atPath: "\(directory)/portolan-data/master.key")[.posixPermissions] as? Int
            #expect(keyMode == 0o600)

            server.signal(SIGTERM)
            let stopped = try await server.waitForExit(timeout: .seconds(10))
            #expect(stopped.status == 0)
            #expect(!stopped.stderr.contains("admin with password"), "the password is not logged")

            let again = try PortolanProcess(["serve", "--listen", "127.0.0.1:0"], directory: directory)
            let againPort = try await again.waitForPort()
            #expect(!again.stdout.contains("Created the first admin"), "the admin is created only once")
            #expect(try Self.servedFingerprint(port: againPort) == printed, "the self-signed identity is kept in the store")
            again.signal(SIGINT)
            #expect(try await again.waitForExit(timeout: .seconds(10)).status == 0)
        }
    }

    /// How many migrations a default boot applies: the host's and the default plugins'.
    static func migrationCount() async throws -> Int {
        try await TestHost.withRuntime(.sqlite) { runtime in
            HostMigrations.all.count + runtime.registry.migrations.map(\.migrations.count).reduce(0, +)
        }
    }

    /// The SHA-256 fingerprint of the certificate served on `port`, as `openssl x509 -fingerprint` prints it, after
    /// checking that TLS 1.3 was negotiated.
    static func servedFingerprint(port: Int) throws -> String {
        let script = "openssl s_client -connect 127.0.0.1:\(port) -brief </dev/null 2>/tmp/ptl-sclient-\(port).log | true; "
            + "grep -q 'Protocol version: TLSv1.3' /tmp/ptl-sclient-\(port).log && "
            + "openssl s_client -connect 127.0.0.1:\(port) </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256"
        let result = try Shell.run("sh", ["-c", script])
        return result.output.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "(\(result.output))"
    }

    @Test func sigtermStopsWithinFiveSeconds() async throws {
        try await withTemporaryDirectory { directory in
            let server = try PortolanProcess(["serve", "--listen", "127.0.0.1:0"], directory: directory)
            let port = try await server.waitForPort()
            #expect(try await HTTPProbe.get("https://127.0.0.1:\(port)/health").status == 200)
            let start = ContinuousClock.now
            server.signal(SIGTERM)
            let output = try await server.waitForExit(timeout: .seconds(10))
            let elapsed = ContinuousClock.now - start
            #expect(output.status == 0)
            #expect(elapsed < .seconds(5), "took \(elapsed)")
        }
    }

    static let badConfigurations: [(name: String, yaml: String, mustName: String)] = [
        ("unknown key", "server:\n  listen: 127.0.0.1:0\n  colour: blue\n", "server.colour"),
        ("wrong type", "plugins:\n  local-auth:\n    bcrypt_cost: [1]\n", "plugins.local-auth.bcrypt_cost"),
        ("invalid CIDR", "plugins:\n  profiles:\n    profiles:\n      - id: p\n        openvpn: {ipv4_range: 10.1.2.0/40, ipv6_range: fd00::/64}\n",
         "plugins.profiles.profiles[0].openvpn.ipv4_range"),
        ("unreachable PostgreSQL", "database:\n  url: postgres://portolan:hunter2@127.0.0.1:1/portolan\nsecrets:\n  master_key: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
         "postgres://portolan@127.0.0.1:1/portolan"),
    ]

    @Test(arguments: badConfigurations.map(\.name))
    func badConfigurationExitsWithOneLine(_ name: String) async throws {
        let bad = try #require(Self.badConfigurations.first { $0.name == name })
        try await withTemporaryDirectory { directory in
            try bad.yaml.write(toFile: "\(directory)/portolan.yaml", atomically: true, encoding: .utf8)
            for arguments in [["serve", "--config", "portolan.yaml"], ["config", "check", "portolan.yaml"]] {
                if bad.name == "unreachable PostgreSQL" && arguments[0] == "config" { continue }  // check does not connect
                let output = try await PortolanProcess.run(arguments, directory: directory)
                #expect(output.status != 0, "\(arguments)")
                let lines = output.stderr.split(separator: "\n")
                #expect(lines.count == 1, "one line, got: \(output.stderr)")
                #expect(output.stderr.contains(bad.mustName), "names \(bad.mustName): \(output.stderr)")
                #expect(!output.stderr.contains("hunter2"), "no password in the message")
                #expect(!output.stderr.contains("Fatal error") && !output.stderr.contains("Stack"))
            }
        }
    }

    static let profileHead = "plugins:\n  profiles:\n    nodes:\n      - {id: a, host_name: vpn-a.example.org}\n    profiles:\n"
    static func profileEntry(_ id: String, _ v4: String = "10.0.0.0/24", _ v6: String = "fd00::/64", extra: String = "") -> String {
        "      - id: \(id)\n\(extra)        openvpn: {ipv4_range: \(v4), ipv6_range: \(v6)}\n"
    }
    static let invalidProfiles: [(name: String, profiles: String, line: String)] = [
        ("overlapping ranges", profileEntry("p") + profileEntry("q", "10.0.0.128/25", "fd01::/64"),
         "plugins.profiles.profiles[1].openvpn.ipv4_range: profile 'q': 10.0.0.128/25 overlaps 10.0.0.0/24 of profile 'p'"),
        ("range too small", profileEntry("p", "10.0.0.0/29"),
         "plugins.profiles.profiles[0].openvpn.ipv4_range: profile 'p': 10.0.0.0/29 is too small for 1 node(s) × 2 processes"),
        ("port out of range", "      - id: p\n        openvpn: {ipv4_range: 10.0.0.0/24, ipv6_range: fd00::/64, udp_ports: [0]}\n",
         "plugins.profiles.profiles[0].openvpn.udp_ports[0]: profile 'p': port '0' is out of range 1...65535"),
        ("process count", "      - id: p\n        openvpn: {ipv4_range: 10.0.0.0/24, ipv6_range: fd00::/64, udp_ports: [1, 2], tcp_ports: [3]}\n",
         "plugins.profiles.profiles[0].openvpn.udp_ports: profile 'p': 3 OpenVPN processes (UDP + TCP ports) do not fit"),
        ("unknown node", profileEntry("p", extra: "        nodes: [b]\n"),
         "plugins.profiles.profiles[0].nodes[0]: profile 'p': unknown node 'b' (known: a)"),
        ("malformed id", profileEntry("Bad.Id"),
         "plugins.profiles.profiles[0].id: 'Bad.Id' is not a valid profile id"),
    ]

    @Test(arguments: invalidProfiles.map(\.name))
    func invalidProfilesFailConfigCheckWithOneLine(_ name: String) async throws {
        let bad = try #require(Self.invalidProfiles.first { $0.name == name })
        try await withTemporaryDirectory { directory in
            try (Self.profileHead + bad.profiles).write(toFile: "\(directory)/p.yaml", atomically: true, encoding: .utf8)
            let output = try await PortolanProcess.run(["config", "check", "p.yaml"], directory: directory)
            #expect(output.status == 78)
            #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
            #expect(output.stderr.hasPrefix("portolan: configuration error: \(bad.line)"), "\(output.stderr)")
        }
    }

    @Test func profileListShowsThePlanAndCapacity() async throws {
        try await withTemporaryDirectory { directory in
            let yaml = Self.profileHead + "      - id: office\n        display_name: Office\n        required_permissions: [staff]\n"
                + "        openvpn: {ipv4_range: 10.0.0.0/24, ipv6_range: fd00::/64, udp_ports: [1194, 1195], tcp_ports: [1194, 443]}\n"
            try yaml.write(toFile: "\(directory)/p.yaml", atomically: true, encoding: .utf8)
            let output = try await PortolanProcess.run(["profile", "list", "--plan", "--config", "p.yaml"], directory: directory)
            #expect(output.status == 0, "\(output.stderr)")
            let lines = output.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "office\tOffice\tnodes=a\taccess=staff\topenvpn=4 processes/node, 60 clients/process, 240 clients")
            #expect(lines.dropFirst().first == "  a\toffice-0\tudp/1194\t10.0.0.0/26\tfd00::/112\tmax-clients 60")
            #expect(lines.last == "  a\toffice-3\ttcp/443\t10.0.0.192/26\tfd00::3:0/112\tmax-clients 60")
        }
    }

    @Test func configCheckAcceptsAGoodFile() async throws {
        try await withTemporaryDirectory { directory in
            let yaml = """
                server:
                  listen: 0.0.0.0:443
                  public_url: https://vpn.example.org/
                log:
                  level: debug
                  format: json
                plugins:
                  local-auth:
                    bcrypt_cost: 12
                  profiles:
                    profiles:
                      - id: office
                        openvpn:
                          ipv4_range: 10.8.0.0/24
                          ipv6_range: fd08::/64
                """
            try yaml.write(toFile: "\(directory)/ok.yaml", atomically: true, encoding: .utf8)
            let output = try await PortolanProcess.run(["config", "check", "ok.yaml"], directory: directory)
            #expect(output.status == 0)
            #expect(output.stdout.hasPrefix("ok.yaml: OK"))
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/portolan-data"), "check starts nothing")
        }
    }

    @Test func userCommands() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: String..., stdin: String? = nil) async throws -> PortolanProcess.Output {
                try await PortolanProcess.run(arguments, directory: directory, stdin: stdin)
            }
            let added = try await run("user", "add", "alice", "--permission", "staff", "--permission", "vpn")
            #expect(added.status == 0)
            #expect(added.stdout.hasPrefix("Added 'alice' with password "))
            #expect(try await run("user", "add", "bob", "--admin", "--password-stdin", stdin: "a-long-password\n").stdout == "Added 'bob'\n")
            let duplicate = try await run("user", "add", "bob", "--password-stdin", stdin: "a-long-password\n")
            #expect(duplicate.status == 1)
            #expect(duplicate.stderr == "portolan: the user 'bob' already exists\n")
            let short = try await run("user", "add", "carl", "--password-stdin", stdin: "short\n")
            #expect(short.status != 0)
            #expect(short.stderr.contains("at least 8 characters"))
            #expect(try await run("user", "list").stdout == "alice\t-\tlocal\tstaff,vpn\nbob\tadmin\tlocal\t-\n")
            #expect(try await run("user", "disable", "alice").status == 0)
            #expect(try await run("user", "list").stdout.contains("alice\tdisabled\tlocal"))
            #expect(try await run("user", "enable", "alice").status == 0)
            #expect(try await run("user", "passwd", "alice").stdout.hasPrefix("New password for 'alice': "))
            #expect(try await run("user", "delete", "alice").status == 0)
            let ghost = try await run("user", "delete", "alice")
            #expect(ghost.status == 1)
            #expect(ghost.stderr == "portolan: no user 'alice'\n")
            #expect(try await run("user", "list").stdout == "bob\tadmin\tlocal\t-\n")
            let total = try await Self.migrationCount()
            #expect(try await run("migrate").stdout.contains("The schema is up to date (\(total) migrations)."))
        }
    }

    @Test func helpEverywhere() async throws {
        try await withTemporaryDirectory { directory in
            let commands: [[String]] = [
                [], ["serve"], ["migrate"], ["profile"], ["profile", "list"], ["user"], ["user", "add"], ["user", "list"], ["user", "disable"],
                ["user", "enable"], ["user", "delete"], ["user", "passwd"], ["config"], ["config", "check"],
            ]
            for command in commands {
                let output = try await PortolanProcess.run(command + ["--help"], directory: directory)
                #expect(output.status == 0, "\(command)")
                #expect(output.stdout.contains("USAGE:"), "\(command)")
            }
            let version = try await PortolanProcess.run(["--version"], directory: directory)
            #expect(version.stdout == "\(PortolanCommand.version)\n")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/portolan-data"), "help starts nothing")
        }
    }

    /// Two replicas started at the same moment against one PostgreSQL: both serve, migrations are applied once,
    /// one of them creates the first admin.
    @Test(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipReason))
    func twoReplicasStartTogetherOnPostgres() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await withTemporaryDirectory { directory in
                let environment = TestPostgres.environment(url)
                let (replicas, ports) = try await PortolanProcess.startReplicas(2, directory: directory, environment: environment)
                for port in ports {
                    #expect(try await HTTPProbe.get("https://127.0.0.1:\(port)/ready").status == 200)
                }
                let admins = replicas.filter { $0.stdout.contains("Created the first admin") }.count
                #expect(admins == 1)
                let applied = replicas.map { $0.stderr.components(separatedBy: "migration applied").count - 1 }
                let total = try await Self.migrationCount()
                #expect(applied.reduce(0, +) == total, "\(total) migrations applied once in all: \(applied)")
                let migrations = try await PostgresStore.withPostgresStore(url: url, poolSize: 1, logger: .quiet) { store in
                    try await store.query("SELECT scope FROM schema_migrations").count
                }
                #expect(migrations == total)
                #expect(!FileManager.default.fileExists(atPath: "\(directory)/portolan-data"), "no local state with PostgreSQL")
                for replica in replicas { replica.signal(SIGTERM) }
                for replica in replicas { #expect(try await replica.waitForExit(timeout: .seconds(10)).status == 0) }
            }
        }
    }
}
