// Writes a statement as XML: UTF-8, a versioned namespace, fixed order, two-space indentation. The text is written
// straight into bytes, escaped as libxml2's text writer escapes it; that writer is kept as the reference the tests compare with.
import Attain
internal import CLibXML2

/// The XML form of a statement. It says exactly what the JSON statement says.
public enum StatementXML {
    /// The namespace of version 1 of the statement format.
    public static let namespace = "urn:attain:statement:1"

    /// The statement as an XML document (UTF-8 text, two-space indentation, final newline).
    public static func render(_ s: Statement) -> String {
        var w = XMLText(capacity: 1024 + s.lines.count * 384)
        write(s, into: &w)
        return w.finishText()
    }

    /// The statement as an XML document's bytes, for writing to a file as they are.
    public static func bytes(_ s: Statement) -> [UInt8] {
        var w = XMLText(capacity: 1024 + s.lines.count * 384)
        write(s, into: &w)
        return w.finish()
    }

    static func write(_ s: Statement, into w: inout XMLText) {
        w.start("statement")
        w.attribute("xmlns", namespace)
        w.attribute("format", "attain-statement/\(StatementJSON.formatVersion)")
        w.start("payee")
        w.attribute("id", s.payeeID)
        w.attribute("name", s.payeeName)
        w.end("payee")
        w.start("plan")
        w.attribute("name", s.planName)
        w.attribute("version", s.planVersion)
        w.attribute("source", s.planPath)
        w.end("plan")
        w.start("period")
        w.attribute("label", s.period.label)
        w.attribute("start", s.period.start)
        w.attribute("end", s.period.end)
        w.end("period")
        w.element("currency", s.currency.code)
        w.element("target-incentive", s.targetIncentive)
        if let p = s.proration { w.element("proration", p) }
        if let o = s.measuredOver { w.element("measured-over", o) }
        measures(s.measures, into: &w)
        if let t = s.totalAttainment { w.element("total-attainment", t) }
        if !s.segments.isEmpty {
            w.start("segments")
            for g in s.segments {
                w.start("segment")
                w.attribute("plan", g.planName)
                w.attribute("version", g.planVersion)
                w.attribute("source", g.planPath)
                w.attribute("from", g.from)
                w.attribute("to", g.to)
                w.attribute("target-incentive", g.targetIncentive)
                if let p = g.proration { w.attribute("proration", p) }
                if let t = g.totalAttainment { w.attribute("total-attainment", t) }
                measures(g.measures, into: &w)
                w.end("segment")
            }
            w.end("segments")
        }
        w.start("lines")
        for line in s.lines {
            w.start("line")
            w.attribute("kind", line.kind.rawValue)
            w.attribute("component", line.component)
            if let v = line.dealID { w.attribute("deal-id", v) }
            if let v = line.activityID { w.attribute("activity-id", v) }
            if let v = line.closeDate { w.attribute("close-date", v) }
            if let v = line.base { w.attribute("base", v) }
            if let v = line.share { w.attribute("share", v) }
            if let v = line.rate { w.attribute("rate", v) }
            if let v = line.tier { w.attribute("tier", v) }
            if let v = line.creditedTo { w.attribute("credited-to", v) }
            if let v = line.role { w.attribute("role", v) }
            if let v = line.refPeriod { w.attribute("for-period", v) }
            if let v = line.balanceBefore { w.attribute("balance-before", v.text) }
            if let v = line.balanceAfter { w.attribute("balance-after", v.text) }
            if let v = line.segment { w.attribute("segment", v) }
            if let c = line.conversion {
                w.attribute("original-amount", c.original.text)
                w.attribute("original-currency", c.original.currency.code)
                w.attribute("fx-rate", c.rate.normalized.description)
                w.attribute("fx-date", c.date)
            }
            w.attribute("amount", line.amount.text)
            w.attribute("source", line.source)
            if let v = line.dispute { w.attribute("dispute", v) }
            for t in line.tiers {
                w.start("band")
                w.attribute("name", t.band)
                w.attribute("base", t.base)
                w.attribute("rate", t.rate)
                w.attribute("amount", t.amount)
                w.attribute("source", t.source)
                w.end("band")
            }
            if let r = line.reason { w.element("reason", r) }
            w.end("line")
        }
        w.end("lines")
        if !s.queries.isEmpty {
            w.start("queries")
            for q in s.queries {
                w.start("query")
                for (k, v) in queryAttributes(q) { w.attribute(k, v) }
                w.element("text", q.text)
                if let a = q.answer { w.element("answer", a) }
                w.end("query")
            }
            w.end("queries")
        }
        w.start("totals")
        w.attribute("earned", s.earned.text)
        w.attribute("adjustments", s.adjustments.text)
        w.attribute("paid", s.paid.text)
        if let h = s.held { w.attribute("held", h.text) }
        if let r = s.released { w.attribute("released", r.text) }
        w.end("totals")
        w.end("statement")
    }

