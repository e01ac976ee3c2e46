// A fast path for activities.csv: a well-formed file read straight from its bytes, without a record of strings per row.
// Anything unusual (a quote, a control character, a cell with spaces around it, a bad value, a repeated id, a rep not in
// the roster, declared extra columns) makes it give up, and the careful reader runs instead and says every fault with
// its position. Both give the same activities.

extension ActivityTable {
    /// The activities of a well-formed file, or nil when the careful reader must read it.
    static func fast(_ file: InputFile, declared: [String: ValueType], reps: [Rep]) -> ActivityTable? {
        guard declared.isEmpty else { return nil }
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        return file.bytes.withUnsafeBufferPointer { all -> ActivityTable? in
            var start = 0
            if all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF { start = 3 }
            var high = false
            for i in start..<all.count {
                let b = all[i]
                if b == UInt8(ascii: "\"") || (b < 0x20 && b != newline && b != cr && b != 0x09) { return nil }
                // A carriage return ends a line only before its line feed.
                if b == cr && i + 1 < all.count && all[i + 1] != newline { return nil }
                if b >= 0x80 { high = true }
            }
            if high && String(validating: UnsafeBufferPointer(rebasing: all[start...]), as: UTF8.self) == nil { return nil }
            /// The cells of the line from `i`, as ranges, and where the next line starts; nil for a cell with spaces or tabs
            /// around it (the careful reader trims them).
            func cells(from i: Int) -> (cells: [Range<Int>], next: Int)? {
                var end = i
                while end < all.count && all[end] != newline { end += 1 }
                let next = end + 1
                if end > i && all[end - 1] == cr { end -= 1 }
                var out: [Range<Int>] = []
                var s = i
                for k in i...end where k == end || all[k] == comma {
                    if k > s && (all[s] == 0x20 || all[s] == 0x09 || all[k - 1] == 0x20 || all[k - 1] == 0x09) { return nil }
                    out.append(s..<k)
                    s = k + 1
                }
                return (out, next)
            }
            func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: all[r]), as: UTF8.self) }
            guard let (head, first) = cells(from: start) else { return nil }
            var column: [String: Int] = [:]
            for (i, r) in head.enumerated() {
                guard column.updateValue(i, forKey: text(r)) == nil else { return nil }
            }
            guard let idColumn = column["activity_id"], let repColumn = column["rep_id"], let dateColumn = column["date"],
                  let kindColumn = column["kind"] else { return nil }
            let countColumn = column["count"]
            let roster = Set(reps.map(\.id))
            var activities: [Activity] = []
            var firstLine: [String: Int] = [:]
            // Kinds are few: the first ones are found by their bytes, each kept as one text.
            var kinds: [(bytes: [UInt8], text: String)] = []
            var moreKinds: [String: String] = [:]
            var i = first, line = 1
            while i < all.count {
                line += 1
                guard let (row, next) = cells(from: i) else { return nil }
                defer { i = next }
                if row.count == 1 && row[0].isEmpty { continue }
                guard row.count == head.count else { return nil }
                let idRange = row[idColumn], repRange = row[repColumn], kindRange = row[kindColumn]
                guard !idRange.isEmpty, !repRange.isEmpty, !kindRange.isEmpty,
                      case .success(let date) = CivilDate.parse(buffer: UnsafeBufferPointer(rebasing: all[row[dateColumn]])) else { return nil }
                var count = ExactDecimal.one
                if let c = countColumn, !row[c].isEmpty {
                    guard case .success(let d) = ExactDecimal.parse(UnsafeBufferPointer(rebasing: all[row[c]])), !d.isNegative else { return nil }
                    count = d
                }
                let kindBytes = UnsafeBufferPointer(rebasing: all[kindRange])
                let kind: String
                if let known = kinds.first(where: { $0.bytes.elementsEqual(kindBytes) }) {
                    kind = known.text
                } else if kinds.count < 16 {
                    kind = text(kindRange)
                    kinds.append((Array(kindBytes), kind))
                } else {
                    let t = text(kindRange)
                    kind = moreKinds[t] ?? t
                    moreKinds[t] = kind
                }
                let id = text(idRange), rep = text(repRange)
                guard roster.contains(rep), firstLine.updateValue(line, forKey: id) == nil else { return nil }
                activities.append(Activity(activityID: id, repID: rep, date: date, kind: kind, count: count, extras: [:], line: line))
            }
            return ActivityTable(path: file.path, activities: activities, unrostered: [])
        }
    }
}
