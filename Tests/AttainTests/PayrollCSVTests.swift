// The payroll export: rows per payee and earning code that reconcile with the statements, and formula injection neutralized.
import Testing
@testable import Attain

@Suite struct PayrollCSVTests {
    let quota = assignments([("A", "100000.00")])
    let capped = header + tiers + "  cap 4000.00 USD per period\n"

    /// The CSV split into records and fields, read back with the engine's own strict reader.
    func records(_ csv: String) -> [[String]] {
        let (records, errors) = CSVReader(path: "payroll.csv", bytes: Array(csv.utf8)).read()
        #expect(errors.items.isEmpty)
        return records.map(\.fields)
    }

    /// Each payee's rows summed, exactly.
    func sums(_ rows: [PayrollCSV.Row]) throws -> [String: Money] {
        var out: [String: Money] = [:]
        for r in rows { out[r.payeeID] = try (out[r.payeeID] ?? .zero(r.amount.currency)).adding(r.amount) }
        return out
    }

    @Test func capExampleReconcilesToPaid() throws {
        let s = try statements(plan: capped, deals: briefDeals, assignments: quota)
        let csv = try PayrollCSV.render(s, codes: .standard)
        #expect(csv == """
            payee_id,payee_name,period,earning_code,amount,currency
            A,Rep A,2026-Q1,ADJ,-1100.00,USD
            A,Rep A,2026-Q1,COMM,5100.00,USD

            """)
        #expect(try sums(PayrollCSV.rows(s))["A"]?.text == s[0].paid.text)
        #expect(s[0].paid.text == "4000.00")
    }

    @Test func everyPayeeReconcilesToTheCent() throws {
        let plan = header + tiers + "  cap 4000.00 USD per period\n" + """
            bonus "B" on bookings
              at 100% pay 5000.00 USD
            spif "Widget"
              where deal.product = "Widget"
              pay 250.00 USD per deal

            """
        // B: 7901.23 against a 7000.00 quota, each deal's line rounded on its own.
        let deals = briefDeals + "W1,B,2026-02-01,3333.33,USD,Widget,new\nW2,B,2026-02-02,3333.33,USD,Widget,new\nS1,B,2026-02-03,1234.57,USD,Gadget,new\n"
        let s = try statements(plan: plan, deals: deals, assignments: assignments([("A", "100000.00"), ("B", "7000.00")]))
        let rows = try PayrollCSV.rows(s)
        #expect(rows.map { "\($0.payeeID) \($0.earningCode) \($0.amount.text)" } == [
            "A ADJ -1100.00", "A BONUS 5000.00", "A COMM 5100.00",
            "B BONUS 5000.00", "B COMM 317.11", "B SPIF 500.00",
        ])
        let total = try sums(rows)
        for st in s { #expect(total[st.payeeID]?.text == st.paid.text) }
        #expect(s.map(\.paid.text) == ["9000.00", "5817.11"])
        #expect(s[1].amounts == ["66.67", "161.67", "88.77", "5000.00", "250.00", "250.00"])
    }

    @Test func kindsCanShareACodeAndPayeesWithoutLinesHaveNoRows() throws {
        let codes = try EarningCodes.parse("kind,code\nbonus,INCENT\nspif,INCENT\n", path: "codes.csv").get()
        let plan = header + tiers + "bonus \"B\" on bookings\n  at 100% pay 5000.00 USD\nspif \"S\"\n  pay 10.00 USD per deal\n"
        let s = try statements(plan: plan, deals: briefDeals, assignments: assignments([("A", "100000.00"), ("B", "100000.00")]))
        #expect(s.count == 2)
        let table = records(try PayrollCSV.render(s, codes: codes))
        #expect(table.dropFirst().map { $0[3] + " " + $0[4] } == ["COMM 5100.00", "INCENT 5030.00"])
        #expect(table.allSatisfy { $0[0] != "B" })
        #expect(s[1].paid.text == "0.00")
    }

    @Test func hostileNamesAreNeutralizedAndQuotedButAmountsStayNumbers() throws {
        let names: [(id: String, name: String, cell: String)] = [
            ("A", "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("B", "+1", "'+1"),
            ("C", "@SUM(A1)", "'@SUM(A1)"),
            ("D", "-2", "'-2"),
            ("E", "Smith, \"Jo\"", "\"Smith, \"\"Jo\"\"\""),
            ("F", "\tTab", "'\tTab"),
            ("G", "Lee", "Lee"),
        ]
        let roster = "rep_id,name,manager_id,hire_date,end_date\n" + names.map { r in
            "\(r.id),\"\(r.name.replacingOccurrences("\"", "\"\""))\",,2025-01-01,\n"
        }.joined()
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\n" + names.enumerated().map { i, r in
            "D\(i),\(r.id),2026-02-01,120000.00,USD,Gadget,new\n"
        }.joined()
        let s = try statements(plan: capped, deals: deals, assignments: assignments(names.map { ($0.id, "100000.00") }), roster: roster)
        #expect(s.map(\.payeeName) == names.map(\.name))
        let csv = try PayrollCSV.render(s, codes: .standard)
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "")
        for (i, r) in names.enumerated() {
            #expect(lines[1 + 2 * i] == "\(r.id),\(r.cell),2026-Q1,ADJ,-1100.00,USD")
            #expect(lines[2 + 2 * i] == "\(r.id),\(r.cell),2026-Q1,COMM,5100.00,USD")
        }
        // Read back strictly: the name keeps its text behind one quote; the amount is a plain number.
        let table = records(csv)
        #expect(table[1] == ["A", "'=HYPERLINK(\"x\")", "2026-Q1", "ADJ", "-1100.00", "USD"])
        #expect(table[9] == ["E", "Smith, \"Jo\"", "2026-Q1", "ADJ", "-1100.00", "USD"])
    }

    @Test(arguments: [
        ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "\"'\rx\""),
        ("\u{FF1D}1", "'\u{FF1D}1"), ("a=b", "a=b"), ("", ""), ("a\nb", "\"a\nb\""), ("x,y", "\"x,y\""), (" =1", "' =1"),
        ("  \t+1", "'  \t+1"), (" -x", "' -x"), ("\t @x", "'\t @x"), ("\u{A0}=1", "'\u{A0}=1"), (" \n=1", "\"' \n=1\""),
        ("  a", "  a"), (" ", " "), (" a=b", " a=b"),
    ])
    func cells(_ value: String, _ expected: String) {
        #expect(PayrollCSV.text(value) == expected)
    }

    @Test func hostileEarningCodesAreNeutralizedToo() throws {
        let codes = EarningCodes([.commission: "=CMD()", .adjustment: "-ADJ"])
        let s = try statements(plan: capped, deals: briefDeals, assignments: quota)
        #expect(try PayrollCSV.render(s, codes: codes) == """
            payee_id,payee_name,period,earning_code,amount,currency
            A,Rep A,2026-Q1,'-ADJ,-1100.00,USD
            A,Rep A,2026-Q1,'=CMD(),5100.00,USD

            """)
    }

    @Test func theComparisonCSVNeutralizesTextAsPayrollDoesAndKeepsNumbers() {
        #expect(ComparisonOutput.csvCell("-1100.00") == "-1100.00")
        #expect(ComparisonOutput.csvCell("+12.5%") == "'+12.5%")
        #expect(ComparisonOutput.csvCell("=cmd") == "'=cmd")
        #expect(ComparisonOutput.csvCell("  =HYPERLINK(\"x\")") == "\"'  =HYPERLINK(\"\"x\"\")\"")
        #expect(ComparisonOutput.csvCell("\u{FF1D}1") == "'\u{FF1D}1")
        #expect(ComparisonOutput.csvCell("Lee, Ann") == "\"Lee, Ann\"")
        #expect(ComparisonOutput.csvCell(" Lee") == " Lee")
    }

    @Test func cellsWithBlanksBeforeAFormulaAreNeutralizedInTheExport() {
        let usd = Currency(code: "USD")!
        let rows = [
            PayrollCSV.Row(payeeID: " =A", payeeName: "  =HYPERLINK(\"x\")", period: "2026-Q1", earningCode: "\t+C", amount: Money(ExactDecimal(coefficient: 150, scale: 2), usd)),
            PayrollCSV.Row(payeeID: "B", payeeName: " Lee", period: "2026-Q1", earningCode: "COMM", amount: Money(ExactDecimal(coefficient: -5, scale: 2), usd)),
        ]
        #expect(PayrollCSV.render(rows: rows) == """
            payee_id,payee_name,period,earning_code,amount,currency
            ' =A,"'  =HYPERLINK(""x"")",2026-Q1,'\t+C,1.50,USD
            B, Lee,2026-Q1,COMM,-0.05,USD

            """)
    }

    @Test func noStatementsIsJustTheHeader() throws {
        #expect(try PayrollCSV.render([], codes: .standard) == "payee_id,payee_name,period,earning_code,amount,currency\n")
    }
}

@Suite struct EarningCodesTests {
    @Test func defaults() {
        let c = EarningCodes.standard
        #expect([c[.commission], c[.bonus], c[.spif], c[.adjustment]] == ["COMM", "BONUS", "SPIF", "ADJ"])
    }

    @Test func parseOverridesSomeKindsAndKeepsTheRest() throws {
        let c = try EarningCodes.parse("kind,code\r\ncommission,E100\r\nadjustment, E900 \r\n", path: "codes.csv").get()
        #expect([c[.commission], c[.bonus], c[.spif], c[.adjustment]] == ["E100", "BONUS", "SPIF", "E900"])
    }

    @Test func unknownKindPointsAtTheCell() {
        let m = marked("kind,code\ncommission,C\n1️⃣comision,X\nbonus,2️⃣\nspif,S\n3️⃣spif,S2\n")
        guard case .failure(let d) = EarningCodes.parse(m.text, path: "codes.csv") else {
            Issue.record("expected errors")
            return
        }
        #expect(d.items.map(\.code) == ["D250", "D252", "D251"])
        let unknown = d.items[0]
        #expect(unknown.message == "unknown line kind `comision`")
        #expect(unknown.span?.path == "codes.csv")
        func at(_ span: SourceSpan?) -> String { span.map { "\($0.line):\($0.column)" } ?? "none" }
        func marker(_ name: String) -> String { "\(m.markers[name]!.line):\(m.markers[name]!.column)" }
        #expect(at(unknown.span) == marker("1️⃣"))
        #expect(unknown.span?.width == 8)
        #expect(unknown.notes.first?.message == "did you mean `commission`?")
        #expect(at(d.items[1].span) == marker("2️⃣"))
        #expect(at(d.items[2].span) == marker("3️⃣"))
        #expect(DiagnosticRenderer.render(Diagnostics([unknown])).hasPrefix("codes.csv:3:1: error[D250]: unknown line kind `comision`"))
    }

    @Test func missingColumnAndEmptyFile() {
        guard case .failure(let d) = EarningCodes.parse("kind,cod\ncommission,C\n", path: "codes.csv") else {
            Issue.record("expected an error")
            return
        }
        #expect(d.items.map(\.code) == ["D204"])
        #expect(d.items[0].message == "missing column `code`")
        guard case .failure(let e) = EarningCodes.parse("", path: "codes.csv") else {
            Issue.record("expected an error")
            return
        }
        #expect(e.items.map(\.code) == ["D202"])
    }
}
