// Writes JSON text straight into bytes: two-space indentation, one member or item per line, a final newline.
// Callers give each object's keys in ascending byte order, so the same input always gives the same bytes;
// debug builds check that order.

/// A streaming JSON writer. Money and other decimals go in as strings, never as numbers.
public struct JSONWriter {
    /// The text so far.
    public private(set) var bytes: [UInt8] = []
    /// One entry per open container: whether it is an object, and how many members or items it has so far.
    private var open: [(object: Bool, count: Int)] = []
    #if DEBUG
    /// The last key written in each open object, to check the order.
    private var lastKeys: [[UInt8]] = []
    #endif

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    /// The finished text, ending in a newline.
    public mutating func finish() -> [UInt8] {
        precondition(open.isEmpty, "a JSON container was left open")
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    // MARK: Containers

    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        open.append((true, 0))
        #if DEBUG
        lastKeys.append([])
        #endif
    }

    public mutating func endObject() {
        close(UInt8(ascii: "}"))
        #if DEBUG
        lastKeys.removeLast()
        #endif
    }

    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        open.append((false, 0))
    }

    public mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    /// An object member's key; its value comes next.
    public mutating func key(_ name: String) {
        var name = name
        name.withUTF8 { writeKey($0) }
    }

    /// A key known when the program was built: its bytes are used as they are.
    public mutating func key(_ name: StaticString) {
        writeKey(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    private mutating func writeKey(_ utf8: UnsafeBufferPointer<UInt8>) {
        precondition(open.last?.object == true, "a key outside an object")
        #if DEBUG
        let last = lastKeys[lastKeys.count - 1]
        assert(last.isEmpty || last.lexicographicallyPrecedes(utf8), "JSON key \"\(String(decoding: utf8, as: UTF8.self))\" is out of order")
        lastKeys[lastKeys.count - 1] = Array(utf8)
        #endif
        nextMember()
        writeString(utf8)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
    }

    // MARK: Values

    public mutating func string(_ s: String) {
        beforeValue()
        writeString(s)
    }

    public mutating func int(_ i: Int) {
        beforeValue()
        bytes.append(contentsOf: String(i).utf8)
    }

    public mutating func bool(_ b: Bool) {
        beforeValue()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    public mutating func null() {
        beforeValue()
        bytes.append(contentsOf: "null".utf8)
    }

    /// A member whose value is a string.
    public mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        writeString(value)
    }

    /// A member written only when there is a value.
    public mutating func field(_ name: StaticString, _ value: String?) {
        if let value { field(name, value) }
    }

    // MARK: Layout

    /// Inside an array, a value starts a new item; inside an object its key has already placed it.
    private mutating func beforeValue() {
        if let last = open.last, !last.object { nextMember() }
    }

    private mutating func nextMember() {
        let i = open.count - 1
        if open[i].count > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\n"))
        open[i].count += 1
        indent(open.count)
    }

    private mutating func close(_ bracket: UInt8) {
        let closing = open.removeLast()
        if closing.count > 0 {
            bytes.append(UInt8(ascii: "\n"))
            indent(open.count)
        }
        bytes.append(bracket)
    }

    private mutating func indent(_ level: Int) {
        for _ in 0..<level {
            bytes.append(UInt8(ascii: " "))
            bytes.append(UInt8(ascii: " "))
        }
    }

    /// A quoted string. Quotes, backslashes and control characters are escaped; everything else is copied as UTF-8.
    private mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { writeString($0) }
    }

    private mutating func writeString(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var start = 0
        for i in 0..<text.count {
            let b = text[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<i]))
            start = i + 1
            bytes.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(b)
            case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
            default:
                let hex: StaticString = "0123456789abcdef"
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex.utf8Start[Int(b >> 4)], hex.utf8Start[Int(b & 0xF)]])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start...]))
        bytes.append(UInt8(ascii: "\""))
    }
}
