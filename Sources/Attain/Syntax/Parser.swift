// Recursive-descent parser: lines of tokens → PlanAST. One statement per line; indented lines belong to the block above.

/// Parses a plan file. Every line with an error is reported; parsing goes on at the next line.
public struct Parser {
    let file: SourceFile
    public private(set) var diagnostics = Diagnostics()

    public init(file: SourceFile) {
        self.file = file
    }

    /// Words that cannot name a parameter, measure or field.
    public static let reservedWords: Set<String> = [
        "and", "or", "not", "in", "of", "per", "true", "false", "deal", "deals", "activity", "activities", "assignment",
        "attainment", "total", "total_attainment", "target_incentive", "quota",
    ]

    static let topLevelWords = ["plan", "effective", "currency", "period", "fiscal", "rounding", "fx", "clawback", "true-up", "field", "param", "measure",
                                "commission", "bonus", "spif", "override", "draw", "share", "show"]

    struct ParseError: Error {}

    enum Block {
        case none
        case measure(Int)
        case component(Int)
        /// The block's first line did not lex; its indented lines are skipped quietly.
        case skipped
    }

    public mutating func parse() -> PlanAST {
        var lexer = Lexer(file: file)
        let lines = lexer.tokenize()
        diagnostics.append(contentsOf: lexer.diagnostics)
        var ast = PlanAST()
        var block = Block.none
        var headerLines: [String: Token] = [:]
        for line in lines {
            var cursor = Cursor(line: line, file: file)
            if line.hasLexError {
                // Already reported; parsing the rest of the line would only add echoes.
                if line.indented, case .component(let i) = block { ast.components[i].hasSyntaxErrors = true }
                if line.indented, case .measure(let i) = block { ast.measures[i].hasSyntaxErrors = true }
                if !line.indented { block = .skipped }
                continue
            }
            do {
                if line.indented {
                    switch block {
                    case .skipped:
                        continue
                    case .none:
                        throw cursor.fail("E010", "this indented line does not belong to a `measure`, `commission`, `bonus` or `spif` above it",
                                          notes: [.help("remove the indentation, or move the line under the block it belongs to")])
                    case .measure(let i):
                        try parseMeasureClause(&cursor, into: &ast.measures[i])
                    case .component(let i):
                        let clause = try parseComponentClause(&cursor, kind: ast.components[i].kind)
                        ast.components[i].clauses.append(clause)
                    }
                    try cursor.expectEnd()
                    continue
                }
                block = .none
                let head = cursor.peek!
                guard case .identifier(let word) = head.kind else {
                    throw cursor.fail("E011", "expected a statement such as `plan`, `measure` or `commission`, found \(head.display)")
                }
                cursor.advance()
                if ["plan", "effective", "currency", "period", "fiscal", "rounding", "fx", "clawback", "true"].contains(word) {
                    if let first = headerLines[word] {
                        throw cursor.repeatedLine(head, "E015", word == "true" ? "true-up" : word, first: (first.start, first.end))
                    }
                    headerLines[word] = head
                }
                switch word {
                case "plan":
                    ast.name = try cursor.expectString("the plan's name")
                    try cursor.expectWord("version")
                    ast.version = try cursor.expectStringOrNumber("the plan's version")
                case "effective":
                    ast.effectiveStart = head.start
                    ast.effectiveFrom = try cursor.expression()
                    try cursor.expectWord("to")
                    ast.effectiveTo = try cursor.expression()
                case "currency":
                    ast.currency = try cursor.expectIdentifier("a currency code such as `USD`")
                case "period":
                    ast.period = try cursor.expectHyphenated("`month`, `quarter`, `half`, `year`, `semi-monthly` or `biweekly from …`")
                    if cursor.acceptWord("from") { ast.periodAnchor = try cursor.expression() }
                case "fiscal":
                    // `fiscal year starts 2026-04-01`.
                    ast.fiscalStartAt = head.start
                    try cursor.expectWord("year")
                    try cursor.expectWord("starts")
                    ast.fiscalStart = try cursor.expression()
                case "rounding":
                    ast.roundingMode = try cursor.expectHyphenated("a rounding mode: `half-up`, `half-even`, `down` or `up`")
                    try cursor.expectWord("to")
                    ast.roundingPrecision = try cursor.expectNumber("a precision such as `0.01`")
                case "fx":
                    try cursor.expectWord("at")
                    let first = try cursor.expectIdentifier("`close date` or `period start`")
                    let second = try cursor.expectIdentifier("`close date` or `period start`")
                    ast.fxDate = Located(value: first.value + " " + second.value, start: first.start, end: second.end)
                case "clawback":
                    try cursor.expectWord("within")
                    let days = try cursor.expectNumber("a number of days")
                    if !cursor.acceptWord("days") { try cursor.expectWord("day") }
                    ast.clawbackDays = Located(value: days.value, start: head.start, end: cursor.previousEnd)
                case "true":
                    // `true-up year to date`: the hyphen makes `true`, `-`, `up`.
                    cursor.index -= 1
                    let word = try cursor.expectHyphenated("`true-up`")
                    guard word.value == "true-up" else { throw cursor.failAt(head, "E011", "expected `true-up year to date`") }
                    try cursor.expectWord("year")
                    try cursor.expectWord("to")
                    try cursor.expectWord("date")
                    ast.yearToDate = Located(value: "year to date", start: head.start, end: cursor.previousEnd)
                case "credit":
                    try Parser.parseCredit(&cursor, head: head, into: &ast)
                case "share":
                    try Parser.parseShare(&cursor, head: head, into: &ast)
                case "show":
                    try Parser.parseShow(&cursor, head: head, into: &ast)
                case "field":
                    var name = try cursor.expectIdentifier("a column name")
                    var activity = false
                    if name.value == "activity", cursor.acceptSymbol(".") {
                        name = try cursor.expectIdentifier("a column name of activities.csv after `activity.`")
                        activity = true
                    }
                    var type: Located<String>?
                    if cursor.acceptSymbol(":") {
                        type = try cursor.expectIdentifier("a type: `text`, `money`, `percent`, `number` or `date`")
                    }
                    var decl = FieldDecl(name: name, type: type, start: head.start)
                    decl.activity = activity
                    ast.fields.append(decl)
                case "param":
                    let name = try cursor.expectIdentifier("a parameter name")
                    try cursor.expectSymbol("=")
                    ast.params.append(ParamDecl(name: name, value: try cursor.expression(), start: head.start))
                case "measure":
                    ast.measures.append(try parseMeasure(&cursor, start: head.start))
                    block = .measure(ast.measures.count - 1)
                case "commission", "bonus", "spif", "override", "draw":
                    ast.components.append(try parseComponent(&cursor, kind: ComponentDecl.Kind(rawValue: word)!, start: head.start))
                    block = .component(ast.components.count - 1)
                default:
                    throw cursor.failAt(head, "E011", "unknown statement `\(word)`",
                                        notes: Suggestion.help(for: word, in: Parser.topLevelWords))
                }
                try cursor.expectEnd()
            } catch {
                if let d = cursor.failure { diagnostics.append(d) }
                if !line.indented, case .identifier(let w)? = line.tokens.first?.kind { ast.brokenHeaderLines.insert(w) }
                if line.indented, case .component(let i) = block { ast.components[i].hasSyntaxErrors = true }
                if line.indented, case .measure(let i) = block { ast.measures[i].hasSyntaxErrors = true }
            }
        }
        return ast
    }

