// Small helpers over libxml2's C API: one-time initialisation and C strings of xmlChar.
internal import CLibXML2

enum LibXML {
    /// `xmlInitParser` once, before any thread uses libxml2. Never cleaned up: other code may still use it.
    static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Calls `body` with `text` as a NUL-terminated `xmlChar` string.
    static func with<R>(_ text: String, _ body: (UnsafePointer<xmlChar>) throws -> R) rethrows -> R {
        var bytes = Array(text.utf8)
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}

/// A libxml2 call failed.
public struct XMLError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
