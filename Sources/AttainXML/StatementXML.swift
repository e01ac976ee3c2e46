// Writes a statement as XML with libxml2's streaming writer: UTF-8, a versioned namespace, fixed order.
import Attain
internal import CLibXML2

/// The XML form of a statement. It says exactly what the JSON statement says.
public enum StatementXML {
    /// The namespace of version 1 of the statement format.
    public static let namespace = "urn:attain:statement:1"

    /// The statement as an XML document (UTF-8 text, two-space indentation, final newline).
    public static func render(_ s: Statement) throws -> String {
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
        try measures(s.measures, w)
        if let t = s.totalAttainment { try w.element("total-attainment", t) }
        if !s.segments.isEmpty {
            try w.start("segments")
            for g in s.segments {
                try w.start("segment")
                for (k, v) in [("plan", g.planName), ("version", g.planVersion), ("source", g.planPath), ("from", g.from.description),
                               ("to", g.to.description), ("target-incentive", g.targetIncentive)] { try w.attribute(k, v) }
                if let p = g.proration { try w.attribute("proration", p) }
                if let t = g.totalAttainment { try w.attribute("total-attainment", t) }
                try measures(g.measures, w)
                try w.end()
            }
            try w.end()
        }
        try w.start("lines")
        for line in s.lines {
            try w.start("line")
            var attributes = [("kind", line.kind.rawValue), ("component", line.component)]
            if let v = line.dealID { attributes.append(("deal-id", v)) }
            if let v = line.closeDate { attributes.append(("close-date", v.description)) }
            if let v = line.base { attributes.append(("base", v)) }
            if let v = line.share { attributes.append(("share", v)) }
            if let v = line.rate { attributes.append(("rate", v)) }
            if let v = line.tier { attributes.append(("tier", v)) }
            if let v = line.creditedTo { attributes.append(("credited-to", v)) }
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
            for (k, v) in attributes { try w.attribute(k, v) }
            for t in line.tiers {
                try w.empty("band", [("name", t.band), ("base", t.base), ("rate", t.rate), ("amount", t.amount), ("source", t.source)])
            }
            if let r = line.reason { try w.element("reason", r) }
            try w.end()
        }
        try w.end()
        try w.empty("totals", [("earned", s.earned.text), ("adjustments", s.adjustments.text), ("paid", s.paid.text)])
        try w.end()
        return try w.finish()
    }

    static func measures(_ list: [MeasureResult], _ w: Writer) throws {
        try w.start("measures")
        for m in list {
            var attributes = [("name", m.name), ("value", m.value)]
            if let q = m.quota { attributes.append(("quota", q)) }
            if let a = m.attainment { attributes.append(("attainment", a)) }
            if let x = m.weight { attributes.append(("weight", x)) }
            if m.from.isEmpty {
                try w.empty("measure", attributes)
                continue
            }
            try w.start("measure")
            for (k, v) in attributes { try w.attribute(k, v) }
            for c in m.from {
                try w.empty("from", [("rep-id", c.repID), ("name", c.repName), ("deals", String(c.deals)), ("amount", c.amount)])
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