    func parseMeasure(_ c: inout Cursor, start: Int) throws -> MeasureDecl {
        let name = try c.expectIdentifier("a measure name")
        try c.expectSymbol("=")
        let aggregate: MeasureDecl.Aggregate
        var activities = false
        if c.acceptWord("sum") {
            try c.expectWord("of")
            aggregate = .sum(try c.expression())
        } else if c.acceptWord("count") {
            try c.expectWord("of")
            activities = c.acceptWord("activities")
            if !activities { try c.expectWord("deals") }
            aggregate = .count
        } else {
            throw c.fail("E012", "expected `sum of …`, `count of deals` or `count of activities`")
        }
        var reports: Located<String>?
        if c.acceptWord("for") {
            reports = try c.expectIdentifier("`direct` or `all`")
            try c.expectWord("reports")
        }
        var filter: Expr?
        if c.acceptWord("where") { filter = try c.expression() }
        var measure = MeasureDecl(name: name, aggregate: aggregate, reports: reports, filter: filter, quota: nil, weight: nil, start: start, end: c.lineEnd)
        measure.ofActivities = activities
        return measure
    }

    func parseMeasureClause(_ c: inout Cursor, into measure: inout MeasureDecl) throws {
        let head = c.peek!
        if (head.isWord("quota") && measure.quota != nil) || (head.isWord("weight") && measure.weight != nil) {
            throw c.failAt(head, "E016", "measure `\(measure.name.value)` already has a `\(head.isWord("quota") ? "quota" : "weight")` line")
        }
        if c.acceptWord("quota") {
            if c.acceptWord("from") {
                if let target = try parseTargetQuota(&c) {
                    measure.quota = Located(value: target, start: head.start, end: c.lineEnd)
                    if c.acceptWord("per") { measure.quotaSpan = try parseQuotaSpan(&c) }
                    return
                }
                let source = try c.expectWord("assignment")
                var column = Located(value: "quota", start: source.start, end: source.end)
                if c.acceptSymbol(".") { column = try c.expectIdentifier("a column of assignments.csv") }
                measure.quota = Located(value: .assignment(column: column), start: head.start, end: c.lineEnd)
            } else {
                measure.quota = Located(value: .value(try c.expression()), start: head.start, end: c.lineEnd)
            }
            if c.acceptWord("per") { measure.quotaSpan = try parseQuotaSpan(&c) }
        } else if c.acceptWord("weight") {
            measure.weight = try c.expression()
        } else {
            throw c.fail("E013", "expected `quota …` or `weight …` in a measure", notes: [.help("a measure block holds `quota from assignment` and `weight 70%` lines")])
        }
    }

