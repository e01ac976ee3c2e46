// The roster's manager tree: every cycle is reported once, naming every rep in it, in the order a plain walk from each
// rep finds them.
import Testing
@testable import Attain

@Suite struct RosterTests {
    func load(_ roster: String) -> (reps: [Rep], errors: [(code: String, message: String, line: Int)]) {
        var d = Diagnostics()
        let reps = DataLoader(declaredFields: [:], planNames: ["P"]).loadRoster(InputFile(path: "roster.csv", bytes: Array(roster.utf8)), &d)
        return (reps, d.errors.map { ($0.code, $0.message, $0.span?.line ?? 0) })
    }

    @Test func localeColumnNamesEachRepsLanguage() {
        let roster = "rep_id,name,manager_id,hire_date,end_date,locale\nA,A,,2025-01-01,,zh-CN\nB,B,,2025-01-01,,\nC,C,,2025-01-01,,fa-IR\nD,D,,2025-01-01,,zh-Hant\n"
        let (reps, errors) = load(roster)
        #expect(reps.map { $0.locale?.tag ?? "-" } == ["zh-Hans", "-", "fa", "-"])
        // A tag Attain has no catalog for is an error at its cell; the rep stays on the roster, so their deals are not
        // also called unknown.
        #expect(errors.map(\.code) == ["D224"])
        #expect(errors.first?.line == 5)
        #expect(errors.first?.message == "`locale` is `zh-Hant`: statements are written in `en`, `zh-Hans`, `fa` (BCP 47 tags)")
    }

    /// The cycles as a walk from every rep in id order finds them, each walk on its own: the first rep of a cycle is
    /// where the walk of the first rep (by id) that reaches it enters it.
    func expectedCycles(_ managers: [(id: String, manager: String?, line: Int)]) -> [(message: String, line: Int)] {
        let managerOf = Dictionary(uniqueKeysWithValues: managers.map { ($0.id, $0.manager) })
        let lineOf = Dictionary(uniqueKeysWithValues: managers.map { ($0.id, $0.line) })
        var reported: Set<String> = []
        var out: [(String, Int)] = []
        for rep in managers.map(\.id).sorted() where !reported.contains(rep) {
            var path: [String] = []
            var current: String? = rep
            while let c = current, !path.contains(c), managerOf[c] != nil {
                path.append(c)
                current = managerOf[c] ?? nil
            }
            if let c = current, let start = path.firstIndex(of: c) {
                let cycle = Array(path[start...])
                if cycle.contains(where: { reported.contains($0) }) { continue }
                reported.formUnion(cycle)
                out.append(("the manager tree has a cycle: \((cycle + [cycle[0]]).map { "`\($0)`" }.joined(separator: " → "))", lineOf[cycle[0]]!))
            }
        }
        return out
    }

    @Test func eachCycleIsReportedOnceWithEveryRepNamed() {
        // Two cycles, one of them a rep managing itself; reps hang below both, and a chain leads to the top.
        let roster = """
            rep_id,name,manager_id,hire_date,end_date
            Z,Zed,Y,2025-01-01,
            Y,Yan,X,2025-01-01,
            X,Xia,Z,2025-01-01,
            A,Ann,Y,2025-01-01,
            B,Ben,A,2025-01-01,
            S,Sam,S,2025-01-01,
            T,Tom,S,2025-01-01,
            R,Rui,,2025-01-01,
            C,Cat,R,2025-01-01,
            D,Dan,C,2025-01-01,

            """
        let (reps, errors) = load(roster)
        #expect(reps.map(\.id) == ["A", "B", "C", "D", "R", "S", "T", "X", "Y", "Z"])
        #expect(errors.map(\.code) == ["D223", "D223"])
        #expect(errors.map(\.message) == ["the manager tree has a cycle: `Y` → `X` → `Z` → `Y`", "the manager tree has a cycle: `S` → `S`"])
        #expect(errors.map(\.line) == [3, 7])
    }

    @Test(arguments: 1...40) func cyclesAreFoundAsAWalkFromEveryRepFindsThem(seed: UInt64) {
        // Random manager trees with cycles, missing managers and reps at the top.
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let count = 2 + next(60)
        let ids = (0..<count).map { "R\(($0 * 37) % 101)" }
        var rows: [(id: String, manager: String?, line: Int)] = []
        for (i, id) in ids.enumerated() {
            let pick = next(10)
            let manager: String? = pick == 0 ? nil : pick == 1 ? "gone" : ids[next(count)]
            rows.append((id, manager, i + 2))
        }
        let roster = "rep_id,name,manager_id,hire_date,end_date\n" + rows.map { "\($0.id),N,\($0.manager ?? ""),2025-01-01,\n" }.joined()
        let (_, errors) = load(roster)
        let cycles = errors.filter { $0.code == "D223" }
        let expected = expectedCycles(rows.map { ($0.id, $0.manager, $0.line) })
        #expect(cycles.map(\.message) == expected.map(\.message))
        #expect(cycles.map(\.line) == expected.map(\.line))
        #expect(errors.filter { $0.code != "D223" }.allSatisfy { $0.code == "D222" })
    }
}
