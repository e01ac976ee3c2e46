// "did you mean …?" — the closest known name to a misspelt one, found with a bounded search.

enum Suggestion {
    /// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo.
    static func closest(to name: String, in candidates: [String]) -> String? {
        Names(candidates).closest(to: name)
    }

    /// A `help:` note naming the closest candidate, or nil.
    static func help(for name: String, in candidates: [String]) -> [Diagnostic.Note] {
        help(for: name, in: Names(candidates))
    }

    /// A `help:` note naming the closest of indexed candidates, or nil.
    static func help(for name: String, in names: Names) -> [Diagnostic.Note] {
        guard let c = names.closest(to: name) else { return [] }
        return [.help("did you mean `\(c)`?")]
    }

    /// A `help:` note for a column the file does not have (`expected`), naming the header's column closest to it
    /// (`found`, from `Names.closest`): a
    /// case difference is said as one ("column names are lower-case: `Amount` should be `amount`"), a typo as
    /// "the header has `amont`: did you mean `amount`?".
    static func columnHelp(expected: String, found: String?) -> [Diagnostic.Note] {
        guard let found else { return [] }
        if found.lowercased() == expected.lowercased() {
            let rule = expected == expected.lowercased() ? "column names are lower-case" : "column names are case-sensitive"
            return [.help("\(rule): `\(cut(found))` should be `\(expected)`")]
        }
        return [.help("the header has `\(cut(found))`: did you mean `\(expected)`?")]
    }

    /// Known names, indexed on first use so that many look-ups against thousands of names stay fast.
    ///
    /// A name that differs from a known one only in case is found in one look-up. Otherwise a list of at most
    /// `comparedAll` names is compared whole; a longer one is searched in two sorted orders, of the names and of the
    /// names spelt backwards, comparing the `window` names on either side of where the misspelt name would stand in
    /// each: a typo leaves the start or the end of a name as it was. Ties go to the smaller name.
    final class Names {
        /// Lists up to this long are compared whole.
        static let comparedAll = 1_000
        /// Names compared on either side of the misspelt name's place in each order.
        static let window = 250

        let names: [String]
        private var index: Index?

        private struct Index {
            /// Each lower-cased name, with the smallest name that lower-cases to it.
            var byFolded: [String: String] = [:]
            /// The names lower-cased (text, original), sorted; and as places in it, sorted by the text spelt backwards.
            var folded: [(text: [Character], name: String)] = []
            var backwards: [(text: [Character], place: Int)] = []
        }

        init(_ names: [String]) { self.names = names }

        func closest(to name: String) -> String? {
            let target = Array(name.lowercased())
            if target.isEmpty { return nil }
            let index = built()
            if let same = index.byFolded[String(target)] { return same }
            let limit = max(1, min(3, target.count / 3 + 1))
            var places: [Int]
            if index.folded.count <= Names.comparedAll {
                places = Array(index.folded.indices)
            } else {
                let reversed = Array(target.reversed())
                let at = Names.place(of: target, in: index.folded.count) { index.folded[$0].text }
                let back = Names.place(of: reversed, in: index.backwards.count) { index.backwards[$0].text }
                places = Array(max(0, at - Names.window)..<min(index.folded.count, at + Names.window))
                places += index.backwards[max(0, back - Names.window)..<min(index.backwards.count, back + Names.window)].map(\.place)
            }
            var best: (name: String, distance: Int)?
            for p in places {
                let (text, candidate) = index.folded[p]
                guard let d = Suggestion.distance(target, text, atMost: min(limit, best?.distance ?? limit)) else { continue }
                if best == nil || d < best!.distance || (d == best!.distance && candidate < best!.name) { best = (candidate, d) }
            }
            guard let best, best.distance < target.count else { return nil }
            return best.name
        }

        private func built() -> Index {
            if let index { return index }
            var made = Index()
            made.byFolded.reserveCapacity(names.count)
            for n in names {
                let f = n.lowercased()
                if let other = made.byFolded[f], other <= n { continue }
                made.byFolded[f] = n
            }
            made.folded = names.map { (Array($0.lowercased()), $0) }.sorted { a, b in
                a.text.lexicographicallyPrecedes(b.text) || (a.text == b.text && a.name < b.name)
            }
            if made.folded.count > Names.comparedAll {
                made.backwards = made.folded.indices.map { (Array(made.folded[$0].text.reversed()), $0) }.sorted { a, b in
                    a.text.lexicographicallyPrecedes(b.text) || (a.text == b.text && a.place < b.place)
                }
            }
            index = made
            return made
        }

        /// Where `key` would stand among `count` sorted texts.
        private static func place(of key: [Character], in count: Int, _ text: (Int) -> [Character]) -> Int {
            var lo = 0, hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                if text(mid).lexicographicallyPrecedes(key) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    /// Levenshtein distance.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        distance(a, b, atMost: max(a.count, b.count))!
    }

    /// Levenshtein distance when it is at most `bound`, else nil: a row of the table whose every entry is above the
    /// bound ends the comparison early.
    static func distance(_ a: [Character], _ b: [Character], atMost bound: Int) -> Int? {
        if abs(a.count - b.count) > bound { return nil }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var smallest = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                smallest = min(smallest, current[j])
            }
            if smallest > bound { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= bound ? previous[b.count] : nil
    }

    /// Characters of a value from a file shown in a message before it is cut.
    static let shownCharacters = 60

    /// A value from a file as a message quotes it: its first 60 characters and "…" when it is longer.
    static func cut(_ text: String) -> String {
        guard text.utf8.count > shownCharacters else { return text }
        var end = text.startIndex
        var count = 0
        while end < text.endIndex && count < shownCharacters {
            end = text.index(after: end)
            count += 1
        }
        return end == text.endIndex ? text : String(text[..<end]) + "…"
    }
}
