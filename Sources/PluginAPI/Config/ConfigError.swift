/// A configuration problem: which key, and what is wrong with it.
///
/// Its description is one line, `KEY: PROBLEM`, ready for an operator.
///
/// ```swift
/// throw reader.error("listen", "expected HOST:PORT")
/// ```
/// > Important: never put a secret value in `problem`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The full dotted key path, such as `plugins.profiles.list[0].range4`.
    public let key: String
    /// What is wrong, phrased so the operator knows what to fix.
    public let problem: String

    /// Creates an error.
    /// - Parameters:
    ///   - key: the full dotted key path.
    ///   - problem: what is wrong.
    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    /// `KEY: PROBLEM`.
    public var description: String { key.isEmpty ? problem : "\(key): \(problem)" }
}
