// The lexer and parser: tokens with their units, statements and blocks, and recovery after an error.
import Testing
@testable import Attain

@Suite struct SyntaxTests {
    func tokens(_ text: String) -> [Token.Kind] {
        var lexer = Lexer(file: SourceFile(path: "t", text: text))
        return lexer.tokenize().flatMap { $0.tokens.map(\.kind) }
    }

    @Test func numbersCarryTheirUnits() {
        let k = tokens("cap 4000.00 USD 5% 2026-02-01 \"Widget\" # a comment")
        #expect(k == [.identifier("cap"), .number(dec("4000.00")), .identifier("USD"), .percent(dec("5")),
                      .date(CivilDate(year: 2026, month: 2, day: 1)!), .string("Widget")])
    }

    @Test func symbolsAndTwoCharacterOperators() {
        #expect(tokens("a >= b != c == d") == [.identifier("a"), .symbol(">="), .identifier("b"), .symbol("!="), .identifier("c"), .symbol("="), .identifier("d")])
    }

    @Test func indentationMarksBlockLines() {
        var lexer = Lexer(file: SourceFile(path: "t", text: "measure m = sum of deal.amount\n\n  quota 5\n# note\nbonus \"B\" on m\n"))
        let lines = lexer.tokenize()
        #expect(lines.map(\.indented) == [false, true, false])
    }

    @Test func lexerErrors() {
        var lexer = Lexer(file: SourceFile(path: "t", text: "pay $250\nx = \"open\ny = 2026-13-01\n"))
        _ = lexer.tokenize()
        #expect(lexer.diagnostics.items.map(\.code) == ["E001", "E002", "E003"])
        #expect(lexer.diagnostics.items[0].notes.first?.message.contains("4000.00 USD") == true)
    }

    @Test func parsesAMeasureWithConditionAndQuota() {
        var parser = Parser(file: SourceFile(path: "t", text: header + "measure m = sum of deal.amount where deal.type in (\"new\", \"expansion\") and not deal.product = \"X\"\n  quota from assignment.logo_quota\n  weight 30%\n"))
        let ast = parser.parse()
        #expect(parser.diagnostics.items.isEmpty)
        #expect(ast.name?.value == "P")
        #expect(ast.roundingMode?.value == "half-up")
        let m = ast.measures[0]
        #expect(m.name.value == "m")
        guard case .binary(.and, let left, let right)? = m.filter?.kind else {
            Issue.record("expected `and` at the top")
            return
        }
        guard case .member(_, let items, negated: false) = left.kind, case .not = right.kind else {
            Issue.record("expected `in` then `not`")
            return
        }
        #expect(items.count == 2)
        guard case .assignment(let column)? = m.quota?.value else {
            Issue.record("expected quota from assignment")
            return
        }
        #expect(column.value == "logo_quota")
    }

    @Test func precedenceOfOperators() {
        var parser = Parser(file: SourceFile(path: "t", text: "param x = 1.00 USD + 10% of 5.00 USD * 2\n"))
        let ast = parser.parse()
        guard case .binary(.add, _, let right) = ast.params[0].value.kind, case .binary(.multiply, let inner, _) = right.kind,
              case .binary(.of, _, _) = inner.kind else {
            Issue.record("expected 1.00 USD + ((10% of 5.00 USD) * 2)")
            return
        }
    }

    @Test func recoversAtTheNextLine() {
        var parser = Parser(file: SourceFile(path: "t", text: "plan \"P\" versio \"1\"\ncurrency USD extra\n  rate 5%\nspif \"S\"\n  pay\n"))
        _ = parser.parse()
        let errors = parser.diagnostics.items
        #expect(errors.map(\.code) == ["E020", "E021", "E010", "E020"])
        #expect(errors.map { $0.span!.line } == [1, 2, 3, 5])
    }
}