    /// The word after `quota … per`: the span the quota is written for.
    func parseQuotaSpan(_ c: inout Cursor) throws -> Located<QuotaSpan> {
        let words = QuotaSpan.allCases.map(\.rawValue)
        guard let t = c.peek, case .identifier(let word) = t.kind else {
            throw c.expected("`year`, `half`, `quarter`, `month` or `period`")
        }
        guard let span = QuotaSpan(rawValue: word) else {
            throw c.failAt(t, "E017", "a quota is `per year`, `per half`, `per quarter`, `per month` or `per period`, not `per \(word)`",
                           notes: Suggestion.help(for: word, in: words) + [.help("the span the quota in assignments.csv (or in the plan) is written for; without one it is one payout period, or the year for a year-to-date plan")])
        }
        c.advance()
        return Located(value: span, start: t.start, end: t.end)
    }

    func parseComponent(_ c: inout Cursor, kind: ComponentDecl.Kind, start: Int) throws -> ComponentDecl {
        let name = try c.expectString("the \(kind.rawValue)'s name, in quotes")
        var measure: Located<String>?
        var onTotal = false
        if c.acceptWord("on") {
            if let t = c.peek, t.isWord("total") {
                c.advance()
                try c.expectWord("attainment")
                onTotal = true
                measure = Located(value: "total", start: t.start, end: c.previousEnd)
            } else {
                measure = try c.expectIdentifier("a measure name")
            }
        }
        return ComponentDecl(kind: kind, name: name, measure: measure, onTotal: onTotal, clauses: [], start: start, end: c.lineEnd)
    }

    /// `on collection proportionally` or `on collection in full`, after `pay`: the mode's words, spanning them.
    func parseCollection(_ c: inout Cursor) throws -> Located<String> {
        c.advance()
        let help: [Diagnostic.Note] = [.help("write `pay on collection proportionally` (paid as the customer pays) or `pay on collection in full` (paid once the customer has paid all of the deal)")]
        guard let t = c.peek, t.isWord("collection") else {
            if let t = c.peek { throw c.failAt(t, "P330", "expected `collection` after `pay on`, found \(t.display)", notes: help) }
            throw c.fail("P330", "expected `collection` after `pay on` at the end of the line", notes: help)
        }
        c.advance()
        guard let m = c.peek else { throw c.fail("P331", "`pay on collection` says how: `proportionally` or `in full`", notes: help) }
        let mode: Located<String>
        if m.isWord("proportionally") {
            c.advance()
            mode = Located(value: "proportionally", start: m.start, end: m.end)
        } else if m.isWord("in") {
            c.advance()
            guard let f = c.peek, f.isWord("full") else {
                if let f = c.peek { throw c.failAt(f, "P331", "expected `full` after `pay on collection in`, found \(f.display)", notes: help) }
                throw c.fail("P331", "expected `full` after `pay on collection in` at the end of the line", notes: help)
            }
            c.advance()
            mode = Located(value: "in full", start: m.start, end: f.end)
        } else {
            var notes = help
            if case .identifier(let w) = m.kind { notes = Suggestion.help(for: w, in: ["proportionally", "in full"]) + help }
            throw c.failAt(m, "P331", "`pay on collection` is `proportionally` or `in full`, not \(m.display)", notes: notes)
        }
        if let extra = c.peek { throw c.failAt(extra, "P332", "unexpected \(extra.display) after `pay on collection \(mode.value)`; expected the end of the line") }
        return mode
    }

