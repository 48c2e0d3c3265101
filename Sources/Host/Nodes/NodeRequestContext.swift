import Hummingbird
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// The request context of the node channel (and of a node's status API): it can name the TLS peer.
struct NodeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The DNS names in the verified client certificate, or `[]` when the client sent none.
    func peerNames() async -> [String] {
        guard let peer = try? await channel.nioSSL_peerCertificate().get(), let der = try? peer.toDERBytes(),
            let certificate = try? Certificate(derEncoded: der),
            let names = try? certificate.extensions.subjectAlternativeNames
        else { return [] }
        return names.compactMap { name in
            if case .dnsName(let text) = name { return text }
            return nil
        }
    }

    /// The node id a node certificate names (`<id>.node.portolan.invalid`), or `nil`.
    func peerNodeID() async -> String? {
        let suffix = ".node.portolan.invalid"
        for name in await peerNames() where name.hasSuffix(suffix) {
            let id = String(name.dropLast(suffix.count))
            if NodeID.isValid(id) { return id }
        }
        return nil
    }
}
