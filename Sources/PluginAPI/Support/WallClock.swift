#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall-clock time, injected into anything with expiry so that tests can move it.
///
/// ```swift
/// let expiresAt = context.clock.secondsSince1970 + 90 * 86_400
/// ```
public protocol WallClock: Sendable {
    /// Seconds since 1970-01-01 UTC.
    var secondsSince1970: Int64 { get }
}

/// The system's wall clock.
public struct SystemWallClock: WallClock {
    /// Creates the clock.
    public init() {}

    /// Seconds since 1970 from `clock_gettime(CLOCK_REALTIME)`.
    public var secondsSince1970: Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }
}
