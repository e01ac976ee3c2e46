// An import profile: how one CRM's export columns and values map to Attain's deals.csv and activities.csv.

/// A profile for `attain import`, decoded from its text by `ImportProfile.decode(_:file:)`.
///
/// Every column name is the export's header as written; every value map compares values trimmed of spaces.
public struct ImportProfile: Sendable {
    /// What to do with a won deal whose amount is blank.
    public enum BlankAmount: String, Sendable, CaseIterable {
        /// Refuse the import (the default).
        case error
        /// Leave the deal out, with a warning (an error under `--strict`).
        case skip
        /// Import it with amount 0.
        case zero
    }

    /// What to do with an owner value that maps to no rep.
    public enum UnmappedOwners: String, Sendable, CaseIterable {
        /// Refuse the import (the default).
        case error
        /// Leave the row out, with a warning (an error under `--strict`).
        case skip
    }

    /// What a stage value means.
    public enum StageRule: String, Sendable, CaseIterable {
        case won, lost, cancelled, open
    }

    /// Where a text comes from: a column of the export, or a fixed value the profile gives.
    public struct Source: Sendable, Hashable {
        public let column: String
        /// Where the profile names the column.
        public let span: SourceSpan
    }

    /// Which rows of an activity export count, by the value of one column.
    public struct RowFilter: Sendable {
        public let column: Source
        public let values: Set<String>
    }

    /// How deal ids are made for an export without an id column (Zoho): a prefix and the hex of the SHA-256 of the
    /// named columns' values.
    public struct DerivedID: Sendable {
        public let prefix: String
        public let columns: [Source]
    }

    /// The deals section.
    public struct Deals: Sendable {
        /// Output column (`deal_id`, `owner`, `close_date`, `amount`, `currency`, `stage`, `type`, `product`, `split`,
        /// `cancel_date`) → export column.
        public var columns: [String: Source] = [:]
        public var derivedID: DerivedID?
        /// Stage value → what it means, with where the profile says it.
        public var stages: [String: (rule: StageRule, span: SourceSpan)] = [:]
        public var types: [String: String]?
        public var products: [String: String]?
        /// Fixed values when the export has no such column.
        public var fixedType: String?
        public var fixedProduct: String?
        /// Credit role (`sdr`) → the export column naming who holds it.
        public var roles: [(role: String, column: Source)] = []
        /// Named extra columns: output name → export column.
        public var extras: [(name: String, column: Source)] = []
        /// Whether the export's other columns are passed through under plan-friendly names.
        public var passThrough = true
    }

    /// The activities section.
    public struct Activities: Sendable {
        /// Output column (`activity_id`, `owner`, `date`, `kind`, `count`) → export column.
        public var columns: [String: Source] = [:]
        public var fixedKind: String?
        public var kinds: [String: String]?
        public var countOnly: RowFilter?
        public var extras: [(name: String, column: Source)] = []
        public var passThrough = false
    }

    /// The profile's own name for reports (`name:`), or its file name.
    public var name: String
    public var path: String
    /// Accepted date formats, tried in order.
    public var dates: [DateFormat] = [.iso]
    public var amounts = AmountLocale()
    /// The currency of an export with no currency column.
    public var defaultCurrency: Currency?
    public var blankAmount = BlankAmount.error
    public var deals = Deals()
    public var activities: Activities?
    /// Roster columns an owner value is looked up in, in order.
    public var ownersBy: [String] = ["rep_id"]
    /// Owner value → rep_id, looked up before the roster.
    public var ownerTable: [String: String] = [:]
    public var unmappedOwners = UnmappedOwners.error
}
