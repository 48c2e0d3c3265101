import Crypto
import Foundation
import PluginAPI

/// RFC 6238 time-based one-time codes: HMAC-SHA-1, 30-second steps, 6 digits, what every authenticator app does.
enum TOTP {
    static let period: Int64 = 30
    static let digits = 6

    /// The code for time step `step`.
    static func code(secret: [UInt8], step: Int64) -> String {
        var counter = UInt64(step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let number = (UInt32(mac[offset] & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16 | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3]))
            % 1_000_000
        let text = String(number)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step of `time` (seconds since 1970).
    static func step(at time: Int64) -> Int64 { time / period }

    /// The step within ±1 of `now` whose code is `code`, or `nil`.
    static func matchingStep(secret: [UInt8], code: String, now: Int64) -> Int64? {
        guard code.utf8.count == digits, code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let current = step(at: now)
        var found: Int64?
        for candidate in (current - 1)...(current + 1) where ConstantTime.equals(Array(TOTP.code(secret: secret, step: candidate).utf8), Array(code.utf8)) {
            found = candidate
        }
        return found
    }

    /// RFC 4648 base32 without padding, as otpauth URIs carry secrets.
    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var result = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                result.append(alphabet[Int(buffer >> UInt32(bits - 5) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { result.append(alphabet[Int(buffer << UInt32(5 - bits) & 31)]) }
        return result
    }
}
