// "did you mean …?" — the closest known name to a misspelt one.

enum Suggestion {
    /// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo.
    static func closest(to name: String, in candidates: [String]) -> String? {
        let target = Array(name.lowercased())
        var best: (String, Int)?
        for candidate in candidates.sorted() {
            let d = distance(target, Array(candidate.lowercased()))
            if best == nil || d < best!.1 { best = (candidate, d) }
        }
        guard let (candidate, d) = best else { return nil }
        let limit = max(1, min(3, target.count / 3 + 1))
        return d <= limit && d < target.count ? candidate : nil
    }

    /// A `help:` note naming the closest candidate, or nil.
    static func help(for name: String, in candidates: [String]) -> [Diagnostic.Note] {
        guard let c = closest(to: name, in: candidates) else { return [] }
        return [.help("did you mean `\(c)`?")]
    }

    /// Levenshtein distance.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
