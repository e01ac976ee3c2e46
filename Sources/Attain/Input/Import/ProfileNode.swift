// The tree of an import profile as read from its text (YAML in the tool), every value a plain string with its position.

/// One node of a profile: a text, a mapping of keys to nodes, or a list, with the line and column it starts at.
///
/// Scalars stay the text written: `no`, `on` or `1.0` are never turned into booleans or numbers, so a stage called
/// `No` or a product called `1.0` means what it says.
public struct ProfileNode: Sendable {
    public enum Value: Sendable {
        case scalar(String)
        case mapping([Entry])
        case sequence([ProfileNode])
    }

    /// A key and its value, in the order written.
    public struct Entry: Sendable {
        public let key: ProfileNode
        public let value: ProfileNode

        public init(key: ProfileNode, value: ProfileNode) {
            self.key = key
            self.value = value
        }
    }

    public let value: Value
    /// 1-based line and column (in characters) where the node starts.
    public let line: Int
    public let column: Int

    public init(_ value: Value, line: Int, column: Int) {
        self.value = value
        self.line = line
        self.column = column
    }

    /// The node's text when it is a scalar.
    public var text: String? {
        if case .scalar(let s) = value { return s }
        return nil
    }

    /// What kind of node it is, as a message says it.
    var kindName: String {
        switch value {
        case .scalar: "a text"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}
