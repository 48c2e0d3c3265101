import Foundation
import Testing
import TestSupport

/// The real client library of the eduVPN, Let's Connect! and govVPN apps (eduvpn-common 5.0.2 from PyPI, driven by
/// Scripts/eduvpn_client.py) against `portolan serve` over HTTPS with a certificate from a test CA: add the server
/// (OAuth through the login and consent pages, answer to the library's loopback listener), get an OpenVPN
/// configuration whose client certificate verifies against its CA, disconnect; then, with the 3-second access
/// token expired, get a configuration again: the library meets the 401, refreshes (a new refresh token) and retries.
@Suite("eduVPN client library", .serialized)
struct EduVPNClientTests {
    /// The venv python with eduvpn-common (scripts/test.sh sets it up with scripts/eduvpn-venv.sh).
    static let python = ProcessInfo.processInfo.environment["PORTOLAN_EDUVPN_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static var canRun: Bool { python != nil && Shell.which("openssl") != nil }
    static let skipReason: Comment =
        "PORTOLAN_EDUVPN_PYTHON is not set (scripts/test.sh sets it up with scripts/eduvpn-venv.sh) or openssl is missing"
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Scripts/eduvpn_client.py").path
    static let clientIDs = ["org.eduvpn.app.linux", "org.letsconnect-vpn.app.linux", "org.govvpn.app.linux"]
    static let password = "alice-long-password"
    /// Every step the script prints on success, in order.
    static let steps = [
        "register", "add_server", "get_config", "cleanup", "expired_token", "get_config_after_expiry",
        "cleanup_after_expiry", "remove_server", "deregister", "done",
    ]

    @Test("client library of the app", .enabled(if: canRun, skipReason), arguments: clientIDs)
    func realClientLibrary(_ clientID: String) async throws {
        let python = try #require(Self.python)
        try #require(FileManager.default.isExecutableFile(atPath: python), "PORTOLAN_EDUVPN_PYTHON=\(python) is not executable")
        try await withTemporaryDirectory { directory in
            let pki = try TestPKI(directory: directory)
            let yaml = """
                server:
                  listen: 127.0.0.1:0
                  tls:
                    certificate_file: "\(pki.serverCertificate)"
                    key_file: "\(pki.serverKey)"
                oauth:
                  access_token_expiry: PT3S

                """
            try yaml.write(toFile: "\(directory)/portolan.yaml", atomically: true, encoding: .utf8)
            let common = ["--config", "portolan.yaml", "--data-dir", "data"]
            let added = try await PortolanProcess.run(
                ["user", "add", "alice", "--password-stdin"] + common, directory: directory, stdin: Self.password + "\n")
            try #require(added.status == 0, "user add: \(added.stdout) \(added.stderr)")

            let server = try PortolanProcess(["serve", "--listen", "127.0.0.1:0"] + common, directory: directory)
            let port = try await server.waitForHTTPSPort()
            let run = try await PortolanProcess.run(
                [
                    Self.script, "--server-url", "https://127.0.0.1:\(port)/", "--client-id", clientID,
                    "--username", "alice", "--password-env", "PORTOLAN_TEST_EDUVPN_PASSWORD",
                    "--config-dir", "\(directory)/eduvpn-\(clientID)", "--profile", "default",
                    "--token-expiry-wait", "4", "--timeout", "120",
                ],
                directory: directory,
                environment: [
                    "SSL_CERT_FILE": pki.bundle, "PORTOLAN_TEST_EDUVPN_PASSWORD": Self.password,
                    "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",
                ],
                executable: python, timeout: .seconds(180))
            server.signal(SIGTERM)
            let stopped = try await server.waitForExit(timeout: .seconds(10))
            let context = "exit \(run.status)\nstdout:\n\(run.stdout)\nstderr (end):\n\(run.stderr.suffix(6000))\nserver stderr (end):\n\(stopped.stderr.suffix(3000))"

            #expect(run.status == 0, "\(context)")
            let lines = ScriptProcess.steps(run.stdout)
            #expect(lines.map(\.name) == Self.steps, "\(context)")
            let failed = lines.filter { !$0.ok }.map(\.name)
            #expect(failed.isEmpty, "failed steps \(failed): \(context)")

            let add = lines.first { $0.name == "add_server" }?.fields ?? [:]
            #expect(add["redirect_uri"]?.string?.hasPrefix("http://127.0.0.1:") == true, "\(context)")
            #expect(add["logged_in"]?.bool == true && add["consented"]?.bool == true, "\(context)")
            #expect(add["delivery"]?["listener_status"]?.int == 200, "\(context)")

            for name in ["get_config", "get_config_after_expiry"] {
                let config = lines.first { $0.name == name }?.fields ?? [:]
                #expect(config["protocol"]?.string == "openvpn", "\(name): \(context)")
                #expect(config["profile"]?.string == "default", "\(name): \(context)")
                #expect(config["certificate_verified"]?.bool == true, "\(name): \(context)")
                let commonName = config["subject_cn"]?.string ?? ""
                #expect(!commonName.isEmpty, "\(name): \(context)")
            }
            let refresh = lines.first { $0.name == "get_config_after_expiry" }?.fields ?? [:]
            #expect(refresh["refreshed"]?.bool == true, "\(context)")
            #expect(refresh["access_token_changed"]?.bool == true, "\(context)")
            #expect((refresh["token_getter_calls"]?.int ?? 0) > 0, "\(context)")
            #expect(stopped.status == 0, "server: \(stopped.stderr.suffix(3000))")
        }
    }

    /// In CI nothing may skip: the client library must be there.
    @Test func eduVPNClientLibraryRunsInCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Self.python != nil, "CI must export PORTOLAN_EDUVPN_PYTHON (scripts/test.sh runs scripts/eduvpn-venv.sh)")
            #expect(Shell.which("openssl") != nil, "CI must install openssl")
        }
    }
}

