import Foundation
import Testing

/// The module graph as the README draws it: PluginAPI at the bottom with no framework, NIO or driver;
/// plugins on PluginAPI only, never on each other or on Host.
@Suite("Module boundaries")
struct ModuleBoundaryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every `import X` (with any access modifier or attribute) in the Swift files under `folder`.
    static func imports(under folder: String) throws -> [(file: String, module: String)] {
        let base = root.appendingPathComponent(folder)
        let enumerator = try #require(FileManager.default.enumerator(atPath: base.path))
        var result: [(String, String)] = []
        for case let path as String in enumerator where path.hasSuffix(".swift") {
            let text = try String(contentsOf: base.appendingPathComponent(path), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init).filter { !$0.hasPrefix("@") }
                guard let index = words.firstIndex(of: "import"), index <= 1, index + 1 < words.count else { continue }
                if index == 1, !["public", "package", "internal", "private", "fileprivate"].contains(words[0]) { continue }
                result.append(("\(folder)/\(path)", words[index + 1].split(separator: ".").first.map(String.init) ?? ""))
            }
        }
        return result
    }

    @Test func pluginAPIImportsNoFrameworkNIOOrDriver() throws {
        let allowed: Set = ["Logging", "Synchronization", "Glibc", "Musl", "Darwin", "Foundation"]
        let found = try Self.imports(under: "Sources/PluginAPI")
        #expect(!found.isEmpty)
        for (file, module) in found {
            #expect(allowed.contains(module), "\(file) imports \(module)")
        }
    }

    @Test(arguments: ["Auth", "Profiles", "NodeOpenVPN"])
    func pluginsImportNoOtherPluginNorHost(_ plugin: String) throws {
        let forbidden = Set<String>([
            "Host", "AuthPlugin", "ProfilesPlugin", "NodeOpenVPNPlugin", "Hummingbird", "HummingbirdCore", "HummingbirdTLS",
            "HummingbirdAuth", "PostgresNIO", "SQLiteNIO",
        ])
        .subtracting([["Auth": "AuthPlugin", "Profiles": "ProfilesPlugin", "NodeOpenVPN": "NodeOpenVPNPlugin"][plugin] ?? ""])
        let found = try Self.imports(under: "Sources/Plugins/\(plugin)")
        #expect(found.contains { $0.module == "PluginAPI" })
        for (file, module) in found {
            #expect(!forbidden.contains(module), "\(file) imports \(module)")
        }
    }
}