    func parseComponentClause(_ c: inout Cursor, kind: ComponentDecl.Kind) throws -> Located<Clause> {
        let head = c.peek!
        guard case .identifier(let word) = head.kind else {
            throw c.fail("E014", "expected a rule line such as `rate 5%` or `tier from …`, found \(head.display)")
        }
        c.advance()
        let clause: Clause
        switch word {
        case "rate":
            let e = try c.expression()
            clause = .rate(e, perDeal: try c.acceptPerDeal())
        case "tiers":
            let mode = try c.expectIdentifier("`marginal` or `retroactive`")
            try c.expectWord("over")
            let over = try c.expectIdentifier("`attainment` or the measure's name")
            clause = .tiers(mode: mode, over: over)
        case "tier":
            try c.expectWord("from")
            let from = try c.expression()
            var to: Expr?
            if c.acceptWord("to") { to = try c.expression() }
            try c.expectWord("rate")
            let rate = try c.expression()
            clause = .tier(from: from, to: to, rate: rate, perDeal: try c.acceptPerDeal())
        case "cap":
            let e = try c.expression()
            try c.expectWord("per")
            let per = try c.expectIdentifier("`period` or `deal`")
            clause = .cap(e, per: per)
        case "gate":
            clause = .gate(try c.expression())
        case "at":
            let at = try c.expression()
            try c.expectWord("pay")
            clause = .step(at: at, pay: try c.expression())
        case "from":
            let from = try c.expression()
            try c.expectWord("to")
            clause = .window(from: from, to: try c.expression())
        case "where":
            clause = .filter(try c.expression())
        case "pay":
            if let on = c.peek, on.isWord("on") {
                clause = .collection(try parseCollection(&c))
                break
            }
            let e = try c.expression()
            clause = .pay(e, perDeal: try c.acceptPerDeal())
        case "for":
            let scope = try c.expectIdentifier("`direct` or `all`")
            try c.expectWord("reports")
            clause = .reports(scope)
        case "amount":
            let e = try c.expression()
            try c.expectWord("per")
            clause = .drawAmount(e, per: try c.expectIdentifier("`month` or `period`"))
        case "recoverable":
            clause = .recoverable(true)
        case "non":
            c.index -= 1
            let word = try c.expectHyphenated("`non-recoverable`")
            guard word.value == "non-recoverable" else { throw c.failAt(head, "E014", "expected `non-recoverable`") }
            clause = .recoverable(false)
        default:
            let words = ["rate", "tiers", "tier", "cap", "gate", "at", "from", "where", "pay", "for", "amount", "recoverable", "non-recoverable"]
            throw c.failAt(head, "E014", "unknown rule `\(word)` in a \(kind.rawValue)", notes: Suggestion.help(for: word, in: words))
        }
        return Located(value: clause, start: head.start, end: c.lineEnd)
    }
}

/// Reads the tokens of one line.
struct Cursor {
    let line: TokenLine
    let file: SourceFile
    var index = 0
    var failure: Diagnostic?
    /// Parts read in the current expression; a budget keeps recursion (here and in the checker) shallow.
    var parts = 0
    static let maximumParts = 200

    init(line: TokenLine, file: SourceFile) {
        self.line = line
        self.file = file
    }

