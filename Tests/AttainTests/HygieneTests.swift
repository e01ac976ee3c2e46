// Messages and output hygiene: plan lines that are not UTF-8, no echo after a failed definition, invisible characters
// escaped, characters XML cannot carry refused at input, duplicate JSON keys, and one table of exit codes.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

/// A noncharacter, which a string literal may not spell.
func nonchar(_ value: UInt32) -> String { String(Unicode.Scalar(value)!) }

@Suite struct HygieneTests {
    let measure = "measure bookings = sum of deal.amount\n  quota from assignment\n"

    // MARK: plan text that is not UTF-8

    @Test func aPlanLineThatIsNotUTF8IsReportedWithItsPosition() {
        var bytes = Array((header + measure + "commission \"Comm").utf8)
        bytes += [0xC3, 0x28]  // a two-byte sequence cut short
        bytes += Array("ission\" on bookings\n  rate 5%\n# caf".utf8) + [0xE9] + Array("\n".utf8)
        let file = SourceFile(path: "p.plan", bytes: bytes)
        #expect(file.invalidUTF8 == [SourceLocation(line: 8, column: 17), SourceLocation(line: 10, column: 6)])
        let (_, diagnostics) = Engine.compile([file])
        #expect(diagnostics.errors.filter { $0.code == "E007" }.map(DiagnosticRenderer.plain) == [
            "p.plan:8:17: error[E007]: this line is not valid UTF-8; save the file as UTF-8",
            "p.plan:10:6: error[E007]: this line is not valid UTF-8; save the file as UTF-8",
        ])
        // The bad bytes are not also unexpected characters.
        #expect(!diagnostics.errors.contains { $0.code == "E001" })
    }

    @Test func validUTF8MakesTheSameFileAsText() {
        let text = header + "# café\n"
        let file = SourceFile(path: "p.plan", bytes: Array(text.utf8))
        #expect(file.text == text)
        #expect(file.invalidUTF8.isEmpty)
    }

    // MARK: a failed definition says nothing more where it is used

    @Test func aFailedParameterIsNotThenAnUnknownName() {
        let plan = header + "param base = 5% + 1000.00 USD\nparam doubled = base * 2\n" + measure
            + "commission \"C\" on bookings\n  rate doubled\nbonus \"B\" on bookings\n  at 100% pay base of target_incentive\n"
        let errors = diagnose(plan).filter { $0.severity == .error }
        #expect(errors.map(\.code) == ["E168"], "\(errors.map(DiagnosticRenderer.plain))")
        #expect(errors.first?.span?.line == 6)
    }

    @Test func anUndefinedNameIsStillUnknown() {
        let errors = diagnose(header + "param base = 5%\n" + measure + "commission \"C\" on bookings\n  rate bsae\n").filter { $0.severity == .error }
        #expect(errors.map(\.code) == ["E177"])
        #expect(errors.first?.message == "unknown name `bsae`")
    }

    // MARK: invisible characters shown escaped

    @Test func invisibleCharactersAreEscaped() {
        #expect(Diagnostics.visible("a\u{200B}b\u{A0}c\u{0}d\n\r\t\u{7F}\u{85}\u{202E}\u{2066}\u{FEFF}\(nonchar(0xFFFE))\u{E0041}\u{2028}\u{3164}")
            == "a\\u{200B}b\\u{00A0}c\\u{0000}d\\u{000A}\\u{000D}\\u{0009}\\u{007F}\\u{0085}\\u{202E}\\u{2066}\\u{FEFF}\\u{FFFE}\\u{E0041}\\u{2028}\\u{3164}")
        #expect(Diagnostics.visible("Zoë Ångström 東京 ❤️ a b") == "Zoë Ångström 東京 ❤️ a b")
    }

    @Test func aJoinerInsideAWordStaysAndAnywhereElseIsEscaped() {
        // Persian writes a zero-width non-joiner inside words; an emoji sequence is held together by a joiner.
        #expect(Diagnostics.visible("می\u{200C}خواهم") == "می\u{200C}خواهم")
        #expect(Diagnostics.visible("👩\u{200D}💻") == "👩\u{200D}💻")
        #expect(Diagnostics.visible("r1\u{200C}") == "r1\\u{200C}")
        #expect(Diagnostics.visible("\u{200D}r1") == "\\u{200D}r1")
        #expect(Diagnostics.visible("a\u{200C} b") == "a\\u{200C} b")
        #expect(Diagnostics.visible("1\u{200D}2") == "1\\u{200D}2")
        #expect(Diagnostics.visible("a\u{200B}b") == "a\\u{200B}b")
    }

    @Test func aZeroWidthSpaceInAPlanIsShownEscapedWithTheCaretUnderIt() {
        let plan = header + measure + "commission \"C\" on bookings\n  rate\u{200B} 5%\n"
        let (_, diagnostics) = Engine.compile([SourceFile(path: "p.plan", text: plan)])
        let first = diagnostics.errors.first!
        #expect(first.code == "E001")
        let text = DiagnosticRenderer.render(first)
        #expect(text == """
            p.plan:9:7: error[E001]: unexpected character `\\u{200B}`
              |
            9 |   rate\\u{200B} 5%
              |       ^~~~~~~~

            """)
        #expect(!text.unicodeScalars.contains("\u{200B}"))
    }

    @Test func namesWithLineBreaksStayOnTheirRowInATerminalTable() {
        let table = TextTable.render([["payee", "paid"], ["A\r\nB", "1.00"], ["C\u{1B}[2J", "20.00"]], numeric: [1])
        #expect(table == """
            payee                paid
            A\\u{000D}\\u{000A}B   1.00
            C\\u{001B}[2J        20.00

            """)
    }

    @Test func aRosterNameWithALineBreakIsEscapedInItsMessage() {
        let d = Diagnostic.error("D299", "unknown rep `A\nB\u{0}`", at: SourceSpan(path: "roster.csv", line: 2, column: 1, width: 3, lineText: "A\u{0}B,x"))
        #expect(DiagnosticRenderer.render(d) == """
            roster.csv:2:1: error[D299]: unknown rep `A\\u{000A}B\\u{0000}`
              |
            2 | A\\u{0000}B,x
              | ^~~~~~~~~~

            """)
    }

    // MARK: characters XML cannot carry, refused at input

    @Test(arguments: [0xFFFE, 0xFFFF, 0xFDD0, 0x1FFFF] as [UInt32])
    func aNoncharacterInACSVFieldIsRefusedWithItsPosition(_ value: UInt32) {
        let bad = nonchar(value)
        let csv = "rep_id,name\nA,Rep A\nB,Zo\(bad)ë\n"
        let (records, diagnostics) = CSVReader(path: "roster.csv", bytes: Array(csv.utf8)).read()
        #expect(records.map { $0.fields[0] } == ["rep_id", "A"])
        let code = String(bad.unicodeScalars.first!.value, radix: 16, uppercase: true)
        #expect(diagnostics.items.map(DiagnosticRenderer.plain) == ["roster.csv:3:3: error[D207]: a noncharacter (U+\(code)) is not allowed in a field: XML cannot carry it"])
    }

    @Test func aControlCharacterInACSVFieldIsStillD209() {
        let (_, diagnostics) = CSVReader(path: "r.csv", bytes: Array("a,b\nx,y\u{1}\n".utf8)).read()
        #expect(diagnostics.items.map(DiagnosticRenderer.plain) == ["r.csv:2:3: error[D209]: a control character (U+0001) is not allowed in a field"])
    }

    @Test func aNoncharacterOrControlInAPlanTextIsRefusedWithItsPosition() {
        let plan = header.replacingOccurrences(of: "plan \"P\"", with: "plan \"P\(nonchar(0xFFFF))\"") + measure + "commission \"C\u{1}\" on bookings\n  rate 5%\n"
        let (_, diagnostics) = Engine.compile([SourceFile(path: "p.plan", text: plan)])
        #expect(diagnostics.errors.map(DiagnosticRenderer.plain) == [
            "p.plan:1:8: error[E008]: U+FFFF is not allowed in a text: it is a noncharacter, and XML cannot carry it",
            "p.plan:8:14: error[E008]: U+0001 is not allowed in a text: it is a control character, and XML cannot carry it",
        ])
    }

    @Test func aSetValueWithANoncharacterIsABadCommandLine() throws {
        let dir = try scratchCopy(of: "brief-03-cap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = try String(contentsOfFile: dir + "/plan.plan", encoding: .utf8)
        try (plan + "param region_name = \"EMEA\"\n").write(toFile: dir + "/plan.plan", atomically: true, encoding: .utf8)
        let ok = Commands.check(plans: ["plan.plan"], set: ["region_name=\"West\""], reader: InputReader(root: dir))
        #expect(ok.exitCode == ExitCode.ok, "\(ok.stderr)")
        let bad = Commands.check(plans: ["plan.plan"], set: ["region_name=\"We\(nonchar(0xFFFE))st\""], reader: InputReader(root: dir))
        #expect(bad.exitCode == ExitCode.usage)
        #expect(bad.stderr.hasPrefix("--set region_name:1:4: error[E008]: U+FFFE is not allowed in a text"), "\(bad.stderr)")
        let unknown = Commands.check(plans: ["plan.plan"], set: ["regoin_name=\"West\""], reader: InputReader(root: dir))
        #expect(unknown.exitCode == ExitCode.usage)
        #expect(unknown.stderr.hasPrefix("error[E115]: no plan has a parameter `regoin_name` to set"), "\(unknown.stderr)")
    }

    @Test func aRosterNameWithANoncharacterWritesNothingAndExits1() throws {
        let dir = try scratchCopy(of: "brief-03-cap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "rep_id,name,manager_id,hire_date,end_date\nA,Rep \(nonchar(0xFFFE))A,,2025-01-01,\n".write(toFile: dir + "/roster.csv", atomically: true, encoding: .utf8)
        let ran = try attain(["run", "plan.plan", "--data", ".", "--period", "2026-Q1", "--out", "out"], in: dir)
        let (code, stderr) = (ran.status, ran.stderr)
        #expect(code == 1)
        #expect(stderr.hasPrefix("roster.csv:2:3: error[D207]: a noncharacter (U+FFFE) is not allowed in a field: XML cannot carry it\n"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    // MARK: duplicate keys in a statement JSON

    @Test func aDuplicatedKeyIsFoundWithItsPosition() {
        let text = "{\n  \"a\": {\"x\": 1, \"y\": [{\"x\": 2}, {\"x\": 3}]},\n  \"b\": \"x\",\n  \"\\u0061\": 2\n}\n"
        let d = JSONSchemaValidator.duplicateKey(in: text)
        #expect(d?.key == "a")
        #expect(d.map { [$0.line, $0.column, $0.first.line, $0.first.column] } == [4, 3, 2, 3])
        #expect(JSONSchemaValidator.duplicateKey(in: "{\"a\": \"{\\\"a\\\": 1}\", \"b\": {\"a\": 1}}") == nil)
    }

    @Test func validateRefusesAStatementWithADuplicatedKey() throws {
        let dir = try scratchCopy(of: "brief-03-cap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        let run = Commands.run(plans: ["plan.plan"], data: ".", period: "2026-Q1", set: [], formats: [.json], reader: reader)
        let json = try #require(run.files.first { $0.path.hasSuffix("A.json") }).text
        try json.write(toFile: dir + "/A.json", atomically: true, encoding: .utf8)
        #expect(Commands.validate(files: ["A.json"], reader: reader).exitCode == ExitCode.ok)
        // The same key again, right after the first one: JSONSerialization would keep one and the schema pass.
        let lines = json.split(separator: "\n", omittingEmptySubsequences: false)
        let i = try #require(lines.firstIndex { $0.hasPrefix("  \"currency\"") })
        var doubled = lines
        doubled.insert(lines[i], at: i + 1)
        try doubled.joined(separator: "\n").write(toFile: dir + "/B.json", atomically: true, encoding: .utf8)
        let outcome = Commands.validate(files: ["B.json"], reader: reader)
        #expect(outcome.exitCode == ExitCode.invalidInput)
        #expect(outcome.stderr == "B.json:\(i + 2):3: duplicate key `currency` (first at line \(i + 1), column 3); a JSON reader keeps only one of them\n")
    }

    // MARK: one table of exit codes, through the binary

    @Test func everyCommandExitsWithTheDocumentedCode() throws {
        let dir = try scratchCopy(of: "brief-03-cap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        // bad/: the same case with a deal amount that is not a number; a plan with a syntax error; a plan that is not
        // UTF-8; opening balances with a bad amount; a statement with a duplicated key; a golden case whose expected
        // exit code is wrong.
        try fm.createDirectory(atPath: dir + "/bad", withIntermediateDirectories: true)
        for name in ["plan.plan", "roster.csv", "assignments.csv"] { try fm.copyItem(atPath: dir + "/" + name, toPath: dir + "/bad/" + name) }
        try "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,30x00.00,USD,Gadget,new\n"
            .write(toFile: dir + "/bad/deals.csv", atomically: true, encoding: .utf8)
        try "plan \"P\" version \"1\"\neffective 2026-01-01 to 2026-12-31\ncurrency USD\nperiod quarter\nrounding half-up to 0.01\nmeasure m = sum of\n"
            .write(toFile: dir + "/syntax.plan", atomically: true, encoding: .utf8)
        try Data([0x70, 0x6C, 0x61, 0x6E, 0x20, 0x22, 0xFF, 0x22, 0x0A]).write(to: URL(fileURLWithPath: dir + "/latin1.plan"))
        try "payee_id,kind,plan,component,period,amount,currency\nA,paid,Capped,Commission,2025-Q4,12.345,USD\n"
            .write(toFile: dir + "/openings.csv", atomically: true, encoding: .utf8)
        try "{\"a\": 1, \"a\": 2}\n".write(toFile: dir + "/dup.json", atomically: true, encoding: .utf8)
        // targets: a good targets.csv beside the case's roster, and a bad one in bad/.
        try "rep_id,measure,year,target\nA,bookings,2026,400000.00\n".write(toFile: dir + "/targets.csv", atomically: true, encoding: .utf8)
        try "rep_id,measure,year,target\nA,bookings,2026,-1\n".write(toFile: dir + "/bad/targets.csv", atomically: true, encoding: .utf8)
        try fm.createDirectory(atPath: dir + "/case", withIntermediateDirectories: true)
        for name in ["plan.plan", "roster.csv", "assignments.csv", "deals.csv"] { try fm.copyItem(atPath: dir + "/" + name, toPath: dir + "/case/" + name) }
        try "command: run\nperiod: 2026-Q1\n".write(toFile: dir + "/case/case.conf", atomically: true, encoding: .utf8)
        try fm.createDirectory(atPath: dir + "/case/expected", withIntermediateDirectories: true)
        try "5\n".write(toFile: dir + "/case/expected/exit-code", atomically: true, encoding: .utf8)

        let plan = ["plan.plan"], run = ["--data", "."], q1 = ["--period", "2026-Q1"], bad = ["--period", "2026-Q5"]
        let est = ["--payee", "A", "--deal", "amount=1000,product=Gadget"]
        let cases: [(args: [String], code: Int32)] = [
            // A bad command line value: 64.
            (["run"] + plan + run + bad, 64),
            (["run"] + plan + run + q1 + ["--format", "pdf"], 64),
            (["run"] + plan + run + q1 + ["--set", "nothing"], 64),
            (["run"] + plan + run + q1 + ["--set", "nosuch=1"], 64),
            (["close"] + plan + run + bad + ["--ledger", "l.db"], 64),
            (["close"] + plan + run + q1 + ["--ledger", "l.db", "--format", "pdf"], 64),
            (["reopen"] + bad + ["--reason", "x", "--ledger", "l.db"], 64),
            (["reopen"] + q1 + ["--reason", " ", "--ledger", "l.db"], 64),
            (["compare"] + plan + run + bad, 64),
            (["compare"] + plan + run + q1 + ["--what-if", "w=nosuch=1"], 64),
            (["compare"] + plan + run + q1 + ["--scale", "0"], 64),
            (["estimate"] + plan + run + bad + est, 64),
            (["check"] + plan + ["--set", "nosuch=1"], 64),
            (["explain"] + plan + ["--set", "nothing"], 64),
            (["history", "--no-such-flag"], 64),
            (["validate"], 64),
            (["targets"] + run + ["--year", "FY27"], 64),
            (["targets"] + run, 64),
            // The command line comes first: a bad period with a missing folder too.
            (["run"] + plan + ["--data", "nowhere"] + bad, 64),
            // A missing input file or folder: 2.
            (["run"] + plan + ["--data", "nowhere"] + q1, 2),
            (["run", "missing.plan"] + run + q1, 2),
            (["close"] + plan + ["--data", "nowhere"] + q1 + ["--ledger", "l.db"], 2),
            (["history", "--ledger", "missing.db"], 2),
            (["reopen"] + q1 + ["--reason", "x", "--ledger", "missing.db"], 2),
            (["ledger", "import", "missing.csv", "--ledger", "l.db"], 2),
            (["compare"] + plan + ["--data", "nowhere"] + q1, 2),
            (["estimate"] + plan + ["--data", "nowhere"] + q1 + est, 2),
            (["estimate"] + plan + run + q1 + est + ["--ledger", "missing.db"], 2),
            (["check", "missing.plan"], 2),
            (["explain", "missing.plan"], 2),
            (["validate", "missing.json"], 2),
            (["test", "nowhere"], 2),
            (["targets", "--data", "nowhere", "--year", "2026"], 2),
            (["targets"] + run + ["--year", "2026", "--share-from", "missing.csv"], 2),
            // Errors in plans or data: 1.
            (["run"] + plan + ["--data", "bad"] + q1, 1),
            (["run", "latin1.plan"] + run + q1, 1),
            (["close"] + plan + ["--data", "bad"] + q1 + ["--ledger", "l.db"], 1),
            (["ledger", "import", "openings.csv", "--ledger", "l.db"], 1),
            (["compare"] + plan + ["--data", "bad"] + q1, 1),
            (["estimate"] + plan + ["--data", "bad"] + q1 + est, 1),
            (["check", "syntax.plan"], 1),
            (["check", "latin1.plan"], 1),
            (["explain", "syntax.plan"], 1),
            (["validate", "dup.json"], 1),
            (["targets", "--data", "bad", "--year", "2026"], 1),
            // A golden case that fails: 3.
            (["test", "case"], 3),
            // And all is well: 0.
            (["run"] + plan + run + q1 + ["--out", "out"], 0),
            (["check"] + plan, 0),
            (["targets"] + run + ["--year", "2026", "--out", "out/targets.csv"], 0),
            (["test", "case", "--update"], 0),
            (["test", "case"], 0),
        ]
        for c in cases {
            let ran = try attain(c.args, in: dir)
            let (code, stderr) = (ran.status, ran.stderr)
            #expect(code == c.code, "attain \(c.args.joined(separator: " ")): \(stderr)")
        }
        // A bad period is said the same way everywhere.
        for args in [["run"] + plan + run + bad, ["close"] + plan + run + bad, ["reopen"] + bad + ["--reason", "x"], ["compare"] + plan + run + bad] {
            let stderr = try attain(args, in: dir).stderr
            #expect(stderr == "error: expected a period such as 2026-01, 2026-Q1, 2026-H1, 2026 or 2026-01-S1; found `2026-Q5`\n", "\(args[0])")
        }
    }
}
