// swift-tools-version:6.2
// Portolan: an eduVPN / Let's Connect! compatible VPN access server.
//
// Module graph (see README.md):
//   portolan (executable) → Host → {PluginAPI, AuthPlugin, ProfilesPlugin, NodeOpenVPNPlugin}
//   every plugin → PluginAPI only; PluginAPI → swift-log only.
import PackageDescription

let package = Package(
    name: "portolan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "portolan", targets: ["portolan"]),
        .library(name: "PluginAPI", targets: ["PluginAPI"]),
        // The host as a library, so that an institution's own executable can add its plugins (docs/PLUGINS.md).
        .library(name: "PortolanHost", targets: ["Host"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // The plugin contract. Depends on swift-log only: no web framework, NIO or database driver.
        .target(
            name: "PluginAPI",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        // A one-connection-per-request HTTP/1.1 client over NIO (node channel, OpenID Connect): no libcurl.
        .target(
            name: "OneShotHTTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Authentication plugins. HummingbirdBcrypt is a framework-free leaf (it only wraps the C bcrypt); NIO carries
        // the network clients (RADIUS over UDP, LDAP over TCP or TLS).
        .target(
            name: "AuthPlugin",
            dependencies: [
                "PluginAPI", "OneShotHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Sources/Plugins/Auth"
        ),
        // Profiles plugin: PluginAPI only.
        .target(
            name: "ProfilesPlugin",
            dependencies: ["PluginAPI", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Plugins/Profiles"
        ),
        // OpenVPN node backend: Crypto + X509 + SwiftASN1 for its certificate authority.
        .target(
            name: "NodeOpenVPNPlugin",
            dependencies: [
                "PluginAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Sources/Plugins/NodeOpenVPN"
        ),
        // The host process: boot, configuration, store drivers, HTTP, CLI. Wires the plugins.
        .target(
            name: "Host",
            dependencies: [
                "PluginAPI", "AuthPlugin", "ProfilesPlugin", "NodeOpenVPNPlugin", "OneShotHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "portolan",
            dependencies: ["Host"]
        ),
        // Certificate issuance benchmark (scripts/bench-certs.sh builds it in release mode).
        .executableTarget(
            name: "portolan-bench",
            dependencies: ["NodeOpenVPNPlugin", "PluginAPI"],
            path: "Sources/Bench"
        ),
        // Fakes and conformance suites shared by the test targets.
        .target(
            name: "TestSupport",
            dependencies: ["PluginAPI"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "PluginAPITests", dependencies: ["PluginAPI", "TestSupport"]),
        .testTarget(name: "AuthTests", dependencies: ["AuthPlugin", "PluginAPI", "TestSupport"]),
        .testTarget(name: "ProfilesTests", dependencies: ["ProfilesPlugin", "PluginAPI", "TestSupport"]),
        .testTarget(
            name: "NodeOpenVPNTests", dependencies: ["NodeOpenVPNPlugin", "PluginAPI", "TestSupport"], exclude: ["Golden"]),
        .testTarget(
            name: "HostTests",
            dependencies: [
                "Host", "AuthPlugin", "PluginAPI", "TestSupport", "OneShotHTTP",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Scripts"]
        ),
    ]
)

// House style (STYLE.md §1): the same upcoming features on every target.
for target in package.targets where target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ])
    target.swiftSettings = settings
}
