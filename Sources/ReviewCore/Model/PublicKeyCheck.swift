import Paths

/// Ed25519 public keys that must never be trusted: points of small order (with either sign
/// bit) and non-canonical encodings (a y coordinate of p or more).
///
/// Verification as RFC 8032, OpenSSL and BoringSSL do it accepts, for the identity point as the public
/// key, the signature (R = identity, S = 0) over *every* message; the other small-order points
/// are nearly as bad. libsodium refuses the same list (`ge25519_has_small_order`).
public enum PublicKeyCheck {
    /// Why the 32 raw bytes are not a key to trust, or `nil` when they are fine.
    public static func problem(_ key: [UInt8]) -> String? {
        guard key.count == 32 else { return "is not 32 bytes" }
        var masked = key
        masked[31] &= 0x7F  // the sign of x
        if smallOrder.contains(masked) { return "is a point of small order, which verifies forged signatures" }
        // y ≥ p = 2^255 − 19: the bytes are ed..ff, then thirty ff, then 7f.
        if masked[31] == 0x7F, masked[1..<31].allSatisfy({ $0 == 0xFF }), masked[0] >= 0xED {
            return "is not canonically encoded"
        }
        return nil
    }

    /// The small-order points, with the sign bit cleared (libsodium's list).
    static let smallOrder: Set<[UInt8]> = {
        let ff = [UInt8](repeating: 0xFF, count: 30)
        return [
            [UInt8](repeating: 0, count: 32),
            [0x01] + [UInt8](repeating: 0, count: 31),
            [0x26, 0xE8, 0x95, 0x8F, 0xC2, 0xB2, 0x27, 0xB0, 0x45, 0xC3, 0xF4, 0x89, 0xF2, 0xEF, 0x98, 0xF0,
             0xD5, 0xDF, 0xAC, 0x05, 0xD3, 0xC6, 0x33, 0x39, 0xB1, 0x38, 0x02, 0x88, 0x6D, 0x53, 0xFC, 0x05],
            [0xC7, 0x17, 0x6A, 0x70, 0x3D, 0x4D, 0xD8, 0x4F, 0xBA, 0x3C, 0x0B, 0x76, 0x0D, 0x10, 0x67, 0x0F,
             0x2A, 0x20, 0x53, 0xFA, 0x2C, 0x39, 0xCC, 0xC6, 0x4E, 0xC7, 0xFD, 0x77, 0x92, 0xAC, 0x03, 0x7A],
            [0xEC] + ff + [0x7F],
            [0xED] + ff + [0x7F],
            [0xEE] + ff + [0x7F],
        ]
    }()
}
