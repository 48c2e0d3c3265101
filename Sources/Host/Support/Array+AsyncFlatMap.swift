extension Array {
    /// `flatMap` with an async transform, in order.
    func asyncFlatMap<Element2>(_ transform: (Element) async throws -> [Element2]) async rethrows -> [Element2] {
        var result: [Element2] = []
        for element in self { result += try await transform(element) }
        return result
    }
}
