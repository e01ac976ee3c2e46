// Writes JSON text straight into bytes: two-space indentation, one member or item per line, a final newline; or,
// compact, the same text without any space or line break but the final newline (one line of a JSON Lines file).
// Callers give each object's keys in ascending byte order, so the same input always gives the same bytes;
// debug builds check that order.

/// A streaming JSON writer. Money and other decimals go in as strings, never as numbers.
/// It cannot be copied: a copy would share the text but not the record of open containers.
public struct JSONWriter: ~Copyable {
    /// The text so far, in memory the writer owns: appending a byte is a store, with no checks an array would make.
    /// Handed over whole when the text is finished (`finishBytes`), to be written to a file without a copy.
    public final class Buffer: @unchecked Sendable {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 64)
            base = .allocate(capacity: self.capacity)
        }

        /// A buffer holding `bytes` (a JSON text made elsewhere, say by a shard).
        public convenience init(bytes: some Collection<UInt8>) {
            self.init(capacity: bytes.count)
            for b in bytes { append(b) }
        }

        deinit { base.deallocate() }

        @inline(__always)
        func append(_ byte: UInt8) {
            if count == capacity { grow(count + 1) }
            base[count] = byte
            count += 1
        }

        @inline(__always)
        func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let from = bytes.baseAddress, bytes.count > 0 else { return }
            if count + bytes.count > capacity { grow(count + bytes.count) }
            (base + count).update(from: from, count: bytes.count)
            count += bytes.count
        }

        func append(repeating byte: UInt8, count n: Int) {
            if count + n > capacity { grow(count + n) }
            (base + count).update(repeating: byte, count: n)
            count += n
        }

        func grow(_ needed: Int) {
            let larger = max(needed, capacity * 2)
            let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
            moved.update(from: base, count: count)
            base.deallocate()
            base = moved
            capacity = larger
        }

        var text: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

        /// The bytes written, for `body` to read while it runs.
        public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R { try body(text) }

        /// How many bytes were written.
        public var byteCount: Int { count }
    }

    private let out: Buffer
    /// No spaces or line breaks between members and items.
    private let compact: Bool
    /// One entry per open container: whether it is an object, and how many members or items it has so far.
    private var open: [(object: Bool, count: Int)] = []
    /// Whether a key was just written, so a value may follow inside an object.
    private var keyed = false
    private var finished = false
    #if DEBUG
    /// The last key written in each open object, to check the order.
    private var lastKeys: [[UInt8]] = []
    #endif

    /// A writer of indented text, or with `compact` of text on one line.
    public init(capacity: Int = 4096, compact: Bool = false) {
        out = Buffer(capacity: capacity)
        self.compact = compact
    }

    /// The finished text, ending in a newline.
    public mutating func finishText() -> String {
        end()
        return String(decoding: out.text, as: UTF8.self)
    }

    /// The finished text's bytes, ending in a newline, in the writer's own memory (no copy is made).
    public mutating func finishBytes() -> Buffer {
        end()
        return out
    }

    private mutating func end() {
        precondition(open.isEmpty && !finished, "a JSON container was left open, or the text was finished before")
        finished = true
        out.append(UInt8(ascii: "\n"))
    }

    // MARK: Containers

    public mutating func beginObject() {
        beforeValue()
        out.append(UInt8(ascii: "{"))
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
        out.append(UInt8(ascii: "["))
        open.append((false, 0))
    }

    public mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    /// An object member's key, escaped like any string; its value comes next.
    public mutating func key(text name: String) {
        var name = name
        name.withUTF8 { writeKey($0, escaped: true) }
    }

    /// A key known when the program was built (plain letters, digits and `_`): its bytes are copied as they are.
    public mutating func key(_ name: StaticString) {
        name.withUTF8Buffer { writeKey($0, escaped: false) }
    }

    private mutating func writeKey(_ utf8: UnsafeBufferPointer<UInt8>, escaped: Bool) {
        precondition(open.last?.object == true && !keyed, "a key outside an object, or two keys in a row")
        #if DEBUG
        let last = lastKeys[lastKeys.count - 1]
        assert(last.isEmpty || last.lexicographicallyPrecedes(utf8), "JSON key \"\(String(decoding: utf8, as: UTF8.self))\" is out of order")
        lastKeys[lastKeys.count - 1] = Array(utf8)
        #endif
        nextMember()
        if escaped {
            writeString(utf8)
        } else {
            assert(!utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }, "a key that needs escaping")
            out.append(UInt8(ascii: "\""))
            out.append(utf8)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: ":"))
        if !compact { out.append(UInt8(ascii: " ")) }
        keyed = true
    }

    // MARK: Values

    public mutating func string(_ s: String) {
        beforeValue()
        writeString(s)
    }

    public mutating func int(_ i: Int) {
        beforeValue()
        var digits = String(i)
        digits.withUTF8 { out.append($0) }
    }

    public mutating func bool(_ b: Bool) {
        beforeValue()
        let word: StaticString = b ? "true" : "false"
        word.withUTF8Buffer { out.append($0) }
    }

    public mutating func null() {
        beforeValue()
        let word: StaticString = "null"
        word.withUTF8Buffer { out.append($0) }
    }

    /// A member whose value is a string. (The key has just placed the value, so the value needs no placing of its own.)
    public mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        keyed = false
        writeString(value)
    }

    /// A member written only when there is a value.
    public mutating func field(_ name: StaticString, _ value: String?) {
        if let value { field(name, value) }
    }

    // MARK: Layout

    /// Inside an array, a value starts a new item; inside an object its key has already placed it.
    private mutating func beforeValue() {
        if let last = open.last {
            if last.object {
                precondition(keyed, "a value inside an object without a key")
            } else {
                nextMember()
            }
        }
        keyed = false
    }

    private mutating func nextMember() {
        let i = open.count - 1
        if open[i].count > 0 { out.append(UInt8(ascii: ",")) }
        open[i].count += 1
        if compact { return }
        out.append(UInt8(ascii: "\n"))
        indent(open.count)
    }

    private mutating func close(_ bracket: UInt8) {
        precondition(!keyed, "a key without a value")
        let closing = open.removeLast()
        if closing.count > 0 && !compact {
            out.append(UInt8(ascii: "\n"))
            indent(open.count)
        }
        out.append(bracket)
    }

    /// None of the eight bytes is a control character, a quote or a backslash.
    @inline(__always)
    static func plainBytes(_ x: UInt64) -> Bool {
        ByteMask.control(x) | ByteMask.equal(x, UInt8(ascii: "\"")) | ByteMask.equal(x, UInt8(ascii: "\\")) == 0
    }

    private mutating func indent(_ level: Int) {
        out.append(repeating: UInt8(ascii: " "), count: 2 * level)
    }

    /// A quoted string. Quotes, backslashes and control characters are escaped; everything else is copied as UTF-8.
    private mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { writeString($0) }
    }

    private mutating func writeString(_ text: UnsafeBufferPointer<UInt8>) {
        out.append(UInt8(ascii: "\""))
        // Most texts need no escape: eight bytes are looked at together, and a text without a control character,
        // quote or backslash is copied whole.
        if let base = text.baseAddress {
            let raw = UnsafeRawPointer(base)
            var i = 0, plain = true
            while plain && i + 8 <= text.count {
                plain = JSONWriter.plainBytes(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            while plain && i < text.count {
                let b = text[i]
                plain = b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\")
                i += 1
            }
            if plain {
                out.append(text)
                out.append(UInt8(ascii: "\""))
                return
            }
        }
        var start = 0
        for i in 0..<text.count {
            let b = text[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            out.append(UnsafeBufferPointer(rebasing: text[start..<i]))
            start = i + 1
            out.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
            case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
            default:
                func hex(_ digit: UInt8) -> UInt8 { digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10 }
                for byte in [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex(b >> 4), hex(b & 0xF)] {
                    out.append(byte)
                }
            }
        }
        out.append(UnsafeBufferPointer(rebasing: text[start...]))
        out.append(UInt8(ascii: "\""))
    }
}
