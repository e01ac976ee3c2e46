// A small JSON tree written with sorted keys and fixed indentation, so equal inputs give equal bytes.

/// A JSON value. Numbers are never used for money: amounts are decimal strings.
public indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    /// UTF-8 text: keys sorted, two-space indentation, a final newline.
    public func serialized() -> String {
        var w = JSONWriter()
        write(into: &w)
        return w.finishText()
    }

    func write(into w: inout JSONWriter) {
        switch self {
        case .string(let s): w.string(s)
        case .int(let i): w.int(i)
        case .bool(let b): w.bool(b)
        case .null: w.null()
        case .array(let items):
            w.beginArray()
            for item in items { item.write(into: &w) }
            w.endArray()
        case .object(let members):
            w.beginObject()
            for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                w.key(text: key)
                members[key]!.write(into: &w)
            }
            w.endObject()
        }
    }
}
