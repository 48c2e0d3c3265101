/// Typed, validated access to one section of the configuration.
///
/// Plugins get a reader scoped to `plugins.<id>`. Every accessor names the full key path in its
/// ``ConfigError``, and every key read is recorded so that the host can reject keys nobody reads.
///
/// ```swift
/// let cost = try reader.int("bcrypt_cost", default: 11, range: 10...14)
/// let dn = try reader.string("bind_dn")
/// let password = try reader.secret("bind_password")   // a value, or `{ env: LDAP_PASSWORD }`
/// ```
public struct ConfigReader: Sendable {
    /// The node of this section (`nil` when the section is absent from the file).
    public let node: ConfigNode?
    /// The dotted path of this section, empty at the root.
    public let path: String
    private let environment: [String: String]
    private let tracker: ConfigKeyTracker

    /// Creates a reader over a whole tree.
    /// - Parameters:
    ///   - root: the parsed file (`.emptyMap` when there is no file).
    ///   - environment: the process environment, for secrets given as `{ env: NAME }`.
    ///   - tracker: records the keys read.
    public init(root: ConfigNode, environment: [String: String], tracker: ConfigKeyTracker) {
        self.init(node: root, path: "", environment: environment, tracker: tracker)
    }

    private init(node: ConfigNode?, path: String, environment: [String: String], tracker: ConfigKeyTracker) {
        self.node = node
        self.path = path
        self.environment = environment
        self.tracker = tracker
    }

    /// The full dotted path of `key` in this section.
    /// - Parameter key: a direct child key.
    /// - Returns: such as `plugins.ldap.bind_dn`.
    public func keyPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// Makes an error about `key` in this section.
    /// - Parameters:
    ///   - key: a direct child key.
    ///   - problem: what is wrong.
    /// - Returns: the error, to throw.
    public func error(_ key: String, _ problem: String) -> ConfigError {
        ConfigError(key: keyPath(key), problem: problem)
    }

    /// Whether `key` is present (and not null).
    /// - Parameter key: a direct child key.
    public func contains(_ key: String) -> Bool {
        switch node?.child(key) {
        case nil, .null?: false
        default: true
        }
    }

    /// The reader of the sub-section `key`; an absent sub-section reads as empty.
    /// - Parameter key: a direct child key.
    /// - Throws: ``ConfigError`` when the value is not a map.
    public func section(_ key: String) throws -> ConfigReader {
        let value = try lookup(key)
        switch value {
        case nil, .null?, .map?:
            return ConfigReader(node: value ?? .emptyMap, path: keyPath(key), environment: environment, tracker: tracker)
        case let other?:
            throw error(key, "expected a map of settings, found \(other.kindDescription)")
        }
    }

    /// The readers of a list of sub-sections, such as a list of profiles.
    /// - Parameter key: a direct child key.
    /// - Returns: one reader per list item, empty when absent.
    /// - Throws: ``ConfigError`` when the value is not a list of maps.
    public func sections(_ key: String) throws -> [ConfigReader] {
        switch try lookup(key) {
        case nil, .null?:
            return []
        case .list(let items)?:
            return try items.enumerated().map { index, item in
                let itemPath = "\(keyPath(key))[\(index)]"
                guard case .map = item else {
                    throw ConfigError(key: itemPath, problem: "expected a map of settings, found \(item.kindDescription)")
                }
                return ConfigReader(node: item, path: itemPath, environment: environment, tracker: tracker)
            }
        case let other?:
            throw error(key, "expected a list, found \(other.kindDescription)")
        }
    }

    /// An optional string.
    /// - Parameter key: a direct child key.
    /// - Returns: the value, or `nil` when absent.
    /// - Throws: ``ConfigError`` when the value is a list or a map.
    public func optionalString(_ key: String) throws -> String? {
        switch try lookup(key) {
        case nil, .null?: return nil
        case .scalar(let text)?: return text
        case let other?: throw error(key, "expected a string, found \(other.kindDescription)")
        }
    }

