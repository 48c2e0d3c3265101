import Foundation
import Hummingbird

/// `application/x-www-form-urlencoded` fields (also a URL's query), with repeats kept so that callers can refuse
/// them where OAuth says a parameter must not repeat.
struct FormBody: Sendable {
    static let maximumBytes = 16 * 1024
    private(set) var fields: [(name: String, value: String)] = []

    init(encoded text: Substring) {
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields.append((Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : ""))
        }
    }

    /// Reads a request's form body (at most 16 KiB).
    static func read(_ request: Request, context: some RequestContext) async throws -> FormBody {
        var request = request
        let buffer = try await request.collectBody(upTo: maximumBytes)
        return FormBody(encoded: Substring(String(buffer: buffer)))
    }

    /// The value of `name` when it appears once; `.repeated` when more than once.
    func single(_ name: String) -> Lookup {
        let values = fields.filter { $0.name == name }
        switch values.count {
        case 0: return .missing
        case 1: return .value(values[0].value)
        default: return .repeated
        }
    }

    /// The first value of `name`, or `nil`.
    subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    enum Lookup: Equatable {
        case missing, repeated, value(String)
    }

    private static func decode(_ text: Substring) -> String {
        let plusAsSpace = text.replacingOccurrences(of: "+", with: " ")
        return plusAsSpace.removingPercentEncoding ?? plusAsSpace
    }
}
