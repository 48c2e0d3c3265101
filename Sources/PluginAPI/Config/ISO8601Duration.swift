/// The ISO 8601 durations the reference server's configuration uses: `P90D`, `PT12H`, `P1DT6H`, `PT30M`, `P1W`.
public enum ISO8601Duration {
    /// The duration in seconds, or `nil` when `text` is not of that form (years and months are refused:
    /// their length varies).
    /// - Parameter text: such as `P90D`.
    /// - Returns: seconds, or `nil`.
    public static func seconds(_ text: String) -> Int64? {
        guard text.hasPrefix("P"), text.count > 1 else { return nil }
        var total: Int64 = 0
        var number = ""
        var inTime = false
        var sawUnit = false
        var sawTimeUnit = false
        for character in text.dropFirst() {
            if character.isASCII, character.isNumber {
                number.append(character)
                continue
            }
            if character == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            guard let value = Int64(number) else { return nil }
            number = ""
            let unit: Int64
            switch (inTime, character) {
            case (false, "W"): unit = 7 * 86_400
            case (false, "D"): unit = 86_400
            case (true, "H"): unit = 3_600
            case (true, "M"): unit = 60
            case (true, "S"): unit = 1
            default: return nil
            }
            let (product, overflow) = value.multipliedReportingOverflow(by: unit)
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !overflow, !sumOverflow else { return nil }
            total = sum
            sawUnit = true
            sawTimeUnit = sawTimeUnit || inTime
        }
        return number.isEmpty && sawUnit && (!inTime || sawTimeUnit) ? total : nil
    }
}
