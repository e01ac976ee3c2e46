// Eight bytes looked at together: masks marking, in each byte's high bit, the bytes of a 64-bit word that are of a kind.
// Each mark is exact: no carry or borrow crosses from one byte into the next.

enum ByteMask {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let high: UInt64 = 0x8080_8080_8080_8080
    static let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// The high bit of each byte of `x` that is zero, and no other bit.
    @inline(__always)
    static func zero(_ x: UInt64) -> UInt64 {
        ~(((x & low) &+ low) | x | low)
    }

    /// The high bit of each byte of `x` that equals `byte`, and no other bit.
    @inline(__always)
    static func equal(_ x: UInt64, _ byte: UInt8) -> UInt64 {
        zero(x ^ (UInt64(byte) &* ones))
    }

    /// The high bit of each byte of `x` below 0x20 (a control character), and no other bit.
    @inline(__always)
    static func control(_ x: UInt64) -> UInt64 {
        // The low seven bits plus 0x60 stay below 0x80 exactly when they are below 0x20, and never carry out of the byte.
        ~((x & low) &+ 0x60 &* ones) & ~x & high
    }
}
