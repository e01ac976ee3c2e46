// Validates XML against an XSD with libxml2's schema validator, collecting every message.
internal import CLibXML2

/// A parsed XSD. One instance may be shared across threads; each validation uses its own context.
public final class SchemaValidator: @unchecked Sendable {
    let schema: xmlSchemaPtr

    /// Parses the schema text; throws with libxml2's messages if it is not a valid XSD.
    public init(xsd: String) throws {
        _ = LibXML.initialized
        let collector = Collector()
        let bytes = Array(xsd.utf8)
        let parsed: xmlSchemaPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                guard let ctxt = xmlSchemaNewMemParserCtxt(chars, Int32(bytes.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(ctxt) }
                xmlSchemaSetParserStructuredErrors(ctxt, collectError, Unmanaged.passUnretained(collector).toOpaque())
                return xmlSchemaParse(ctxt)
            }
        }
        guard let parsed else {
            throw XMLError(description: "the schema does not parse: " + collector.messages.joined(separator: "; "))
        }
        schema = parsed
    }

    deinit {
        xmlSchemaFree(schema)
    }

    /// Validates an XML document held in memory. Returns the problems as `path:line: message`; empty means valid.
    public func validate(xml: String, path: String) -> [String] {
        let collector = Collector()
        let bytes = Array(xml.utf8)
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(collector).toOpaque(), collectError)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                xmlReadMemory(chars, Int32(bytes.count), path, "UTF-8", Int32(XML_PARSE_NONET.rawValue))
            }
        }
        guard let doc else {
            return collector.messages.map { "\(path): \($0)" } + (collector.messages.isEmpty ? ["\(path): not well-formed XML"] : [])
        }
        defer { xmlFreeDoc(doc) }
        guard let ctxt = xmlSchemaNewValidCtxt(schema) else { return ["\(path): could not create a validation context"] }
        defer { xmlSchemaFreeValidCtxt(ctxt) }
        xmlSchemaSetValidStructuredErrors(ctxt, collectError, Unmanaged.passUnretained(collector).toOpaque())
        let rc = xmlSchemaValidateDoc(ctxt, doc)
        if rc != 0 && collector.messages.isEmpty { return ["\(path): does not match the schema"] }
        return collector.messages.map { "\(path):\($0)" }
    }

    /// Validates a file by streaming it (memory stays small for large files).
    public func validate(fileAt path: String) -> [String] {
        let collector = Collector()
        guard let ctxt = xmlSchemaNewValidCtxt(schema) else { return ["\(path): could not create a validation context"] }
        defer { xmlSchemaFreeValidCtxt(ctxt) }
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(collector).toOpaque(), collectError)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        xmlSchemaSetValidStructuredErrors(ctxt, collectError, Unmanaged.passUnretained(collector).toOpaque())
        let rc = xmlSchemaValidateFile(ctxt, path, 0)
        if rc != 0 && collector.messages.isEmpty { return ["\(path): does not match the schema (libxml2 code \(rc))"] }
        return collector.messages.map { "\(path):\($0)" }
    }
}

/// Gathers libxml2's structured errors.
final class Collector {
    var messages: [String] = []
}

/// libxml2's structured error callback: appends "line: message" to the collector.
private let collectError: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
    var text = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    while text.hasSuffix("\n") { text.removeLast() }
    collector.messages.append("\(error.pointee.line): \(text)")
}
