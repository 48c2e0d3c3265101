import OneShotHTTP
import ArgumentParser
import Crypto
import Foundation

/// `portolan node join URL TOKEN`: enrols this machine as a node. Checks the controller's node CA against the
/// fingerprint in the token, sends a fresh public key, and writes the certificate, key and `node.yaml`.
struct NodeJoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Enrol this machine as a node with the token from `portolan node add`.")

    @Argument(help: "The controller's node channel, https://HOST:PORT.") var controllerURL: String
    @Argument(help: "The join token.") var token: String
    @Option(help: "Where to write node.yaml, the key and the certificates.") var directory = "/etc/portolan-node"
    @Flag(help: "Replace an existing node.yaml.") var force = false

    func run() async throws {
        try await CommandFailure.reporting {
            guard let joinToken = JoinToken(text: token) else {
                throw CLIError(message: "that is not a join token: copy the whole pnj1.… line `portolan node add` printed")
            }
            guard controllerURL.hasPrefix("https://") else { throw CLIError(message: "the controller URL must start with https://") }
            let url = controllerURL.hasSuffix("/") ? String(controllerURL.dropLast()) : controllerURL
            let configPath = "\(directory)/node.yaml"
            if FileManager.default.fileExists(atPath: configPath) && !force {
                throw CLIError(message: "\(configPath) exists: this machine has joined already (--force to join again)")
            }
            let answer = try await Self.join(url: url, token: joinToken)
            try FileManager.default.createDirectory(atPath: "\(directory)/state", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try ControllerLink.save(
                answer.identity, ("\(directory)/node.crt", "\(directory)/node.key", "\(directory)/node-ca.crt"))
            let yaml = NodeDaemonConfiguration.yaml(controllerURL: url, nodeID: answer.nodeID, directory: directory)
            guard FileManager.default.createFile(atPath: configPath, contents: Data(yaml.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CLIError(message: "cannot write \(configPath)")
            }
            Console.out("Joined as node '\(answer.nodeID)'. Start it with: portolan node run --config \(configPath)")
        }
    }

    static func join(url: String, token: JoinToken) async throws -> (nodeID: String, identity: ControllerLink.Identity) {
        // 1. The node CA, over TLS not yet verified: it must hash to the fingerprint in the token.
        let discovery = try ChannelHTTPClient(url: url, configuration: try ChannelHTTPClient.configuration(caPEM: nil), peerName: nil)
        let caReply: ChannelHTTPClient.Reply
        do {
            caReply = try await discovery.send("GET", "/node/v1/ca")
        } catch {
            throw CLIError(message: "cannot reach the controller's node channel at \(url): \(error)")
        }
        let caPEM = String(decoding: caReply.body, as: UTF8.self)
        guard caReply.status == 200, let fingerprint = NodeAuthority.fingerprint(ofPEM: caPEM) else {
            throw CLIError(message: "\(url) did not answer with a node CA (HTTP \(caReply.status)): is it the node channel (nodes.listen)?")
        }
        guard fingerprint == token.caFingerprint else {
            throw CLIError(message: "the controller at \(url) has another node CA than the token names (\(fingerprint.prefix(16))… ≠ \(token.caFingerprint.prefix(16))…): wrong URL, or someone in between")
        }
        // 2. From now on the channel is pinned to that CA and the controller's role name.
        let key = P256.Signing.PrivateKey()
        let client = try ChannelHTTPClient(url: url, configuration: try ChannelHTTPClient.configuration(caPEM: caPEM), peerName: NodeAuthority.controllerName)
        let answer: NodeWire.CertificateResponse
        do {
            answer = try await client.json(
                "POST", "/node/v1/join", NodeWire.JoinRequest(token: token.text, publicKey: key.publicKey.pemRepresentation),
                as: NodeWire.CertificateResponse.self)
        } catch let error as HTTPStatusError {
            throw CLIError(message: "the controller refused to enrol this node: \(error.message)")
        }
        return (answer.nodeID, .init(certificatePEM: answer.certificate, keyPEM: key.pemRepresentation, caPEM: answer.caCertificate))
    }
}
