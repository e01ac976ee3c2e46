// Checks JSON documents against a JSON Schema: the subset the statement schema uses.
import Attain
import Foundation

/// Validates JSON against a schema using `type` (not `boolean`), `required`, `properties`, `additionalProperties`,
/// `items`, `pattern`, `enum`, `const` and local `$ref`s (`#/$defs/name`).
public struct JSONSchemaValidator {
    let root: [String: Any]

    public struct SchemaError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(schema text: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw SchemaError(description: "the schema is not a JSON object")
        }
        root = object
    }

    /// Problems as `path: /lines/0/amount: message`; empty means valid.
    public func validate(json text: String, path: String) -> [String] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            return ["\(path): not valid JSON"]
        }
        // A reader keeps one of two equal keys, and readers differ in which: a statement must not have any.
        if let d = JSONSchemaValidator.duplicateKey(in: text) {
            return ["\(path):\(d.line):\(d.column): duplicate key `\(Diagnostics.visible(d.key))` (first at line \(d.first.line), column \(d.first.column)); a JSON reader keeps only one of them"]
        }
        var problems: [String] = []
        check(value, against: root, at: "", problems: &problems)
        return problems.map { "\(path): \($0)" }
    }

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/$defs/"),
              let defs = root["$defs"] as? [String: Any],
              let target = defs[String(ref.dropFirst("#/$defs/".count))] as? [String: Any] else { return schema }
        return target
    }

    static func typeName(_ v: Any) -> String {
        switch v {
        case is String: return "string"
        case let n as NSNumber:
            // The statement schema has no booleans; a number is an integer unless it has a fraction.
            return n.stringValue.contains(".") ? "number" : "integer"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        case is NSNull: return "null"
        default: return "unknown"
        }
    }

    static func same(_ a: Any, _ b: Any) -> Bool {
        (a as? NSObject)?.isEqual(b) ?? false
    }

    func check(_ value: Any, against raw: [String: Any], at pointer: String, problems: inout [String]) {
        let schema = resolve(raw)
        let here = pointer.isEmpty ? "/" : pointer
        if let type = schema["type"] as? String {
            let actual = JSONSchemaValidator.typeName(value)
            if actual != type && !(type == "number" && actual == "integer") {
                problems.append("\(here): expected \(type), found \(actual)")
                return
            }
        }
        if let constant = schema["const"], !JSONSchemaValidator.same(constant, value) {
            problems.append("\(here): must be \(constant)")
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { JSONSchemaValidator.same($0, value) }) {
            problems.append("\(here): must be one of \(options.map { "\($0)" }.joined(separator: ", "))")
        }
        if let pattern = schema["pattern"] as? String, let s = value as? String,
           let regex = try? NSRegularExpression(pattern: pattern),
           regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil {
            problems.append("\(here): `\(s)` does not match \(pattern)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in (schema["required"] as? [String] ?? []) where object[name] == nil {
                problems.append("\(here): missing `\(name)`")
            }
            for key in object.keys.sorted() {
                if let sub = properties[key] as? [String: Any] {
                    check(object[key]!, against: sub, at: pointer + "/" + key, problems: &problems)
                } else if (schema["additionalProperties"] as? Bool) == false {
                    problems.append("\(here): unexpected key `\(key)`")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, item) in array.enumerated() {
                check(item, against: items, at: pointer + "/\(i)", problems: &problems)
            }
        }
    }

    /// A key given twice in one object of `text` (which must be valid JSON), with the 1-based line and column (in
    /// characters) of its second and first occurrence. Keys are compared after their escapes are read, so `"a"` and
    /// `"\u0061"` are the same key.
    static func duplicateKey(in text: String) -> (key: String, line: Int, column: Int, first: (line: Int, column: Int))? {
        let b = Array(text.utf8)
        /// One open object (its keys and where each was) or array; `expectingKey` while a key may come next.
        struct Frame {
            var isObject: Bool
            var keys: [String: Int] = [:]
            var expectingKey = true
        }
        var stack: [Frame] = []
        func position(_ offset: Int) -> (line: Int, column: Int) {
            var lineStart = 0, line = 1
            for k in 0..<offset where b[k] == UInt8(ascii: "\n") {
                line += 1
                lineStart = k + 1
            }
            return (line, String(decoding: b[lineStart..<offset], as: UTF8.self).count + 1)
        }
        var i = 0
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "{"):
                stack.append(Frame(isObject: true))
            case UInt8(ascii: "["):
                stack.append(Frame(isObject: false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                stack.removeLast()
            case UInt8(ascii: ","):
                if !stack.isEmpty, stack[stack.count - 1].isObject { stack[stack.count - 1].expectingKey = true }
            case UInt8(ascii: ":"):
                stack[stack.count - 1].expectingKey = false
            case UInt8(ascii: "\""):
                let start = i
                i += 1
                while i < b.count && b[i] != UInt8(ascii: "\"") {
                    i += b[i] == UInt8(ascii: "\\") ? 2 : 1
                }
                if !stack.isEmpty, stack[stack.count - 1].isObject, stack[stack.count - 1].expectingKey {
                    let literal = Data(b[start...min(i, b.count - 1)])
                    let key = (try? JSONSerialization.jsonObject(with: literal, options: [.fragmentsAllowed])) as? String
                        ?? String(decoding: b[start + 1..<min(i, b.count)], as: UTF8.self)
                    if let first = stack[stack.count - 1].keys[key] {
                        let here = position(start)
                        return (key, here.line, here.column, position(first))
                    }
                    stack[stack.count - 1].keys[key] = start
                }
            default:
                break
            }
            i += 1
        }
        return nil
    }
}
