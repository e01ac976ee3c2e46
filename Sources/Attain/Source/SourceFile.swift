// A text file the engine read (a plan or a CSV), with the line table needed to point into it.

/// A named text: the path shown in messages and the bytes of the file.
public struct SourceFile: Sendable {
    /// The path as the user gave it; shown in messages and in statement traces.
    public let path: String
    public let text: String
    let utf8: [UInt8]
    /// Byte offset where each line starts.
    let lineStarts: [Int]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.utf8 = Array(text.utf8)
        var starts = [0]
        for (i, byte) in utf8.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(i + 1)
        }
        self.lineStarts = starts
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
public struct SourceSpan: Sendable, Hashable {
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
