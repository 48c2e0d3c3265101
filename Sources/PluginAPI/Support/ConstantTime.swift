/// Comparisons whose timing does not reveal where two secrets differ.
///
/// ```swift
/// ConstantTime.equals(Array(presented.utf8), Array(expected.utf8))
/// ```
public enum ConstantTime {
    /// Compares two byte strings in time that depends only on their lengths.
    /// - Parameters:
    ///   - lhs: one byte string.
    ///   - rhs: the other.
    /// - Returns: whether they are equal.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference: UInt8 = lhs.count == rhs.count ? 0 : 1
        let count = max(lhs.count, rhs.count)
        for index in 0..<count {
            let a = index < lhs.count ? lhs[index] : 0
            let b = index < rhs.count ? rhs[index] : 0
            difference |= a ^ b
        }
        return difference == 0
    }
}
