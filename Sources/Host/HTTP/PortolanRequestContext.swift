import Hummingbird
import NIOCore

/// The request context of every Portolan route: Hummingbird's core storage plus the peer's address, which
/// ``RequestOrigin`` needs to decide whether to believe `X-Forwarded-*` headers.
struct PortolanRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The TCP peer (the reverse proxy, when there is one).
    let peerAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress
    }
}