    /// A required string.
    /// - Parameter key: a direct child key.
    /// - Throws: ``ConfigError`` when absent, empty or not a string.
    public func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw error(key, "is required") }
        guard !value.isEmpty else { throw error(key, "must not be empty") }
        return value
    }

    /// A string with a default.
    /// - Parameters:
    ///   - key: a direct child key.
    ///   - defaultValue: the value when absent.
    /// - Throws: ``ConfigError`` when not a string.
    public func string(_ key: String, default defaultValue: String) throws -> String {
        try optionalString(key) ?? defaultValue
    }

    /// A string that must be one of `allowed`.
    /// - Parameters:
    ///   - key: a direct child key.
    ///   - allowed: the accepted values.
    ///   - defaultValue: the value when absent.
    /// - Throws: ``ConfigError`` naming the accepted values.
    public func choice(_ key: String, _ allowed: [String], default defaultValue: String) throws -> String {
        let value = try string(key, default: defaultValue)
        guard allowed.contains(value) else {
            throw error(key, "'\(value)' is not one of: \(allowed.joined(separator: ", "))")
        }
        return value
    }

    /// An optional integer, checked against `range`.
    /// - Parameters:
    ///   - key: a direct child key.
    ///   - range: the accepted values.
    /// - Throws: ``ConfigError`` when not an integer or out of range.
    public func optionalInt(_ key: String, range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let text = try optionalScalar(key, expected: "an integer") else { return nil }
        guard let value = Int(text) else { throw error(key, "expected an integer, found '\(text)'") }
        guard range.contains(value) else {
            throw error(key, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// An integer with a default, checked against `range`.
    /// - Parameters:
    ///   - key: a direct child key.
    ///   - defaultValue: the value when absent.
    ///   - range: the accepted values.
    /// - Throws: ``ConfigError`` when not an integer or out of range.
    public func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        try optionalInt(key, range: range) ?? defaultValue
    }

    /// An ISO 8601 duration (`P90D`, `PT1H`, `P1DT6H`) in seconds, with a default, checked against `range`.
    /// - Parameters:
    ///   - key: a direct child key.
    ///   - defaultValue: the text used when absent, such as `PT1H`.
    ///   - range: the accepted seconds.
    /// - Throws: ``ConfigError`` when not a duration or out of range.
    public func duration(_ key: String, default defaultValue: String, range: ClosedRange<Int64>) throws -> Int64 {
        let text = try string(key, default: defaultValue)
        guard let seconds = ISO8601Duration.seconds(text) else {
            throw error(key, "'\(text)' is not an ISO 8601 duration such as PT1H, P90D or P1DT6H")
        }
        guard range.contains(seconds) else {
            throw error(key, "'\(text)' is \(seconds) s, outside \(range.lowerBound)...\(range.upperBound) s")
        }
        return seconds
    }

    /// A boolean with a default. Accepts `true`/`false`, `yes`/`no`, `on`/`off`.
    /// - Parameters:
    ///   - key: a direct child key.
    ///   - defaultValue: the value when absent.
    /// - Throws: ``ConfigError`` when not a boolean.
    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let text = try optionalScalar(key, expected: "true or false") else { return defaultValue }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(key, "expected true or false, found '\(text)'")
        }
    }

    /// A list of strings; a single string reads as a list of one.
    /// - Parameters:
    ///   - key: a direct child key.
    ///   - defaultValue: the value when absent.
    /// - Throws: ``ConfigError`` when an item is not a string.
    public func stringList(_ key: String, default defaultValue: [String] = []) throws -> [String] {
        switch try lookup(key) {
        case nil, .null?: return defaultValue
        case .scalar(let text)?: return [text]
        case .list(let items)?:
            return try items.enumerated().map { index, item in
                guard case .scalar(let text) = item else {
                    throw ConfigError(key: "\(keyPath(key))[\(index)]", problem: "expected a string, found \(item.kindDescription)")
                }
                return text
            }
        case let other?: throw error(key, "expected a list of strings, found \(other.kindDescription)")
        }
    }

    /// An optional IP network in CIDR notation, such as `10.0.0.0/24` or `fd00::/64`.
    /// - Parameter key: a direct child key.
    /// - Throws: ``ConfigError`` saying why the text is not a valid CIDR.
    public func optionalNetwork(_ key: String) throws -> IPNetwork? {
        guard let text = try optionalString(key) else { return nil }
        do {
            return try IPNetwork(parsing: text)
        } catch let problem as IPNetwork.ParseError {
            throw error(key, problem.description)
        }
    }

    /// A list of IP networks in CIDR notation.
    /// - Parameter key: a direct child key.
    /// - Throws: ``ConfigError`` naming the bad item.
    public func networkList(_ key: String) throws -> [IPNetwork] {
        try stringList(key).enumerated().map { index, text in
            do {
                return try IPNetwork(parsing: text)
            } catch let problem as IPNetwork.ParseError {
                throw ConfigError(key: "\(keyPath(key))[\(index)]", problem: problem.description)
            }
        }
    }

    /// An optional secret: either the value itself or `{ env: NAME }` to read it from the environment.
    /// - Parameter key: a direct child key.
    /// - Returns: the secret, or `nil` when absent.
    /// - Throws: ``ConfigError`` when the environment variable is unset or the shape is wrong; never contains the value.
    public func optionalSecret(_ key: String) throws -> String? {
        switch try lookup(key) {
        case nil, .null?: return nil
        case .scalar(let text)?: return text
        case .map(let entries)?:
            tracker.markRead(keyPath(key) + ".env")
            guard entries.count == 1, entries[0].key == "env", case .scalar(let name) = entries[0].value else {
                throw error(key, "expected a value or { env: VARIABLE_NAME }")
            }
            guard let value = environment[name], !value.isEmpty else {
                throw error(key, "environment variable \(name) is not set")
            }
            return value
        case let other?:
            throw error(key, "expected a value or { env: VARIABLE_NAME }, found \(other.kindDescription)")
        }
    }

    /// A required secret; see ``optionalSecret(_:)``.
    /// - Parameter key: a direct child key.
    /// - Throws: ``ConfigError`` when absent.
    public func secret(_ key: String) throws -> String {
        guard let value = try optionalSecret(key), !value.isEmpty else { throw error(key, "is required") }
        return value
    }

    private func optionalScalar(_ key: String, expected: String) throws -> String? {
        switch try lookup(key) {
        case nil, .null?: return nil
        case .scalar(let text)?: return text
        case let other?: throw error(key, "expected \(expected), found \(other.kindDescription)")
        }
    }

    private func lookup(_ key: String) throws -> ConfigNode? {
        tracker.markRead(keyPath(key))
        return node?.child(key)
    }
}