    /// A query's attributes in the order the XSD lists them.
    static func queryAttributes(_ q: StatementQuery) -> [(StaticString, String)] {
        var a: [(StaticString, String)] = [("id", String(q.id)), ("period", q.period), ("line", String(q.line)), ("line-kind", q.lineKind),
                                           ("line-component", q.lineComponent)]
        if let d = q.lineDealID { a.append(("line-deal-id", d)) }
        a.append(("line-amount", q.lineAmount))
        a.append(("status", q.status.rawValue))
        if let b = q.by { a.append(("by", b)) }
        a.append(("at", q.at))
        if let n = q.adjustmentLine { a.append(("adjustment-line", String(n))) }
        if let b = q.answeredBy { a.append(("answered-by", b)) }
        if let t = q.answeredAt { a.append(("answered-at", t)) }
        return a
    }

    static func measures(_ list: [MeasureResult], into w: inout XMLText) {
        w.start("measures")
        for m in list {
            w.start("measure")
            w.attribute("name", m.name)
            w.attribute("value", m.value)
            if let q = m.quota { w.attribute("quota", q) }
            if let a = m.attainment { w.attribute("attainment", a) }
            if let x = m.weight { w.attribute("weight", x) }
            for c in m.from {
                w.start("from")
                w.attribute("rep-id", c.repID)
                w.attribute("name", c.repName)
                w.attribute("deals", c.deals)
                w.attribute("amount", c.amount)
                w.end("from")
            }
            for a in m.activities ?? [] {
                w.start("activity")
                w.attribute("id", a.activityID)
                w.attribute("rep-id", a.repID)
                w.attribute("date", a.date)
                w.attribute("kind", a.kind)
                w.attribute("count", a.count)
                w.attribute("contribution", a.contribution)
                w.end("activity")
            }
            w.end("measure")
        }
        w.end("measures")
    }

    /// The statement through libxml2's streaming writer, one call per element and attribute: the reference that the
    /// direct writer's bytes are checked against.
    static func renderThroughLibXML(_ s: Statement) throws -> String {
        let w = try Writer()
        try w.start("statement")
        try w.attribute("xmlns", namespace)
        try w.attribute("format", "attain-statement/\(StatementJSON.formatVersion)")
        try w.empty("payee", [("id", s.payeeID), ("name", s.payeeName)])
        try w.empty("plan", [("name", s.planName), ("version", s.planVersion), ("source", s.planPath)])
        try w.empty("period", [("label", s.period.label), ("start", s.period.start.description), ("end", s.period.end.description)])
        try w.element("currency", s.currency.code)
        try w.element("target-incentive", s.targetIncentive)
        if let p = s.proration { try w.element("proration", p) }
        if let o = s.measuredOver { try w.element("measured-over", o) }
        try libXMLMeasures(s.measures, w)
        if let t = s.totalAttainment { try w.element("total-attainment", t) }
        if !s.segments.isEmpty {
            try w.start("segments")
            for g in s.segments {
                try w.start("segment")
                for (k, v) in [("plan", g.planName), ("version", g.planVersion), ("source", g.planPath), ("from", g.from.description),
                               ("to", g.to.description), ("target-incentive", g.targetIncentive)] { try w.attribute(k, v) }
                if let p = g.proration { try w.attribute("proration", p) }
                if let t = g.totalAttainment { try w.attribute("total-attainment", t) }
                try libXMLMeasures(g.measures, w)
                try w.end()
            }
            try w.end()
        }
        try w.start("lines")
        for line in s.lines {
            try w.start("line")
            var attributes = [("kind", line.kind.rawValue), ("component", line.component)]
            if let v = line.dealID { attributes.append(("deal-id", v)) }
            if let v = line.activityID { attributes.append(("activity-id", v)) }
            if let v = line.closeDate { attributes.append(("close-date", v.description)) }
            if let v = line.base { attributes.append(("base", v)) }
            if let v = line.share { attributes.append(("share", v)) }
            if let v = line.rate { attributes.append(("rate", v)) }
            if let v = line.tier { attributes.append(("tier", v)) }
            if let v = line.creditedTo { attributes.append(("credited-to", v)) }
            if let v = line.role { attributes.append(("role", v)) }
            if let v = line.refPeriod { attributes.append(("for-period", v)) }
            if let v = line.balanceBefore { attributes.append(("balance-before", v.text)) }
            if let v = line.balanceAfter { attributes.append(("balance-after", v.text)) }
            if let v = line.segment { attributes.append(("segment", String(v))) }
            if let c = line.conversion {
                attributes += [("original-amount", c.original.text), ("original-currency", c.original.currency.code),
                               ("fx-rate", c.rate.normalized.description), ("fx-date", c.date.description)]
            }
            attributes.append(("amount", line.amount.text))
            attributes.append(("source", line.source))
            if let v = line.dispute { attributes.append(("dispute", String(v))) }
            for (k, v) in attributes { try w.attribute(k, v) }
            for t in line.tiers {
                try w.empty("band", [("name", t.band), ("base", t.base), ("rate", t.rate), ("amount", t.amount), ("source", t.source)])
            }
            if let r = line.reason { try w.element("reason", r) }
            try w.end()
        }
        try w.end()
        if !s.queries.isEmpty {
            try w.start("queries")
            for q in s.queries {
                try w.start("query")
                for (k, v) in queryAttributes(q) { try w.attribute(k.description, v) }
                try w.element("text", q.text)
                if let a = q.answer { try w.element("answer", a) }
                try w.end()
            }
            try w.end()
        }
        try w.empty("totals", [("earned", s.earned.text), ("adjustments", s.adjustments.text), ("paid", s.paid.text)]
                    + (s.held.map { [("held", $0.text)] } ?? []) + (s.released.map { [("released", $0.text)] } ?? []))
        try w.end()
        return try w.finish()
    }

