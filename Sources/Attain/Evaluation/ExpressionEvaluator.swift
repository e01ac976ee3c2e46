// Evaluates checked expressions exactly, over an environment that supplies deal fields and period figures.

/// What an expression may read. Which members are reachable was decided by the checker.
protocol ExpressionEnvironment {
    func dealField(_ field: DealField) throws -> Value
    func measureValue(_ i: Int) throws -> Value
    func measureQuota(_ i: Int) throws -> Value
    func measureAttainment(_ i: Int) throws -> Value
    func totalAttainment() throws -> Value
    func targetIncentive() throws -> Value
    func activityField(_ field: ActivityField) throws -> Value
}

extension ExpressionEnvironment {
    /// Only a measure of activities reads them (the checker sees to it); anywhere else this is an engine defect.
    func activityField(_ field: ActivityField) throws -> Value { throw UnexpectedValue(description: "activity field outside a measure of activities") }
}

/// A value of a type the checker should have ruled out; reaching it is an engine defect, reported not crashed.
struct UnexpectedValue: Error, CustomStringConvertible {
    let description: String
}

enum ExpressionEvaluator {
    static func evaluate(_ e: CheckedExpr, in env: some ExpressionEnvironment) throws -> Value {
        switch e {
        case .constant(let v): return v
        case .dealField(let f): return try env.dealField(f)
        case .activityField(let f): return try env.activityField(f)
        case .measureValue(let i): return try env.measureValue(i)
        case .measureQuota(let i): return try env.measureQuota(i)
        case .measureAttainment(let i): return try env.measureAttainment(i)
        case .totalAttainment: return try env.totalAttainment()
        case .targetIncentive: return try env.targetIncentive()
        case .negate(let inner):
            switch try evaluate(inner, in: env) {
            case .money(let r, let c): return .money(r.negated(), c)
            case .percent(let r): return .percent(r.negated())
            case .number(let r): return .number(r.negated())
            default: throw UnexpectedValue(description: "negation of a non-number")
            }
        case .not(let inner):
            return .bool(!(try truth(inner, in: env)))
        case .logical(let op, let a, let b):
            let left = try truth(a, in: env)
            if op == .and { return .bool(left ? try truth(b, in: env) : false) }
            return .bool(left ? true : try truth(b, in: env))
        case .compare(let op, let a, let b):
            let x = try evaluate(a, in: env), y = try evaluate(b, in: env)
            if op == .equal || op == .notEqual { return .bool(try same(x, y) == (op == .equal)) }
            let c = try order(x, y)
            switch op {
            case .less: return .bool(c < 0)
            case .lessOrEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            case .greaterOrEqual: return .bool(c >= 0)
            default: throw UnexpectedValue(description: "comparison operator")
            }
        case .member(let subject, let items, let negated):
            let v = try evaluate(subject, in: env)
            var found = false
            for item in items where try same(v, item) {
                found = true
                break
            }
            return .bool(found != negated)
        case .arithmetic(let op, let a, let b):
            let x = try evaluate(a, in: env)
            let y = try evaluate(b, in: env)
            guard let l = x.numeric, let r = y.numeric else { throw UnexpectedValue(description: "arithmetic on a non-number") }
            let result: Ratio
            switch op {
            case .add: result = try l.adding(r)
            case .subtract: result = try l.subtracting(r)
            default: result = try l.multiplied(by: r)
            }
            switch (x, y) {
            case (.money(_, let c), _), (_, .money(_, let c)): return .money(result, c)
            case (.percent, _), (_, .percent): return op == .add || op == .subtract || op == .multiply || op == .of ? .percent(result) : .number(result)
            default: return .number(result)
            }
        }
    }

    static func truth(_ e: CheckedExpr, in env: some ExpressionEnvironment) throws -> Bool {
        guard case .bool(let b) = try evaluate(e, in: env) else { throw UnexpectedValue(description: "a condition that is not true or false") }
        return b
    }

    /// Whether two values of the same type are equal. Texts are compared for equality only, not ordered.
    static func same(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.text(let x), .text(let y)): return x == y
        default: return try order(a, b) == 0
        }
    }

    /// Orders two values of the same type; text and booleans only by equality.
    static func order(_ a: Value, _ b: Value) throws -> Int {
        switch (a, b) {
        case (.date(let x), .date(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.text(let x), .text(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : 1
        default:
            guard let x = a.numeric, let y = b.numeric else { throw UnexpectedValue(description: "comparison of different types") }
            return try Ratio.compare(x, y)
        }
    }
}
