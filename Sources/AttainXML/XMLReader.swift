// Reads attribute values back out of an XML document, to check that what was written round-trips.
internal import CLibXML2

public enum XMLReader {
    /// Every value of `attribute` on elements named `element` (any namespace), in document order.
    public static func attributeValues(in xml: String, element: String, attribute: String) throws -> [String] {
        _ = LibXML.initialized
        let bytes = Array(xml.utf8)
        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                xmlReadMemory(chars, Int32(bytes.count), "memory.xml", "UTF-8", Int32(XML_PARSE_NONET.rawValue))
            }
        }
        guard let doc else { throw XMLError(description: "not well-formed XML") }
        defer { xmlFreeDoc(doc) }
        var values: [String] = []
        func walk(_ node: xmlNodePtr?) {
            var n = node
            while let current = n {
                if current.pointee.type == XML_ELEMENT_NODE, String(cString: current.pointee.name) == element {
                    let value = LibXML.with(attribute) { xmlGetProp(current, $0) }
                    if let value {
                        values.append(String(cString: value))
                        attain_xml_free(value)
                    }
                }
                walk(current.pointee.children)
                n = current.pointee.next
            }
        }
        walk(xmlDocGetRootElement(doc))
        return values
    }
}