    var peek: Token? { index < line.tokens.count ? line.tokens[index] : nil }
    var lineEnd: Int { line.end }
    var previousEnd: Int { index > 0 ? line.tokens[index - 1].end : line.tokens.first?.start ?? line.end }

    mutating func advance() { index += 1 }

    mutating func fail(_ code: String, _ message: String, notes: [Diagnostic.Note] = []) -> Parser.ParseError {
        if let t = peek { return failAt(t, code, message, notes: notes) }
        failure = .error(code, message, at: file.span(from: lineEnd, to: lineEnd + 1), notes: notes)
        return Parser.ParseError()
    }

    /// What stands where something was expected, for a message: the next token, or the end of the line.
    var foundText: String { peek.map { $0.display } ?? "the end of the line" }

    mutating func failAt(_ t: Token, _ code: String, _ message: String, notes: [Diagnostic.Note] = []) -> Parser.ParseError {
        failure = .error(code, message, at: file.span(from: t.start, to: t.end), notes: notes)
        return Parser.ParseError()
    }

    mutating func expected(_ what: String) -> Parser.ParseError {
        if let t = peek { return failAt(t, "E020", "expected \(what), found \(t.display)") }
        return fail("E020", "expected \(what) at the end of the line")
    }

    mutating func expectEnd() throws {
        if let t = peek {
            throw failAt(t, "E021", "unexpected \(t.display); expected the end of the line")
        }
    }

    mutating func acceptWord(_ word: String) -> Bool {
        if let t = peek, t.isWord(word) { advance(); return true }
        return false
    }

    @discardableResult
    mutating func expectWord(_ word: String) throws -> Token {
        if let t = peek, t.isWord(word) { advance(); return t }
        throw expected("`\(word)`")
    }

    mutating func acceptSymbol(_ s: String) -> Bool {
        if let t = peek, t.isSymbol(s) { advance(); return true }
        return false
    }

    mutating func expectSymbol(_ s: String) throws {
        if !acceptSymbol(s) { throw expected("`\(s)`") }
    }

    mutating func acceptPerDeal() throws -> Bool {
        guard acceptWord("per") else { return false }
        // `per activity` on a measure of activities reads as `per deal` does on a count of deals.
        if acceptWord("activity") { return true }
        try expectWord("deal")
        return true
    }

    mutating func expectIdentifier(_ what: String) throws -> Located<String> {
        if let t = peek, case .identifier(let s) = t.kind { advance(); return Located(value: s, start: t.start, end: t.end) }
        throw expected(what)
    }

    /// A word written with a hyphen (`half-up`, `non-recoverable`) lexes as three tokens; this joins them.
    mutating func expectHyphenated(_ what: String) throws -> Located<String> {
        let first = try expectIdentifier(what)
        if let t = peek, t.isSymbol("-"), t.start == first.end {
            advance()
            let second = try expectIdentifier(what)
            return Located(value: first.value + "-" + second.value, start: first.start, end: second.end)
        }
        return first
    }

    mutating func expectString(_ what: String) throws -> Located<String> {
        if let t = peek, case .string(let s) = t.kind { advance(); return Located(value: s, start: t.start, end: t.end) }
        throw expected(what)
    }

    mutating func expectStringOrNumber(_ what: String) throws -> Located<String> {
        if let t = peek {
            switch t.kind {
            case .string(let s): advance(); return Located(value: s, start: t.start, end: t.end)
            case .number(let d): advance(); return Located(value: d.description, start: t.start, end: t.end)
            default: break
            }
        }
        throw expected(what)
    }

    mutating func expectNumber(_ what: String) throws -> Located<ExactDecimal> {
        if let t = peek, case .number(let d) = t.kind { advance(); return Located(value: d, start: t.start, end: t.end) }
        throw expected(what)
    }

    // MARK: Expressions

    mutating func expression() throws -> Expr {
        parts = 0
        return try orExpression()
    }

    /// Counts one more part of the expression; an expression of more than 200 parts is an error.
    mutating func count() throws {
        parts += 1
        if parts > Cursor.maximumParts {
            throw fail("E023", "this expression is too long or too deeply nested (more than \(Cursor.maximumParts) parts)",
                       notes: [.help("split it into named parameters")])
        }
    }