    static func libXMLMeasures(_ list: [MeasureResult], _ w: Writer) throws {
        try w.start("measures")
        for m in list {
            var attributes = [("name", m.name), ("value", m.value)]
            if let q = m.quota { attributes.append(("quota", q)) }
            if let a = m.attainment { attributes.append(("attainment", a)) }
            if let x = m.weight { attributes.append(("weight", x)) }
            if m.from.isEmpty && (m.activities ?? []).isEmpty {
                try w.empty("measure", attributes)
                continue
            }
            try w.start("measure")
            for (k, v) in attributes { try w.attribute(k, v) }
            for c in m.from {
                try w.empty("from", [("rep-id", c.repID), ("name", c.repName), ("deals", String(c.deals)), ("amount", c.amount)])
            }
            for a in m.activities ?? [] {
                try w.empty("activity", [("id", a.activityID), ("rep-id", a.repID), ("date", a.date.description), ("kind", a.kind),
                                         ("count", a.count), ("contribution", a.contribution)])
            }
            try w.end()
        }
        try w.end()
    }

    /// An `xmlTextWriter` over a memory buffer.
    final class Writer {
        let buffer: xmlBufferPtr
        let writer: xmlTextWriterPtr

        init() throws {
            _ = LibXML.initialized
            guard let b = xmlBufferCreate() else { throw XMLError(description: "xmlBufferCreate failed") }
            guard let w = xmlNewTextWriterMemory(b, 0) else {
                xmlBufferFree(b)
                throw XMLError(description: "xmlNewTextWriterMemory failed")
            }
            buffer = b
            writer = w
            xmlTextWriterSetIndent(writer, 1)
            _ = LibXML.with("  ") { xmlTextWriterSetIndentString(writer, $0) }
            try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start document")
        }

        deinit {
            xmlFreeTextWriter(writer)
            xmlBufferFree(buffer)
        }

        func check(_ rc: Int32, _ what: String) throws {
            if rc < 0 { throw XMLError(description: "libxml2 could not \(what)") }
        }

        func start(_ name: String) throws {
            try check(LibXML.with(name) { xmlTextWriterStartElement(writer, $0) }, "start <\(name)>")
        }

        func end() throws {
            try check(xmlTextWriterEndElement(writer), "end an element")
        }

        func attribute(_ name: String, _ value: String) throws {
            let rc = LibXML.with(name) { n in LibXML.with(value) { v in xmlTextWriterWriteAttribute(writer, n, v) } }
            try check(rc, "write attribute \(name)")
        }

        func element(_ name: String, _ text: String) throws {
            let rc = LibXML.with(name) { n in LibXML.with(text) { v in xmlTextWriterWriteElement(writer, n, v) } }
            try check(rc, "write <\(name)>")
        }

        func empty(_ name: String, _ attributes: [(String, String)]) throws {
            try start(name)
            for (k, v) in attributes { try attribute(k, v) }
            try end()
        }

