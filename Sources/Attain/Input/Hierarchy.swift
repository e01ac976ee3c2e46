// hierarchy.csv: who reported to whom from when, so that overrides and team measures credit each deal to the managers
// in force on its close date, and a reorg never changes what a closed period paid.

/// One row of hierarchy.csv: `rep_id` reports to `manager_id` from `start_date` to `end_date`, both inclusive.
public struct HierarchyRow: Sendable {
    public let repID: String
    /// Nil when `manager_id` is empty: the rep has no manager over these days.
    public let managerID: String?
    public let start: CivilDate
    /// Nil when `end_date` is empty: the row holds from its start on.
    public let end: CivilDate?
    /// The row's line in hierarchy.csv.
    public let line: Int
}

/// The dated manager tree.
///
/// A rep with rows in hierarchy.csv reports as its rows say, and has no manager on a day no row covers; a rep with no
/// rows keeps roster.csv's `manager_id` for all time. Reps are known by their place in the roster sorted by id (the
/// order of `DataSet.reps`).
public struct Hierarchy: Sendable {
    /// One row of a rep: the manager's place (-1 for none) over the row's days.
    struct Span: Sendable {
        let start: CivilDate
        let end: CivilDate?
        let manager: Int32

        func covers(_ d: CivilDate) -> Bool { start <= d && end.map { d <= $0 } ?? true }
    }

    public let path: String
    public let rows: [HierarchyRow]
    /// Rep ids by place, and each id's place.
    let ids: [String]
    let place: [String: Int]
    /// Each rep's manager in roster.csv, by place (-1 for none).
    let rosterManager: [Int32]
    /// Each rep's rows by start date; nil for a rep with no rows.
    let spans: [[Span]?]
    /// Each manager's reps on any date (through a row or the roster), by place, in place order.
    let everReports: [[Int32]]

    /// The manager of the rep at `rep` on `date`, as a place; -1 for none.
    func manager(ofPlace rep: Int, on date: CivilDate) -> Int {
        guard let list = spans[rep] else { return Int(rosterManager[rep]) }
        // The last row starting on or before the date: rows of one rep do not overlap, so only it can cover the date.
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].start <= date { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, list[lo - 1].covers(date) else { return -1 }
        return Int(list[lo - 1].manager)
    }

    /// The rep's manager on `date`, or nil for none (or an unknown rep).
    public func manager(of rep: String, on date: CivilDate) -> String? {
        guard let p = place[rep] else { return nil }
        let m = manager(ofPlace: p, on: date)
        return m < 0 ? nil : ids[m]
    }

    /// Every rep who reports to the manager directly on some date, sorted by id.
    public func reportsOnAnyDate(of manager: String) -> [String] {
        guard let p = place[manager] else { return [] }
        return everReports[p].map { ids[Int($0)] }
    }

    /// Whether `manager` is the rep's manager on `date` (`direct`), or any manager above the rep on that date.
    ///
    /// A walk up from the rep, one manager per step: the tree has no cycle on any date (the loader sees to it), so the
    /// walk ends at the top; it is bounded by the number of reps all the same.
    public func reports(_ rep: String, to manager: String, on date: CivilDate, direct: Bool) -> Bool {
        guard let r = place[rep], let m = place[manager] else { return false }
        return reports(place: r, to: m, on: date, direct: direct)
    }

    func reports(place rep: Int, to manager: Int, on date: CivilDate, direct: Bool) -> Bool {
        if direct { return self.manager(ofPlace: rep, on: date) == manager }
        var memo: [Int: Bool] = [:]
        return isBelow(place: rep, manager: manager, on: date, memo: &memo)
    }

    /// Whether `manager` is above the rep on `date`, remembering the answer for every rep the walk up passes (`memo`, by
    /// place, for one manager and one date): a later walk stops where an earlier one was, so the reps of a subtree are
    /// answered in time linear in its size however deep it is.
    func isBelow(place rep: Int, manager: Int, on date: CivilDate, memo: inout [Int: Bool]) -> Bool {
        if let known = memo[rep] { return known }
        var path = [rep]
        var current = self.manager(ofPlace: rep, on: date)
        var answer = false
        while current >= 0 && path.count <= ids.count {
            if current == manager {
                answer = true
                break
            }
            if let known = memo[current] {
                answer = known
                break
            }
            path.append(current)
            current = self.manager(ofPlace: current, on: date)
        }
        for p in path { memo[p] = answer }
        return answer
    }

