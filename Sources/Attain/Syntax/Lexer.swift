// Splits plan text into lines of tokens. Comments start with `#`; an indented line belongs to the block above.

/// The plan language's lexer. Collects every error it finds and keeps going.
public struct Lexer {
    let file: SourceFile
    var diagnostics = Diagnostics()
    /// Errors after which the line is still read (a character a text may not hold): the parser goes on with the line.
    var readableErrors = 0

    public init(file: SourceFile) {
        self.file = file
    }

    static let twoCharSymbols: Set<String> = ["!=", "<=", ">=", "=="]
    static let oneCharSymbols: Set<UInt8> = Set("=<>()+-*/,.:".utf8)

    public mutating func tokenize() -> [TokenLine] {
        let b = file.utf8
        var lines: [TokenLine] = []
        // A byte-order mark some editors write is not part of the plan.
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        // Lines that are not UTF-8 are reported (as CSV files' are, D208) and not read further.
        var invalid: [Int: Int] = [:]
        for bad in file.invalidUTF8 { invalid[bad.line] = bad.column }
        var lineNumber = 0
        while i < b.count {
            // One physical line.
            let lineStart = i
            let errorsBefore = diagnostics.items.count
            let readableBefore = readableErrors
            var lineEnd = i
            while lineEnd < b.count && b[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let indented = lineStart < lineEnd && (b[lineStart] == UInt8(ascii: " ") || b[lineStart] == UInt8(ascii: "\t"))
            lineNumber += 1
            if let column = invalid[lineNumber] {
                diagnostics.append(.error("E007", "this line is not valid UTF-8; save the file as UTF-8",
                                          at: SourceSpan(path: file.path, line: lineNumber, column: column, width: 1, lineText: "")))
                var line = TokenLine(indented: indented, tokens: [], end: lineEnd)
                line.hasLexError = true
                lines.append(line)
                i = lineEnd + 1
                continue
            }
            var tokens: [Token] = []
            var j = lineStart
            scan: while j < lineEnd {
                let c = b[j]
                switch c {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    j += 1
                case UInt8(ascii: "#"):
                    break scan
                case UInt8(ascii: "\""):
                    j = lexString(from: j, lineEnd: lineEnd, into: &tokens)
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    j = lexNumber(from: j, lineEnd: lineEnd, into: &tokens)
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                    var k = j
                    while k < lineEnd, Lexer.isIdentifierByte(b[k]) { k += 1 }
                    tokens.append(Token(kind: .identifier(String(decoding: b[j..<k], as: UTF8.self)), start: j, end: k))
                    j = k
                default:
                    if j + 1 < lineEnd {
                        let two = String(decoding: b[j..<j + 2], as: UTF8.self)
                        if Lexer.twoCharSymbols.contains(two) {
                            tokens.append(Token(kind: .symbol(two == "==" ? "=" : two), start: j, end: j + 2))
                            j += 2
                            continue
                        }
                    }
                    if Lexer.oneCharSymbols.contains(c) {
                        tokens.append(Token(kind: .symbol(String(UnicodeScalar(c))), start: j, end: j + 1))
                        j += 1
                        continue
                    }
                    // Unknown character: report it once, skip the whole UTF-8 sequence.
                    var k = j + 1
                    while k < lineEnd && (b[k] & 0xC0) == 0x80 { k += 1 }
                    let text = String(decoding: b[j..<k], as: UTF8.self)
                    var notes: [Diagnostic.Note] = []
                    if ["$", "€", "£", "¥"].contains(text) {
                        notes.append(.help("write money as an amount and a currency code, e.g. `4000.00 USD`"))
                    }
                    diagnostics.append(.error("E001", "unexpected character `\(text)`", at: file.span(from: j, to: k), notes: notes))
                    j = k
                }
            }
            if !tokens.isEmpty || diagnostics.items.count > errorsBefore {
                var line = TokenLine(indented: indented, tokens: tokens, end: lineEnd)
                line.hasLexError = diagnostics.items.count - errorsBefore > readableErrors - readableBefore
                lines.append(line)
            }
            i = lineEnd + 1
        }
        return lines
    }

    static func isIdentifierByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    mutating func lexString(from start: Int, lineEnd: Int, into tokens: inout [Token]) -> Int {
        let b = file.utf8
        var bytes: [UInt8] = []
        var k = start + 1
        while k < lineEnd {
            let c = b[k]
            // A character no text may hold (XML cannot carry it): reported where it is, and the text is still read.
            if c < 0x20 && c != UInt8(ascii: "\t") || c == 0x7F || c == 0xEF || c >= 0xF0 {
                var n = k + 1
                while n < lineEnd && (b[n] & 0xC0) == 0x80 { n += 1 }
                if let scalar = String(decoding: b[k..<n], as: UTF8.self).unicodeScalars.first, scalar.isUnfitForText {
                    diagnostics.append(.error("E008", "\(scalar.codePointName) is not allowed in a text: it is \(scalar.properties.isNoncharacterCodePoint ? "a noncharacter" : "a control character"), and XML cannot carry it",
                                              at: file.span(from: k, to: n), notes: [.help("remove it from the text")]))
                    readableErrors += 1
                }
            }
            if c == UInt8(ascii: "\"") {
                tokens.append(Token(kind: .string(String(decoding: bytes, as: UTF8.self)), start: start, end: k + 1))
                return k + 1
            }
            if c == UInt8(ascii: "\\") && k + 1 < lineEnd && (b[k + 1] == UInt8(ascii: "\"") || b[k + 1] == UInt8(ascii: "\\")) {
                bytes.append(b[k + 1])
                k += 2
                continue
            }
            bytes.append(c)
            k += 1
        }
        diagnostics.append(.error("E002", "unterminated text: a `\"` is missing before the end of the line", at: file.span(from: start, to: lineEnd)))
        return lineEnd
    }

    mutating func lexNumber(from start: Int, lineEnd: Int, into tokens: inout [Token]) -> Int {
        let b = file.utf8
        // A date: dddd-dd-dd.
        if start + 10 <= lineEnd, b[start + 4] == UInt8(ascii: "-"), b[start + 7] == UInt8(ascii: "-"),
           (start..<start + 4).allSatisfy({ Lexer.isDigit(b[$0]) }),
           (start + 10 == lineEnd || !Lexer.isIdentifierByte(b[start + 10])) {
            switch CivilDate.parse(b[start..<start + 10]) {
            case .success(let date):
                tokens.append(Token(kind: .date(date), start: start, end: start + 10))
            case .failure(let e):
                diagnostics.append(.error("E003", "invalid date: \(e.reason)", at: file.span(from: start, to: start + 10)))
            }
            return start + 10
        }
        var k = start
        while k < lineEnd, Lexer.isDigit(b[k]) { k += 1 }
        if k + 1 < lineEnd, b[k] == UInt8(ascii: "."), Lexer.isDigit(b[k + 1]) {
            k += 1
            while k < lineEnd, Lexer.isDigit(b[k]) { k += 1 }
        }
        // 4,000.00 — a thousands separator.
        if k + 4 <= lineEnd, b[k] == UInt8(ascii: ","), (k + 1..<k + 4).allSatisfy({ Lexer.isDigit(b[$0]) }) {
            var e = k + 1
            while e < lineEnd, Lexer.isDigit(b[e]) || b[e] == UInt8(ascii: ",") || b[e] == UInt8(ascii: ".") { e += 1 }
            diagnostics.append(.error("E004", "thousands separators are not allowed in numbers", at: file.span(from: start, to: e),
                                      notes: [.help("write `\(String(decoding: b[start..<e], as: UTF8.self).filter { $0 != "," })`")]))
            return e
        }
        if k < lineEnd, Lexer.isIdentifierByte(b[k]) {
            var e = k
            while e < lineEnd, Lexer.isIdentifierByte(b[e]) { e += 1 }
            let text = String(decoding: b[start..<e], as: UTF8.self)
            diagnostics.append(.error("E005", "`\(text)` is not a number; put a space between a number and a word", at: file.span(from: start, to: e)))
            return e
        }
        let value: ExactDecimal
        switch ExactDecimal.parse(b[start..<k]) {
        case .success(let v): value = v
        case .failure(let e):
            diagnostics.append(.error("E006", "invalid number: \(e.reason)", at: file.span(from: start, to: k)))
            return k
        }
        if k < lineEnd, b[k] == UInt8(ascii: "%") {
            tokens.append(Token(kind: .percent(value), start: start, end: k + 1))
            return k + 1
        }
        tokens.append(Token(kind: .number(value), start: start, end: k))
        return k
    }
}
