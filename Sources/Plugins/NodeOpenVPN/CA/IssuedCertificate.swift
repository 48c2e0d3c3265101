/// A certificate the CA just issued, with its private key. The key is handed out once and never stored.
package struct IssuedCertificate: Sendable {
    /// The subject's common name: 44 characters of base64 for clients, the host name for servers.
    package var commonName: String
    /// The serial number in lower-case hex.
    package var serialHex: String
    /// notAfter, in seconds since 1970.
    package var notAfter: Int64
    /// The certificate, PEM, ending in a newline.
    package var certificatePEM: String
    /// The private key, PKCS#8 PEM, ending in a newline.
    package var privateKeyPEM: String
}
