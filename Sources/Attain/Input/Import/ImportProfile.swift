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
        /// The column used: the first of `alternatives` the export has (the first of all before an export is read).
        public let column: String
        /// Where the profile names the column.
        public let span: SourceSpan
        /// Every header the profile accepts for it, in order (`amount: [商机金额, 销售金额]`); one for a plain column.
        public let alternatives: [String]

        public init(column: String, span: SourceSpan, alternatives: [String]? = nil) {
            self.column = column
            self.span = span
            self.alternatives = alternatives ?? [column]
        }

        /// The source with its column chosen for a header: the first alternative the header has, else unchanged.
        func resolved(in header: [String: Int]) -> Source {
            guard alternatives.count > 1, let found = alternatives.first(where: { header[$0] != nil }), found != column else { return self }
            return Source(column: found, span: span, alternatives: alternatives)
        }

        /// The column as messages name it: `A` or `A` or `B`.
        var shown: String { alternatives.map { "`\(Suggestion.cut($0))`" }.joined(separator: " or ") }
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
    /// The field separator of every export read with the profile: `,` (the default), `;` or a tab.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Accepted date formats, tried in order.
    public var dates: [DateFormat] = [.iso]
    public var amounts = AmountLocale()
    /// The currency of an export with no currency column.
    public var defaultCurrency: Currency?
    public var blankAmount = BlankAmount.error
    public var deals = Deals()
    public var activities: Activities?
    /// Every activities section, when `activities:` is a list (Salesforce Tasks and Events): each activity export is
    /// read with the first section whose columns it has. Empty when `activities:` is one section.
    public var activitySections: [Activities] = []
    /// Roster columns an owner value is looked up in, in order.
    public var ownersBy: [String] = ["rep_id"]
    /// Owner value → rep_id, looked up before the roster.
    public var ownerTable: [String: String] = [:]
    /// Where each `owners.table` entry is written, by owner value.
    public var ownerTableSpans: [String: SourceSpan] = [:]
    public var unmappedOwners = UnmappedOwners.error
}

extension ImportProfile {
    /// The profile for one export's header: each column given as alternatives is the first of them the header has.
    func resolved(in header: [String: Int]) -> ImportProfile {
        var p = self
        p.deals.columns = deals.columns.mapValues { $0.resolved(in: header) }
        p.activities?.columns = activities?.columns.mapValues { $0.resolved(in: header) } ?? [:]
        return p
    }

    /// Every export header the profile reads (each alternative, roles, extras, derived-id and filter columns).
    var mappedColumns: Set<String> {
        var out = Set(deals.columns.values.flatMap(\.alternatives))
        out.formUnion(deals.derivedID?.columns.map(\.column) ?? [])
        out.formUnion(deals.roles.map(\.column.column))
        out.formUnion(deals.extras.map(\.column.column))
        for a in activitySections.isEmpty ? (activities.map { [$0] } ?? []) : activitySections {
            out.formUnion(a.columns.values.flatMap(\.alternatives))
            out.formUnion(a.extras.map(\.column.column))
            if let f = a.countOnly { out.insert(f.column.column) }
        }
        return out
    }

    /// The profile for an activity export with this header: the first activities section whose columns (`activity_id`,
    /// `owner`, `date` and the `count_only` column) the header has, or the first section when none fits (its missing
    /// columns are then reported).
    func choosingActivities(for header: [String: Int]) -> ImportProfile {
        guard activitySections.count > 1 else { return self }
        var p = self
        p.activities = activitySections.first { a in
            ["activity_id", "owner", "date"].allSatisfy { key in a.columns[key]?.alternatives.contains { header[$0] != nil } ?? false }
                && (a.countOnly.map { header[$0.column.column] != nil } ?? true)
        } ?? activitySections[0]
        return p
    }
}