        func finish() throws -> String {
            try check(xmlTextWriterEndDocument(writer), "end the document")
            try check(xmlTextWriterFlush(writer), "flush")
            guard let content = xmlBufferContent(buffer) else { throw XMLError(description: "empty XML buffer") }
            let count = Int(xmlBufferLength(buffer))
            return String(decoding: UnsafeBufferPointer(start: content, count: count), as: UTF8.self)
        }
    }
}

/// XML text written straight into bytes, laid out as libxml2's text writer lays it out with indentation on: the
/// declaration, then each element on a line of its own indented two spaces a level, an element without content closed
/// with `/>`, an element holding text on one line. Attribute values and text are escaped as that writer escapes them.
struct XMLText {
    private var out: [UInt8]
    /// How many elements are open.
    private var depth = 0
    /// Whether the innermost element's start tag is still open (attributes may follow).
    private var inStartTag = false

    init(capacity: Int) {
        out = []
        out.reserveCapacity(capacity)
        append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// The document's bytes, ending in a newline.
    consuming func finish() -> [UInt8] {
        precondition(depth == 0 && !inStartTag, "an XML element was left open")
        return out
    }

    consuming func finishText() -> String {
        let bytes = finish()
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func start(_ name: StaticString) {
        closeStartTag()
        indent(depth)
        out.append(UInt8(ascii: "<"))
        append(name)
        depth += 1
        inStartTag = true
    }

    mutating func end(_ name: StaticString) {
        depth -= 1
        if inStartTag {
            append("/>\n")
            inStartTag = false
        } else {
            indent(depth)
            append("</")
            append(name)
            append(">\n")
        }
    }

    /// `<name>text</name>` on a line of its own.
    mutating func element(_ name: StaticString, _ text: String) {
        closeStartTag()
        indent(depth)
        out.append(UInt8(ascii: "<"))
        append(name)
        out.append(UInt8(ascii: ">"))
        escaped(text, XMLText.textEscapes)
        append("</")
        append(name)
        append(">\n")
    }

    mutating func attribute(_ name: StaticString, _ value: String) {
        precondition(inStartTag, "an attribute outside a start tag")
        out.append(UInt8(ascii: " "))
        append(name)
        append("=\"")
        escaped(value, XMLText.attributeEscapes)
        out.append(UInt8(ascii: "\""))
    }

    /// A date as ten bytes, `YYYY-MM-DD`.
    mutating func attribute(_ name: StaticString, _ date: CivilDate) {
        attribute(name, date.description)
    }

    mutating func attribute(_ name: StaticString, _ number: Int) {
        attribute(name, String(number))
    }

    private mutating func closeStartTag() {
        if inStartTag {
            append(">\n")
            inStartTag = false
        }
    }

    private mutating func indent(_ level: Int) {
        for _ in 0..<(2 * level) { out.append(UInt8(ascii: " ")) }
    }

    private mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// For each byte, its escape (an index into `replacements`), or 0 when it is copied as it is; 255 ends the text
    /// (a NUL: libxml2 takes C strings, so a text ends at its first NUL).
    private static let attributeEscapes: [UInt8] = table([(0, 255), (UInt8(ascii: "\n"), 1), (UInt8(ascii: "\r"), 2), (UInt8(ascii: "\t"), 3),
                                                          (UInt8(ascii: "\""), 4), (UInt8(ascii: "<"), 5), (UInt8(ascii: ">"), 6), (UInt8(ascii: "&"), 7)])
    /// Text content: `<`, `>`, `&`, `"` and carriage returns are escaped; line feeds and tabs are kept.
    private static let textEscapes: [UInt8] = table([(0, 255), (UInt8(ascii: "\r"), 2), (UInt8(ascii: "\""), 4), (UInt8(ascii: "<"), 5),
                                                     (UInt8(ascii: ">"), 6), (UInt8(ascii: "&"), 7)])
    private static let replacements: [[UInt8]] = ["", "&#10;", "&#13;", "&#9;", "&quot;", "&lt;", "&gt;", "&amp;"].map { Array($0.utf8) }

    private static func table(_ entries: [(UInt8, UInt8)]) -> [UInt8] {
        var t = [UInt8](repeating: 0, count: 256)
        for (byte, code) in entries { t[Int(byte)] = code }
        return t
    }

    private mutating func escaped(_ text: String, _ escapes: [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            escapes.withUnsafeBufferPointer { table in
                var start = 0
                for i in 0..<bytes.count {
                    let code = table[Int(bytes[i])]
                    if code == 0 { continue }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                    if code == 255 { return }
                    out.append(contentsOf: XMLText.replacements[Int(code)])
                    start = i + 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            }
        }
    }
}
