// Helpers shared by the tests: running the engine on in-memory text, and source markers for positions.
@testable import Attain

/// The header every small test plan starts with.
let header = """
    plan "P" version "1"
    effective 2026-01-01 to 2026-12-31
    currency USD
    period quarter
    rounding half-up to 0.01

    """

let oneRep = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2025-01-01,\nB,Rep B,,2025-01-01,\n"

func assignments(_ rows: [(String, String)], plan: String = "P") -> String {
    "rep_id,plan,start_date,end_date,quota,target_incentive\n" + rows.map { "\($0.0),\(plan),2026-01-01,2026-12-31,\($0.1),10000.00\n" }.joined()
}

/// The brief's three deals for rep A.
let briefDeals = """
    deal_id,rep_id,close_date,amount,currency,product,type
    D1,A,2026-01-10,30000.00,USD,Gadget,new
    D2,A,2026-02-03,40000.00,USD,Gadget,new
    D3,A,2026-03-15,50000.00,USD,Gadget,new

    """

func runEngine(plan: String, deals: String, roster: String = oneRep, assignments: String, period: String = "2026-Q1",
               overrides: [(name: String, text: String)] = []) -> Result<RunResult, Diagnostics> {
    Engine.run(RunRequest(plans: [SourceFile(path: "p.plan", text: plan)],
                          deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                          roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                          assignments: InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)),
                          period: period, overrides: overrides))
}

/// Runs and returns the statements, or the rendered errors as a failure string.
func statements(plan: String, deals: String, assignments a: String, roster: String = oneRep, overrides: [(name: String, text: String)] = []) throws -> [Statement] {
    switch runEngine(plan: plan, deals: deals, roster: roster, assignments: a, overrides: overrides) {
    case .success(let r): return r.statements
    case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
    }
}

struct EngineFailed: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}

extension Statement {
    var amounts: [String] { lines.map(\.amount.text) }
}

/// Source text with position markers (1️⃣, 2️⃣ …) removed, and where each marker stood (line, column).
func marked(_ text: String) -> (text: String, markers: [String: (line: Int, column: Int)]) {
    let names = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣"]
    var clean = ""
    var markers: [String: (Int, Int)] = [:]
    var line = 1
    var column = 1
    var rest = Substring(text)
    outer: while let c = rest.first {
        for n in names where rest.hasPrefix(n) {
            markers[n] = (line, column)
            rest = rest.dropFirst(n.count)
            continue outer
        }
        clean.append(c)
        if c == "\n" { line += 1; column = 1 } else { column += 1 }
        rest = rest.dropFirst()
    }
    return (clean, markers)
}

/// Compiles plan text and returns its diagnostics.
func diagnose(_ plan: String) -> [Diagnostic] {
    Engine.compile([SourceFile(path: "p.plan", text: plan)]).1.items
}
