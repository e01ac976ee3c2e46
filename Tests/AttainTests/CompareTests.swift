// What-if comparison: the input is read once however many plan sets, the report's SVG charts are well-formed and hold
// the expected series, and the numbers agree with paid statements.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool
@testable import AttainXML

@Suite struct CompareTests {
    func compareSample(_ log: ReadLog) -> CommandOutcome {
        Commands.compare(plans: ["plans"], data: "sample", periods: ["2026-Q1"],
                         candidates: ["retroactive=plans/candidates/ae-retroactive.plan"], whatIfs: ["accelerator-12=accelerator=12%"],
                         scale: "0.9,1.0,1.1", lossThreshold: "10%", reader: InputReader(root: repositoryRoot, log: log))
    }

    @Test func threePlanSetsReadTheInputOnce() throws {
        let log = ReadLog()
        let o = compareSample(log)
        #expect(o.exitCode == 0, "\(o.stderr)")
        for name in ["deals.csv", "roster.csv", "assignments.csv"] {
            #expect(log.count("sample/\(name)") == 1, "sample/\(name) read \(log.count("sample/\(name)")) times")
        }
        #expect(log.count("plans/ae.plan") == 1)
        #expect(o.stdout.contains("3 plan sets over 2026-Q1: 36 payees"))
        #expect(o.stdout.contains("input read once"))
        let json = try #require(o.files.first { $0.path == "compare/comparison.json" }?.text)
        #expect(json.contains("\"input_loads\": 1"))
    }

    @Test func theBaselineCostsWhatTheStatementsPay() throws {
        let o = compareSample(ReadLog())
        let summary = try #require(o.files.first { $0.path == "compare/summary.csv" }?.text)
        // The same plans, data and period as `attain run` on the sample: 394898.01 USD in 36 statements.
        #expect(summary.split(separator: "\n")[1].hasPrefix("baseline,394898.01,"))
        let run = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: InputReader(root: repositoryRoot))
        #expect(run.stdout == "2026-Q1: 36 statements; paid 394898.01 USD\n")
        // Each payee's baseline pay is their statement's paid total.
        let payees = try #require(o.files.first { $0.path == "compare/payees.csv" }?.text).split(separator: "\n").dropFirst()
        var statements: [String: String] = [:]
        for f in run.files where f.path.hasSuffix(".json") && f.path.contains("/statements/") {
            let id = ((f.path as NSString).lastPathComponent as NSString).deletingPathExtension
            let paid = f.text.components(separatedBy: "\"paid\": \"").last?.prefix { $0 != "\"" } ?? ""
            statements[id] = String(paid)
        }
        #expect(payees.count == 36)
        for row in payees {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(statements[cells[0]] == cells[5], "\(cells[0])")
        }
    }

    @Test func theReportsChartsAreWellFormedSVGWithEverySeries() throws {
        let o = compareSample(ReadLog())
        let html = try #require(o.files.first { $0.path == "compare/report.html" }?.text)
        var svgs: [String] = []
        var rest = Substring(html)
        while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            svgs.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        // The cost per plan, three payout curves (AE, renewals, SDR), two distributions, two delta charts, one
        // sensitivity chart.
        #expect(svgs.count == 9)
        let scenarios = ["baseline", "retroactive", "accelerator-12"]
        for svg in svgs {
            let classes = try XMLReader.attributeValues(in: svg, element: "svg", attribute: "class")
            let series = try XMLReader.attributeValues(in: svg, element: "polyline", attribute: "data-scenario")
            if classes == ["chart curve"] {
                #expect(series == scenarios)
                #expect(try XMLReader.attributeValues(in: svg, element: "text", attribute: "class").contains("axis"))
            }
            if classes == ["chart delta"] {
                // A bar for each payee whose pay changes; those paid the same are counted on one line.
                let scenario = try XMLReader.attributeValues(in: svg, element: "svg", attribute: "data-scenario")[0]
                let table = o.files.first { $0.path == "compare/payees.csv" }!.text.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
                let column = try #require(table[0].firstIndex(of: "change_\(scenario)"))
                let changed = table.dropFirst().filter { $0[column] != "+0.00" }.count
                #expect(changed > 0 && changed < 36)
                #expect(try XMLReader.attributeValues(in: svg, element: "rect", attribute: "data-payee").count == changed)
            }
            if classes == ["chart sensitivity"] {
                // One bar per plan set at each of the three scales.
                #expect(try XMLReader.attributeValues(in: svg, element: "rect", attribute: "data-scenario") == Array(repeating: scenarios, count: 3).flatMap { $0 })
            }
        }
        let curvePlans = svgs.compactMap { try? XMLReader.attributeValues(in: $0, element: "svg", attribute: "data-plan").first }
        #expect(curvePlans == ["AE-2026", "Renewals-2026", "SDR-2026"])
    }

    @Test func badScenarioArgumentsAreUsageErrors() {
        let reader = InputReader(root: repositoryRoot)
        func run(candidates: [String] = [], whatIfs: [String] = [], scale: String? = nil, threshold: String = "10%") -> CommandOutcome {
            Commands.compare(plans: ["plans"], data: "sample", periods: ["2026-Q1"], candidates: candidates, whatIfs: whatIfs, scale: scale,
                             lossThreshold: threshold, reader: reader)
        }
        #expect(run(candidates: ["nameonly"]).exitCode == ExitCode.usage)
        #expect(run(candidates: ["x=golden/brief-01-marginal-tiers/plan.plan"]).stderr.contains("does not declare a plan named like one of the baseline's"))
        #expect(run(whatIfs: ["a=accelerator"]).exitCode == ExitCode.usage)
        #expect(run(scale: "0.9,zero").exitCode == ExitCode.usage)
        #expect(run(threshold: "ten").exitCode == ExitCode.usage)
        let unknown = run(whatIfs: ["a=no_such_param=1%"])
        // A value the plans refuse is a bad command line value, as a bad `--set` is.
        #expect(unknown.exitCode == ExitCode.usage)
        #expect(unknown.stderr.contains("no plan has a parameter `no_such_param` to set"))
    }

    @Test func estimateRejectsWhatItCannotPlace() {
        let reader = InputReader(root: repositoryRoot + "/golden/estimate-extra-deals")
        func run(_ deals: [String], payee: String = "C") -> CommandOutcome {
            Commands.estimate(plans: ["plan.plan"], data: ".", period: "2026-Q1", payee: payee, deals: deals, set: [], reader: reader)
        }
        #expect(run(["product=Widget"]).stderr.contains("needs amount=<number>"))
        #expect(run(["amount=100,close_date=2026-04-01"]).stderr.contains("close_date must be a date in 2026-Q1"))
        #expect(run(["amount=100,colour=red"]).stderr.contains("`colour` is not a column a new deal can set"))
        #expect(run(["amount=100"], payee: "Z").stderr.contains("`Z` has no statement in 2026-Q1"))
        #expect(run(["amount=100"]).exitCode == 0)
    }
}
