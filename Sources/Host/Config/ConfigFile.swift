import Foundation
import PluginAPI
import Yams

/// Reads the YAML configuration file into a ``ConfigNode`` tree.
enum ConfigFile {
    /// Parses `path`; errors name the file and the line.
    static func load(path: String) throws -> ConfigNode {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(key: path, problem: "cannot read the configuration file")
        }
        return try parse(String(decoding: data, as: UTF8.self), name: path)
    }

    /// Parses YAML text; an empty document is an empty map.
    static func parse(_ text: String, name: String) throws -> ConfigNode {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(key: name, problem: "is not valid YAML: \(oneLine(error))")
        }
        guard let node else { return .emptyMap }
        let tree = try convert(node, path: "")
        guard case .map = tree else {
            throw ConfigError(key: name, problem: "must be a map of settings at the top level")
        }
        return tree
    }

    private static func convert(_ node: Node, path: String) throws -> ConfigNode {
        switch node {
        case .scalar(let scalar):
            if scalar.tag.description == Tag.Name.null.rawValue || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)) {
                return .null
            }
            return .scalar(scalar.string)
        case .sequence(let sequence):
            return .list(try sequence.enumerated().map { try convert($1, path: "\(path)[\($0)]") })
        case .mapping(let mapping):
            var entries: [(key: String, value: ConfigNode)] = []
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw ConfigError(key: path, problem: "has a key that is not a plain string")
                }
                let key = keyScalar.string
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                guard !entries.contains(where: { $0.key == key }) else {
                    throw ConfigError(key: childPath, problem: "is given twice")
                }
                entries.append((key, try convert(valueNode, path: childPath)))
            }
            return .map(entries)
        case .alias:
            throw ConfigError(key: path, problem: "uses a YAML alias, which Portolan does not support")
        }
    }

    private static func oneLine(_ error: YamlError) -> String {
        "\(error)".split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.allSatisfy { $0 == "^" } }.prefix(2).joined(separator: " ")
            .replacingOccurrences(of: " Context:", with: "")
    }
}
