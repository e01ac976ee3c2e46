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

    /// The SHA-256 of a file's bytes, read 4 MB at a time. Of a folder (a table's Parquet parts, say): the SHA-256 of
    /// a line `<path in the folder>\t<sha256>\n` per file under it, in path order, files and folders whose names start
    /// with `.` or `_` left out (checksums, markers).
    public static func sha256(file path: String) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw LedgerError("cannot read \(path): no such file or folder")
        }
        if isFolder.boolValue {
            guard let walk = FileManager.default.enumerator(atPath: path) else { throw LedgerError("cannot read the folder \(path)") }
            var files: [String] = []
            while let next = walk.nextObject() as? String {
                let name = (next as NSString).lastPathComponent
                if name.hasPrefix(".") || name.hasPrefix("_") {
                    walk.skipDescendants()
                    continue
                }
                var sub: ObjCBool = false
                if FileManager.default.fileExists(atPath: path + "/" + next, isDirectory: &sub), !sub.boolValue { files.append(next) }
            }
            var listing = ""
            for f in files.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                listing += "\(f)\t\(try sha256(file: path + "/" + f))\n"
            }
            return sha256(Array(listing.utf8))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw LedgerError("cannot read \(path)") }
        defer { try? handle.close() }
        var hash = SHA256()
        while true {
            let chunk = try handle.read(upToCount: 4 << 20) ?? Data()
            if chunk.isEmpty { break }
            hash.update(data: chunk)
        }
        return hex(Array(hash.finalize()))
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
