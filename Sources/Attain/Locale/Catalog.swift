// The message catalogs: every word Attain's pages say, by key, one file per language (Catalog+en.swift,
// Catalog+zh-Hans.swift, Catalog+fa.swift). A test keeps the three with the same keys and the same placeholders.

/// The words of the pages, by key. Keys are grouped by the page they are on (`statement.`, `team.`, `index.`,
/// `compare.`, `table.` for the terminal's tables); `{0}`, `{1}` … stand for the arguments in order.
public enum Catalog {
    /// A template with `{0}`, `{1}` … replaced by the arguments; a placeholder with no argument is left as it is.
    static func fill(_ template: String, _ arguments: [String]) -> String {
        guard !arguments.isEmpty else { return template }
        // Byte by byte: `{` and `}` are ASCII, so they never fall inside another character's bytes.
        let t = Array(template.utf8)
        guard t.contains(UInt8(ascii: "{")) else { return template }
        var out: [UInt8] = []
        out.reserveCapacity(t.count + arguments.reduce(0) { $0 + $1.utf8.count })
        var i = 0
        while i < t.count {
            if t[i] == UInt8(ascii: "{") {
                var j = i + 1
                var n = 0
                while j < t.count, t[j] &- 0x30 < 10, n < 1000 { n = n * 10 + Int(t[j] - 0x30); j += 1 }
                if j > i + 1, j < t.count, t[j] == UInt8(ascii: "}"), n < arguments.count {
                    out.append(contentsOf: arguments[n].utf8)
                    i = j + 1
                    continue
                }
            }
            out.append(t[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The placeholders a template uses, sorted: what each language's template for a key must use too.
    public static func placeholders(_ template: String) -> [Int] {
        var found: Set<Int> = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let n = Int(after[..<close]) { found.insert(n) }
            rest = after
        }
        return found.sorted()
    }
}

/// Unicode isolates around text whose direction may differ from its surroundings (ids, amounts, plan text) in the
/// terminal, where there is no `<bdi>`: FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE.
public func isolated(_ text: String) -> String { "\u{2068}\(text)\u{2069}" }