    mutating func orExpression() throws -> Expr {
        var left = try andExpression()
        while acceptWord("or") {
            let right = try andExpression()
            left = Expr(kind: .binary(.or, left, right), start: left.start, end: right.end)
        }
        return left
    }

    mutating func andExpression() throws -> Expr {
        var left = try notExpression()
        while acceptWord("and") {
            let right = try notExpression()
            left = Expr(kind: .binary(.and, left, right), start: left.start, end: right.end)
        }
        return left
    }

    mutating func notExpression() throws -> Expr {
        try count()
        if let t = peek, t.isWord("not") {
            advance()
            let inner = try notExpression()
            return Expr(kind: .not(inner), start: t.start, end: inner.end)
        }
        return try comparison()
    }

    mutating func comparison() throws -> Expr {
        let left = try additive()
        if let t = peek, case .symbol(let s) = t.kind, let op = BinaryOperator(rawValue: s), op.isComparison {
            advance()
            let right = try additive()
            return Expr(kind: .binary(op, left, right), start: left.start, end: right.end)
        }
        var negated = false
        if let t = peek, t.isWord("not"), index + 1 < line.tokens.count, line.tokens[index + 1].isWord("in") {
            advance()
            negated = true
        }
        if acceptWord("in") {
            try expectSymbol("(")
            var items = [try additive()]
            while acceptSymbol(",") { items.append(try additive()) }
            guard let close = peek, close.isSymbol(")") else { throw expected("`,` or `)`") }
            advance()
            return Expr(kind: .member(left, items, negated: negated), start: left.start, end: close.end)
        }
        return left
    }

    mutating func additive() throws -> Expr {
        var left = try multiplicative()
        while let t = peek, t.isSymbol("+") || t.isSymbol("-") {
            advance()
            let right = try multiplicative()
            left = Expr(kind: .binary(t.isSymbol("+") ? .add : .subtract, left, right), start: left.start, end: right.end)
        }
        return left
    }

    mutating func multiplicative() throws -> Expr {
        var left = try unary()
        while let t = peek {
            let op: BinaryOperator
            if t.isSymbol("*") { op = .multiply } else if t.isWord("of") { op = .of } else if t.isSymbol("/") {
                throw failAt(t, "E022", "division is not part of the plan language",
                             notes: [.help("write a rate instead, e.g. `50% of target_incentive`")])
            } else { break }
            advance()
            let right = try unary()
            left = Expr(kind: .binary(op, left, right), start: left.start, end: right.end)
        }
        return left
    }

    mutating func unary() throws -> Expr {
        try count()
        if let t = peek, t.isSymbol("-") {
            advance()
            let inner = try unary()
            return Expr(kind: .negate(inner), start: t.start, end: inner.end)
        }
        return try primary()
    }

    mutating func primary() throws -> Expr {
        guard let t = peek else { throw expected("a value") }
        switch t.kind {
        case .number(let d):
            advance()
            if let next = peek, case .identifier(let code) = next.kind, code.count == 3, code.allSatisfy({ $0.isUppercase && $0.isASCII }) {
                advance()
                return Expr(kind: .money(d, currency: code), start: t.start, end: next.end)
            }
            return Expr(kind: .number(d), start: t.start, end: t.end)
        case .percent(let d):
            advance()
            return Expr(kind: .percent(d), start: t.start, end: t.end)
        case .date(let d):
            advance()
            return Expr(kind: .date(d), start: t.start, end: t.end)
        case .string(let s):
            advance()
            return Expr(kind: .text(s), start: t.start, end: t.end)
        case .identifier(let word):
            advance()
            if word == "true" || word == "false" {
                return Expr(kind: .bool(word == "true"), start: t.start, end: t.end)
            }
            var parts = [word]
            var end = t.end
            while let dot = peek, dot.isSymbol(".") {
                advance()
                let part = try expectIdentifier("a name after `.`")
                parts.append(part.value)
                end = part.end
            }
            return Expr(kind: .name(parts), start: t.start, end: end)
        case .symbol("("):
            advance()
            let saved = parts
            let inner = try orExpression()
            parts = max(parts, saved)
            guard let close = peek, close.isSymbol(")") else { throw expected("`)`") }
            advance()
            return Expr(kind: inner.kind, start: t.start, end: close.end)
        case .symbol:
            throw expected("a value")
        }
    }
}