extension PortolanProcess {
    /// The port in the `Serving at https://HOST:PORT/` line; fails at once when the server serves plain HTTP.
    func waitForHTTPSPort() async throws -> Int {
        let line = try await waitForLine(startingWith: "Serving at ")
        let address = line.dropFirst("Serving at ".count).trimmingCharacters(in: .whitespaces)
        guard address.hasPrefix("https://") else { throw ProcessFailure("the server does not serve HTTPS: '\(line)'") }
        guard let port = URL(string: address)?.port else { throw ProcessFailure("cannot read the port from '\(line)'") }
        return port
    }
}

/// A test CA (P-256) and a server certificate for 127.0.0.1 (IP SAN) and localhost (DNS SAN), made with openssl,
/// plus an SSL_CERT_FILE bundle: the system roots and the test CA.
struct TestPKI {
    let ca: String
    let serverCertificate: String
    let serverKey: String
    let bundle: String

    init(directory: String) throws {
        let folder = "\(directory)/pki"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        ca = "\(folder)/ca.pem"
        serverCertificate = "\(folder)/server.pem"
        serverKey = "\(folder)/server.key"
        bundle = "\(folder)/bundle.pem"
        let caKey = "\(folder)/ca.key"
        let request = "\(folder)/server.csr"
        let caConfig = "\(folder)/ca.cnf"
        let serverExtensions = "\(folder)/server.ext"
        try """
            [req]
            distinguished_name = dn
            prompt = no
            x509_extensions = v3_ca
            [dn]
            CN = Portolan eduVPN test CA
            [v3_ca]
            basicConstraints = critical,CA:true
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash

            """.write(toFile: caConfig, atomically: true, encoding: .utf8)
        try """
            basicConstraints = critical,CA:false
            keyUsage = critical,digitalSignature
            extendedKeyUsage = serverAuth
            subjectAltName = IP:127.0.0.1,DNS:localhost
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid

            """.write(toFile: serverExtensions, atomically: true, encoding: .utf8)
        let serial = "0x" + (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 1...255)) }.joined()
        let commands: [[String]] = [
            ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", caKey],
            ["req", "-x509", "-new", "-config", caConfig, "-key", caKey, "-days", "2", "-out", ca],
            ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", serverKey],
            ["req", "-new", "-config", caConfig, "-key", serverKey, "-subj", "/CN=127.0.0.1", "-out", request],
            ["x509", "-req", "-in", request, "-CA", ca, "-CAkey", caKey, "-set_serial", serial, "-days", "2",
             "-extfile", serverExtensions, "-out", serverCertificate],
            ["verify", "-CAfile", ca, serverCertificate],
        ]
        for arguments in commands {
            let result = try Shell.run("openssl", arguments)
            guard result.status == 0 else { throw ProcessFailure("openssl \(arguments.joined(separator: " ")): \(result.output)") }
        }
        let systemRoots = (try? String(contentsOfFile: "/etc/ssl/certs/ca-certificates.crt", encoding: .utf8)) ?? ""
        let caText = try String(contentsOfFile: ca, encoding: .utf8)
        try (systemRoots + "\n" + caText).write(toFile: bundle, atomically: true, encoding: .utf8)
    }
}

/// The Python driver's output.
enum ScriptProcess {
    struct Step {
        var name: String
        var ok: Bool
        var fields: [String: JSONValue]
    }

    /// The script's JSON lines (`{"step": NAME, "ok": BOOL, ...}`), in order; other lines are skipped.
    static func steps(_ stdout: String) -> [Step] {
        stdout.split(separator: "\n").compactMap { line in
            guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)),
                let name = object["step"]?.string
            else { return nil }
            return Step(name: name, ok: object["ok"]?.bool ?? false, fields: object)
        }
    }
}

/// Any JSON value, for reading the script's lines.
enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var int: Int? { if case .number(let value) = self, value == value.rounded(), abs(value) < 1e15 { Int(value) } else { nil } }
}
