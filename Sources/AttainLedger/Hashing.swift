// SHA-256 of plan texts, input files and posted statements, as lowercase hex, for the ledger's record of what ran.
import Crypto
import Foundation
import GRDB

public enum InputHash {
    public static func sha256(_ bytes: [UInt8]) -> String {
        hex(Array(SHA256.hash(data: bytes)))
    }

    /// The SHA-256 of a text's UTF-8 bytes (32 bytes), read in place.
    static func sha256Bytes(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { Array(SHA256.hash(data: UnsafeRawBufferPointer($0))) }
    }

    /// Bytes as lowercase hex, two digits each.
    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Ledger {
    /// What the ledger keeps of a posted document: the SHA-256 of its UTF-8 bytes (lowercase hex) and their count.
    /// A statement made again is the one posted when both are equal.
    public static func digest(_ document: String) -> (sha256: String, bytes: Int) {
        (InputHash.hex(InputHash.sha256Bytes(document)), document.utf8.count)
    }
}

extension Ledger {
    /// `attain_sha256(text)`: the SHA-256 of a text's UTF-8 bytes as a 32-byte blob, for the migration that keeps
    /// each posted document as its digest.
    static let sha256Function = DatabaseFunction("attain_sha256", argumentCount: 1, pure: true) { values in
        Data(InputHash.sha256Bytes(String.fromDatabaseValue(values[0]) ?? ""))
    }
}