    /// Reads hierarchy.csv against the roster (`reps` sorted by id, as `DataSet.reps`): every bad row is reported with
    /// file, line and column; overlapping rows of a rep, and a cycle in the tree on any date, are errors.
    public static func load(_ file: InputFile, reps: [Rep]) -> (Hierarchy?, Diagnostics) {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: ["rep_id", "manager_id", "start_date", "end_date"], diagnostics: &diagnostics) else {
            return (nil, diagnostics)
        }
        var place: [String: Int] = [:]
        place.reserveCapacity(reps.count)
        for (i, rep) in reps.enumerated() where place[rep.id] == nil { place[rep.id] = i }
        let ids = reps.map(\.id)
        let known = Suggestion.Names(ids)
        var rows: [HierarchyRow] = []
        var records: [Int: CSVRecord] = [:]
        for r in t.records {
            guard let rep = loader.requiredText(&t, r, "rep_id") else { continue }
            guard place[rep] != nil else {
                t.fail("D280", "rep `\(Suggestion.cut(rep))` is not in the roster", r, t.header["rep_id"], width: rep.count, notes: Suggestion.help(for: rep, in: known))
                continue
            }
            let managerText = (t.value(r, "manager_id") ?? "").trimmingSpaces()
            if !managerText.isEmpty && place[managerText] == nil {
                t.fail("D281", "manager `\(Suggestion.cut(managerText))` of rep `\(Suggestion.cut(rep))` is not in the roster", r, t.header["manager_id"], width: managerText.count,
                       notes: Suggestion.help(for: managerText, in: known))
                continue
            }
            guard let startOpt = loader.date(&t, r, "start_date"), let start = startOpt, let end = loader.date(&t, r, "end_date", optional: true) else { continue }
            if let e = end, e < start {
                t.fail("D282", "`end_date` \(e) is before `start_date` \(start)", r, t.header["end_date"], width: 10)
                continue
            }
            rows.append(HierarchyRow(repID: rep, managerID: managerText.isEmpty ? nil : managerText, start: start, end: end, line: r.line))
            records[r.line] = r
        }
        // Each rep's rows by start date; two that share a day are an error on the later one.
        var spans = [[Span]?](repeating: nil, count: reps.count)
        var spanLines = [[Int]?](repeating: nil, count: reps.count)
        for row in rows.sorted(by: { ($0.repID, $0.start, $0.line) < ($1.repID, $1.start, $1.line) }) {
            let p = place[row.repID]!
            let span = Span(start: row.start, end: row.end, manager: Int32(row.managerID.map { place[$0]! } ?? -1))
            if let last = spans[p]?.last, last.end.map({ $0 >= row.start }) ?? true {
                let other = spanLines[p]!.last!
                t.fail("D283", "rep `\(Suggestion.cut(row.repID))` has two rows that cover \(row.start)", records[row.line]!, t.header["start_date"], width: 10,
                       notes: [.note("the other row is on line \(other)\(last.end.map { " and runs to \($0)" } ?? " and has no end")"),
                               .help("end one row the day before the next starts")])
                continue
            }
            if spans[p] == nil { (spans[p], spanLines[p]) = ([], []) }
            spans[p]!.append(span)
            spanLines[p]!.append(row.line)
        }
        // Messages in line order, as the other files give theirs.
        t.diagnostics.items = t.diagnostics.items.enumerated().sorted { a, b in
            (a.element.span?.line ?? 0, a.offset) < (b.element.span?.line ?? 0, b.offset)
        }.map(\.element)
        let rosterManager = reps.map { rep in Int32(rep.managerID.flatMap { place[$0] } ?? -1) }
        // Each manager's reps on any date: the edges of the tree over all time.
        var everReports = [[Int32]](repeating: [], count: reps.count)
        for r in reps.indices {
            if let list = spans[r] {
                var seen: Set<Int32> = []
                for s in list where s.manager >= 0 && seen.insert(s.manager).inserted { everReports[Int(s.manager)].append(Int32(r)) }
            } else if rosterManager[r] >= 0 {
                everReports[Int(rosterManager[r])].append(Int32(r))
            }
        }
        let hierarchy = Hierarchy(path: file.path, rows: rows, ids: ids, place: place, rosterManager: rosterManager, spans: spans,
                                  everReports: everReports)
        if !t.diagnostics.hasErrors {
            for cycle in hierarchy.cycles(lines: spanLines) {
                let record = records[cycle.line]!
                t.fail("D284", "the manager tree has a cycle on \(cycle.date): \((cycle.reps + [cycle.reps[0]]).map { "`\(Suggestion.cut($0))`" }.joined(separator: " → "))",
                       record, t.header["manager_id"], width: max(1, (t.value(record, "manager_id") ?? "").count),
                       notes: [.help("a rep cannot be above their own manager; end or change one of these rows")])
            }
        }
        diagnostics.append(contentsOf: t.finished)
        return (diagnostics.hasErrors ? nil : hierarchy, diagnostics)
    }

    /// A cycle found on a date: its reps in walking order, from the rep of the row on `line` that starts that day.
    struct Cycle {
        let date: CivilDate
        let reps: [String]
        let line: Int
    }

    /// Every cycle in the tree on any date, each once (on the first day it is there).
    ///
    /// Rows change the tree only on the days they start (and after they end), so a cycle on some day is a cycle on the
    /// latest start day of its rows, and a walk up from the rep of that row on that day runs into it. The walks are
    /// kept short: a cycle on any date is a cycle in the graph of every edge over all time, so it lies in one strongly
    /// connected part of that graph; only rows whose rep and manager share such a part (none, in a tree without
    /// cycles) are walked, and a walk stops where it leaves the part, where it meets its own path (a cycle), or where
    /// an earlier walk of the same day has been (what lies above was seen then). Each day's walks pass each rep once.
    func cycles(lines: [[Int]?]) -> [Cycle] {
        let part = components()
        // The rows to walk from, by start day: (day, rep, row index in the rep's list).
        var starts: [(day: CivilDate, rep: Int, row: Int)] = []
        for rep in spans.indices {
            guard let list = spans[rep] else { continue }
            for (k, span) in list.enumerated() where span.manager >= 0 && part[Int(span.manager)] == part[rep] {
                starts.append((span.start, rep, k))
            }
        }
        starts.sort { ($0.day, $0.rep, $0.row) < ($1.day, $1.rep, $1.row) }
        var out: [Cycle] = []
        var said: Set<[Int]> = []
        // The walk each rep was last passed by, -1 for none; walks are numbered, and `firstOfDay` is the day's first.
        var passed = [Int](repeating: -1, count: ids.count)
        var walk = -1, firstOfDay = 0
        var previous: CivilDate?
        for (date, rep, _) in starts {
            if date != previous { firstOfDay = walk + 1; previous = date }
            guard passed[rep] < firstOfDay else { continue }
            walk += 1
            var path: [Int] = []
            var current = rep
            while current >= 0 && part[current] == part[rep] {
                if passed[current] == walk {
                    // The walk met its own path: a cycle from `current` on.
                    let cycle = Array(path[path.firstIndex(of: current)!...])
                    if said.insert(cycle.sorted()).inserted { out.append(reported(cycle, on: date, lines: lines)) }
                    break
                }
                if passed[current] >= firstOfDay { break }
                passed[current] = walk
                path.append(current)
                current = manager(ofPlace: current, on: date)
            }
        }
        return out.sorted { $0.line < $1.line }
    }

    /// A cycle on a day, told from the rep whose row starts that day and closes it, on that row's line.
    func reported(_ cycle: [Int], on date: CivilDate, lines: [[Int]?]) -> Cycle {
        for (i, rep) in cycle.enumerated() {
            guard let list = spans[rep], let k = list.firstIndex(where: { $0.start == date }) else { continue }
            let names = (cycle[i...] + cycle[..<i]).map { ids[$0] }
            return Cycle(date: date, reps: names, line: lines[rep]![k])
        }
        // Not reached: the day is a start day of one of the cycle's rows.
        return Cycle(date: date, reps: cycle.map { ids[$0] }, line: lines[cycle[0]]?.first ?? 1)
    }

    /// The strongly connected part of each rep in the graph of every edge the tree has on any date (Tarjan's
    /// algorithm, without recursion so that a deep tree does not exhaust the stack).
    func components() -> [Int] {
        let n = ids.count
        var index = [Int](repeating: -1, count: n), low = [Int](repeating: 0, count: n)
        var part = [Int](repeating: -1, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = []
        var next = 0, parts = 0
        // The edges out of a rep: its managers on any date.
        func managers(_ r: Int) -> [Int] {
            if let list = spans[r] { return list.compactMap { $0.manager >= 0 ? Int($0.manager) : nil } }
            return rosterManager[r] >= 0 ? [Int(rosterManager[r])] : []
        }
        var work: [(node: Int, edges: [Int], at: Int)] = []
        for root in 0..<n where index[root] < 0 {
            work.append((root, managers(root), 0))
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while !work.isEmpty {
                let top = work.count - 1
                let v = work[top].node
                if work[top].at < work[top].edges.count {
                    let w = work[top].edges[work[top].at]
                    work[top].at += 1
                    if index[w] < 0 {
                        index[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack[w] = true
                        work.append((w, managers(w), 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                    continue
                }
                if low[v] == index[v] {
                    while let w = stack.popLast() {
                        onStack[w] = false
                        part[w] = parts
                        if w == v { break }
                    }
                    parts += 1
                }
                work.removeLast()
                if let parent = work.last?.node { low[parent] = min(low[parent], low[v]) }
            }
        }
        return part
    }
}
