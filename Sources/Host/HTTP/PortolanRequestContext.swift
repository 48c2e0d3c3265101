import Hummingbird

/// The request context of every Portolan route.
typealias PortolanRequestContext = BasicRequestContext
