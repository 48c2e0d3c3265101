import Crypto
import Logging
import PluginAPI
import ServiceLifecycle

/// The node `portolan serve` runs in-process (`node.enabled`): enrolled straight into the registry with a
/// certificate from the node CA, then the same daemon as a separate node, over the same channel (on loopback).
struct LocalNode: Sendable {
    let settings: LocalNodeSettings
    let identity: ControllerLink.Identity

    static func prepare(_ settings: LocalNodeSettings, runtime: HostRuntime, authority: NodeAuthority) async throws -> LocalNode {
        let key = P256.Signing.PrivateKey()
        let issued = try authority.issue(
            commonName: settings.nodeID, dnsName: NodeAuthority.nodeName(settings.nodeID), publicKey: key.publicKey,
            validity: runtime.configuration.nodes.certificateValidity, now: runtime.clock.secondsSince1970)
        try await NodeRegistry(store: runtime.store, clock: runtime.clock).enrolDirectly(settings.nodeID, certificateExpiresAt: issued.notAfter)
        return LocalNode(
            settings: settings,
            identity: .init(certificatePEM: issued.pem, keyPEM: key.pemRepresentation, caPEM: authority.certificatePEM))
    }
}

/// Runs the in-process node once the node channel listens.
struct LocalNodeService: Service {
    let node: LocalNode
    let ports: AsyncStream<Int>
    let logger: Logger

    func run() async throws {
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        let link = try ControllerLink(controllerURL: "https://127.0.0.1:\(port)", identity: node.identity, files: nil)
        var nodeLogger = logger
        nodeLogger[metadataKey: "node.id"] = "\(node.settings.nodeID)"
        let daemon = try NodeDaemon(nodeID: node.settings.nodeID, settings: node.settings.daemon, link: link, logger: nodeLogger)
        await cancelWhenGracefulShutdown { await daemon.run() }
    }
}
