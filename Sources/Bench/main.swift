// portolan-bench: certificate issuance throughput, single thread. Run through scripts/bench-certs.sh (release build).
import Foundation
import NodeOpenVPNPlugin
import PluginAPI

/// Runs `body` repeatedly for about `seconds` and returns operations per second and µs per operation.
func measure(seconds: Double, _ body: () throws -> Void) rethrows -> (perSecond: Double, microseconds: Double, count: Int) {
    for _ in 0..<200 { try body() }  // warm up
    let clock = ContinuousClock()
    var count = 0
    let start = clock.now
    let limit = Duration.milliseconds(Int64(seconds * 1000))
    while clock.now - start < limit {
        for _ in 0..<100 { try body() }
        count += 100
    }
    let elapsed = clock.now - start
    let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(count) / secondsElapsed, secondsElapsed / Double(count) * 1e6, count)
}

let seconds = Double(CommandLine.arguments.dropFirst().first ?? "3") ?? 3
let now = Int64(Date().timeIntervalSince1970)
print("| operation | key type | per second | µs each | samples |")
print("|---|---|---|---|---|")
for keyType in CAKeyType.allCases {
    let (ca, _) = try CertificateAuthority.create(keyType: keyType, now: now, validity: 3650 * 86400)
    let keys = measure(seconds: seconds) { _ = keyType.makeKey() }
    print("| key generation + PKCS#8 PEM | \(keyType.rawValue) | \(Int(keys.perSecond)) | \(String(format: "%.1f", keys.microseconds)) | \(keys.count) |")
    let client = try measure(seconds: seconds) { _ = try ca.issueClient(profileID: "office", notAfter: now + 90 * 86400, now: now) }
    print("| client certificate: key + sign + PEM | \(keyType.rawValue) | \(Int(client.perSecond)) | \(String(format: "%.1f", client.microseconds)) | \(client.count) |")
}
