// A reader for one flat JSON object a line (string and integer values, no nesting), as the shard steps exchange:
// millions of small records, which Foundation's JSON decoder reads several times slower.

enum FlatJSON {
    /// The object's members: strings as their text, integers as their digits. Nil when the line is not a flat object.
    static func members(_ line: ArraySlice<UInt8>) -> [String: String]? {
        var out: [String: String] = [:]
        var i = line.startIndex
        let end = line.endIndex
        func space() { while i < end, line[i] == 0x20 || line[i] == 0x09 || line[i] == 0x0D { i += 1 } }
        func string() -> String? {
            guard i < end, line[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var bytes: [UInt8] = []
            var start = i
            while i < end {
                let b = line[i]
                if b == UInt8(ascii: "\"") {
                    bytes += line[start..<i]
                    i += 1
                    return String(decoding: bytes, as: UTF8.self)
                }
                if b == UInt8(ascii: "\\") {
                    bytes += line[start..<i]
                    i += 1
                    guard i < end else { return nil }
                    switch line[i] {
                    case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                    case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                    case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "/"))
                    case UInt8(ascii: "b"): bytes.append(0x08)
                    case UInt8(ascii: "f"): bytes.append(0x0C)
                    case UInt8(ascii: "n"): bytes.append(0x0A)
                    case UInt8(ascii: "r"): bytes.append(0x0D)
                    case UInt8(ascii: "t"): bytes.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let unit = hex(at: i + 1) else { return nil }
                        i += 4
                        var scalar: UInt32 = unit
                        // A surrogate pair: the second half follows as its own escape.
                        if (0xD800..<0xDC00).contains(unit), i + 6 < end, line[i + 1] == UInt8(ascii: "\\"), line[i + 2] == UInt8(ascii: "u"),
                           let low = hex(at: i + 3), (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                        guard let s = Unicode.Scalar(scalar) else { return nil }
                        bytes += Array(String(Character(s)).utf8)
                    default: return nil
                    }
                    i += 1
                    start = i
                    continue
                }
                i += 1
            }
            return nil
        }
        func hex(at k: Int) -> UInt32? {
            guard k + 4 <= end else { return nil }
            var v: UInt32 = 0
            for b in line[k..<(k + 4)] {
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): v = v * 16 + UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): v = v * 16 + UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): v = v * 16 + UInt32(b - UInt8(ascii: "A") + 10)
                default: return nil
                }
            }
            return v
        }
        space()
        guard i < end, line[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        space()
        if i < end, line[i] == UInt8(ascii: "}") { i += 1; space(); return i == end ? out : nil }
        while true {
            space()
            guard let key = string() else { return nil }
            space()
            guard i < end, line[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            space()
            if i < end, line[i] == UInt8(ascii: "\"") {
                guard let value = string() else { return nil }
                out[key] = value
            } else {
                let start = i
                if i < end, line[i] == UInt8(ascii: "-") { i += 1 }
                while i < end, line[i] >= UInt8(ascii: "0"), line[i] <= UInt8(ascii: "9") { i += 1 }
                guard i > start else { return nil }
                out[key] = String(decoding: line[start..<i], as: UTF8.self)
            }
            space()
            guard i < end else { return nil }
            if line[i] == UInt8(ascii: ",") { i += 1; continue }
            guard line[i] == UInt8(ascii: "}") else { return nil }
            i += 1
            space()
            return i == end ? out : nil
        }
    }
}
