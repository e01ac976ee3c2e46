// A text file the engine read (a plan or a CSV), with the line table needed to point into it.

/// A named text: the path shown in messages and the bytes of the file.
public struct SourceFile: Sendable {
    /// The path as the user gave it; shown in messages and in statement traces.
    public let path: String
    public let text: String
    let utf8: [UInt8]
    /// Byte offset where each line starts.
    let lineStarts: [Int]
    /// Where each line that is not valid UTF-8 has its first bad byte (the file as read, before the bad bytes were
    /// replaced); empty for text that was valid.
    public let invalidUTF8: [SourceLocation]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.utf8 = Array(text.utf8)
        var starts = [0]
        for (i, byte) in utf8.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(i + 1)
        }
        self.lineStarts = starts
        self.invalidUTF8 = []
    }

    /// A file as read: bytes that are not UTF-8 are kept as U+FFFD in `text`, and each line that has some is listed in
    /// `invalidUTF8` with the line and column of its first bad byte (the lexer reports them). A line break is never
    /// part of a bad sequence, so line numbers are those of the file.
    public init(path: String, bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            self.init(path: path, text: String(decoding: bytes, as: UTF8.self))
            self = SourceFile(copying: self, invalidUTF8: SourceFile.invalidUTF8Lines(bytes))
            return
        }
        self.init(path: path, text: text)
    }

    private init(copying file: SourceFile, invalidUTF8: [SourceLocation]) {
        path = file.path
        text = file.text
        utf8 = file.utf8
        lineStarts = file.lineStarts
        self.invalidUTF8 = invalidUTF8
    }

    /// Each line with bytes that do not decode as UTF-8, with the column (in characters) of its first bad byte.
    public static func invalidUTF8Lines(_ bytes: [UInt8]) -> [SourceLocation] {
        var bad: [SourceLocation] = []
        var start = 0
        var line = 1
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            if let at = firstInvalidUTF8(bytes[start..<end]) {
                bad.append(SourceLocation(line: line, column: String(decoding: bytes[start..<at], as: UTF8.self).count + 1))
            }
            start = end + 1
            line += 1
        }
        return bad
    }

    /// The offset of the first byte that does not decode as UTF-8, or nil when all of it does.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    public func location(ofOffset offset: Int) -> SourceLocation {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        let prefix = utf8[start..<min(offset, utf8.count)]
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return SourceLocation(line: lo + 1, column: column)
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1 && line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : utf8.count
        if end > start && utf8[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: utf8[start..<max(start, end)], as: UTF8.self)
    }

    /// A span between two byte offsets, as a location and a width in characters.
    public func span(from start: Int, to end: Int) -> SourceSpan {
        let a = location(ofOffset: start)
        let b = location(ofOffset: max(start, end))
        let width = b.line == a.line ? max(1, b.column - a.column) : max(1, lineText(a.line).count - a.column + 1)
        return SourceSpan(path: path, line: a.line, column: a.column, width: width, lineText: lineText(a.line))
    }
}

/// A 1-based line and column.
public struct SourceLocation: Sendable, Hashable, Comparable {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// Where a diagnostic points: a file, a line, a column, a width, and that line's text.
public struct SourceSpan: Sendable, Hashable, Codable {
    public let path: String
    public let line: Int
    public let column: Int
    public let width: Int
    public let lineText: String

    public init(path: String, line: Int, column: Int, width: Int, lineText: String) {
        self.path = path
        self.line = line
        self.column = column
        self.width = width
        self.lineText = lineText
    }

    /// "plans/ae.plan:12" — the trace a statement line carries.
    public var trace: String { "\(path):\(line)" }
}

extension Unicode.Scalar {
    /// Whether text must not hold this character: XML 1.0 cannot carry it (a C0 control other than tab, line feed and
    /// carriage return; U+FFFE, U+FFFF), or it is another noncharacter (U+FDD0–U+FDEF, the last two of every plane),
    /// or DEL. Input holding one is refused where it is read, with its position.
    public var isUnfitForText: Bool {
        (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || value == 0x7F || properties.isNoncharacterCodePoint
    }

    /// `U+FFFE`: the code point, four hex digits at least.
    public var codePointName: String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
