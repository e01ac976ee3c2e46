// A strict RFC 4180 CSV reader over bytes: quoted fields, doubled quotes, CRLF, and positions for errors.

/// The bytes of a CSV file, shared by its records so positions are worked out only for messages.
final class CSVSource: Sendable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// One record of a CSV file, with where each field started.
public struct CSVRecord: Sendable {
    public let fields: [String]
    /// Byte offset of each field's first character (after an opening quote).
    let fieldStarts: [Int]
    let source: CSVSource
    /// The byte range of the record's first physical line, without its line break.
    let start: Int
    let end: Int
    /// 1-based line where the record starts.
    public let line: Int

    /// 1-based column (in characters) where each field starts.
    public var columns: [Int] { fieldStarts.indices.map(column) }

    /// 1-based column (in characters) where field `i` starts.
    public func column(_ i: Int) -> Int {
        let before = source.bytes[start..<min(max(fieldStarts[i], start), end)]
        // In plain ASCII a byte is a character.
        if !before.contains(where: { $0 >= 0x80 }) { return before.count + 1 }
        return String(decoding: before, as: UTF8.self).count + 1
    }

    /// The record's first physical line, for error snippets.
    public var lineText: String { String(decoding: source.bytes[start..<end], as: UTF8.self) }
}

/// Reads CSV bytes into records. Errors (an unclosed quote, a stray quote) carry line and column.
public struct CSVReader {
    public let path: String
    let bytes: [UInt8]
    /// The field separator: a comma unless told (`;` or a tab for some exports).
    let separator: UInt8

    public init(path: String, bytes: [UInt8], separator: UInt8 = UInt8(ascii: ",")) {
        self.path = path
        self.separator = separator
        var b = bytes
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        self.bytes = b
    }

    public func read() -> ([CSVRecord], Diagnostics) {
        var records: [CSVRecord] = []
        let source = CSVSource(bytes)
        var diagnostics = Diagnostics()
        let quote = UInt8(ascii: "\"")
        let comma = separator
        let newline = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        var i = 0
        var line = 1
        let n = bytes.count
        // Text must be UTF-8: every line that is not is an error naming it.
        var invalidLines: Set<Int> = []
        if String(validating: bytes, as: UTF8.self) == nil {
            for bad in SourceFile.invalidUTF8Lines(bytes) {
                invalidLines.insert(bad.line)
                diagnostics.append(.error("D208", "this line is not valid UTF-8; save the file as UTF-8",
                                          at: SourceSpan(path: path, line: bad.line, column: bad.column, width: 1, lineText: "")))
            }
        }
        while i < n {
            let recordStart = i
            let recordLine = line
            var lineEnd = i
            while lineEnd < n && bytes[lineEnd] != newline { lineEnd += 1 }
            let textEnd = lineEnd > recordStart && bytes[lineEnd - 1] == cr ? lineEnd - 1 : lineEnd
            // Only a record with an error needs its text; the rest keep byte offsets.
            var lineText: String { String(decoding: bytes[recordStart..<textEnd], as: UTF8.self) }
            var fields: [String] = []
            var starts: [Int] = []
            var columns: [Int] {
                starts.map { String(decoding: bytes[recordStart..<min($0, textEnd)], as: UTF8.self).count + 1 }
            }
            var failed = false
            fieldLoop: while true {
                let fieldStart = i
                starts.append(fieldStart)
                if i < n && bytes[i] == quote {
                    starts[starts.count - 1] += 1
                    var value: [UInt8] = []
                    i += 1
                    while true {
                        if i >= n {
                            diagnostics.append(.error("D200", "a quoted field is never closed", at: SourceSpan(path: path, line: recordLine, column: columns.last!, width: 1, lineText: lineText)))
                            failed = true
                            break fieldLoop
                        }
                        let c = bytes[i]
                        if c == quote {
                            if i + 1 < n && bytes[i + 1] == quote {
                                value.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        if c == newline { line += 1 }
                        value.append(c)
                        i += 1
                    }
                    fields.append(String(decoding: value, as: UTF8.self))
                    if i < n && bytes[i] != comma && bytes[i] != newline && !(bytes[i] == cr && (i + 1 == n || bytes[i + 1] == newline)) {
                        let col = line == recordLine ? String(decoding: bytes[recordStart..<i], as: UTF8.self).count + 1 : 1
                        diagnostics.append(.error("D201", "unexpected text after a closing quote", at: SourceSpan(path: path, line: line, column: col, width: 1, lineText: lineText)))
                        failed = true
                        while i < n && bytes[i] != newline { i += 1 }
                        break fieldLoop
                    }
                } else {
                    var j = i
                    while j < n && bytes[j] != comma && bytes[j] != newline {
                        if bytes[j] == quote {
                            let col = String(decoding: bytes[recordStart..<j], as: UTF8.self).count + 1
                            diagnostics.append(.error("D201", "a quote inside an unquoted field; quote the whole field and double the quote (\"\")",
                                                      at: SourceSpan(path: path, line: line, column: col, width: 1, lineText: lineText)))
                            failed = true
                            while j < n && bytes[j] != newline { j += 1 }
                            i = j
                            break fieldLoop
                        }
                        j += 1
                    }
                    var end = j
                    if end > i && bytes[end - 1] == cr && (j == n || bytes[j] == newline) { end -= 1 }
                    fields.append(String(decoding: bytes[i..<end], as: UTF8.self))
                    i = j
                }
                if i < n && bytes[i] == cr { i += 1 }
                if i >= n { break }
                if bytes[i] == comma { i += 1; continue }
                if bytes[i] == newline { break }
            }
            if i < n && bytes[i] == newline {
                i += 1
                line += 1
            }
            if failed || invalidLines.contains(recordLine) { continue }
            // Control characters (other than tab and line breaks) and noncharacters (U+FFFE, U+FFFF, …) have no place in
            // text, and XML cannot carry them. Only a record with a byte that may start one is looked at closely: a
            // noncharacter's UTF-8 starts with EF or F0–F4.
            var controlFound = false
            var anyControl = false
            for k in recordStart..<i where (bytes[k] < 0x20 && bytes[k] != 0x09 && bytes[k] != 0x0A && bytes[k] != 0x0D) || bytes[k] == 0x7F || bytes[k] == 0xEF || bytes[k] >= 0xF0 {
                anyControl = true
                break
            }
            for (k, field) in fields.enumerated() where anyControl {
                if let bad = field.unicodeScalars.first(where: \.isUnfitForText) {
                    let (code, message) = bad.properties.isNoncharacterCodePoint
                        ? ("D207", "a noncharacter (\(bad.codePointName)) is not allowed in a field: XML cannot carry it")
                        : ("D209", "a control character (\(bad.codePointName)) is not allowed in a field")
                    diagnostics.append(.error(code, message,
                                              at: SourceSpan(path: path, line: recordLine, column: columns[k], width: 1, lineText: lineText.filter { !$0.isASCII || $0.asciiValue! >= 0x20 || $0 == "\t" })))
                    controlFound = true
                }
            }
            if controlFound { continue }
            // Skip blank lines entirely.
            if fields.count == 1 && fields[0].isEmpty { continue }
            records.append(CSVRecord(fields: fields, fieldStarts: starts, source: source, start: recordStart, end: textEnd, line: recordLine))
        }
        return (records, diagnostics)
    }
}
