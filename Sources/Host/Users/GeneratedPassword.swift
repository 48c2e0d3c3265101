import PluginAPI

/// Random passwords for new accounts: 20 characters from an alphabet without look-alikes (about 110 bits).
enum GeneratedPassword {
    private static let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    static func make(length: Int = 20) -> SecretString {
        var generator = SystemRandomNumberGenerator()
        return SecretString(String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }))
    }
}
