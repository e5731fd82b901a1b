/// Runs a ``SchemaProgram`` against an instance, in one of two modes.
///
/// *Checking* (`collecting == false`) answers valid or invalid and stops at the first failure.
/// It keeps no paths and builds no strings, so validating a valid instance allocates nothing
/// but what `unevaluated*` annotations and `$dynamicRef` scopes need.
///
/// *Collecting* finds every error. It keeps a stack of path components for the instance and
/// for the schema, and renders them as JSON Pointers only when it records an error.
/// ``JSONSchema/validate(_:)`` checks first and collects only when the instance is invalid.
struct SchemaEvaluator {
    /// How many schema nodes may be nested in one evaluation: the instance's depth plus the
    /// chain of `$ref`s and in-place applicators. Deeper evaluation fails with an error, rather
    /// than exhausting the stack on a `$ref` cycle that never reaches a smaller instance; so
    /// does evaluation that would leave less than ``SchemaStackGuard/reserve`` bytes of stack.
    static let maximumDepth = 2_048
    /// How many subschemas may be applied in place (`$ref`, `allOf`…) one inside the other
    /// without descending into a member or item: more means a reference cycle that would never
    /// end, such as `{"$ref": "#"}`.
    static let maximumInPlaceDepth = 256
    /// How many subschema evaluations one validation may take: ``evaluationsPerValue`` for each
    /// value in the instance, and at least ``minimumEvaluationBudget``. Schemas can be written
    /// whose evaluation grows exponentially without any cycle (`anyOf` of references to `anyOf`s
    /// of references…); past the budget validation stops with an error instead of running for
    /// years. A 10-property object takes about 15 evaluations.
    static let minimumEvaluationBudget = 100_000
    static let evaluationsPerValue = 1_000

    let program: SchemaProgram
    private let nodes: [SchemaNode]
    private let usesDynamicScope: Bool
    /// True to find every error; false to stop at the first.
    private(set) var collecting: Bool
    private(set) var errors: [SchemaValidationError] = []
    private var instancePath: [SchemaPathComponent] = []
    private var schemaPath: [SchemaPathComponent] = []
    /// The resources evaluation has entered, outermost first, for `$dynamicRef`.
    private var dynamicScope: [Int] = []
    private var depth = 0
    /// In-place applications since the last descent into a member or item.
    private var inPlaceDepth = 0
    /// The subschemas applied in place since the last descent: one applied again is a cycle that
    /// can never end, since the instance is the same.
    private var inPlaceChain: [Int] = []
    /// Subschema evaluations left (see ``minimumEvaluationBudget``); the instance's share is
    /// added only if the minimum runs out, so that small validations never count values.
    private var budget = SchemaEvaluator.minimumEvaluationBudget
    private var budgetExtended = false
    /// The instance being validated, whose size sets the budget.
    private var root: JSON = .null
    /// Why evaluation stopped early, once it has.
    private var stopped: Stop?
    private var reportedStop = false

    private enum Stop {
        case cycle
        case budget
    }
    private var stack = SchemaStackGuard()

    init(program: SchemaProgram, collecting: Bool) {
        self.program = program
        self.nodes = program.nodes
        self.usesDynamicScope = program.usesDynamicScope
        self.collecting = collecting
    }

    /// Evaluates the root schema against `instance`; true when it is valid.
    mutating func run(_ instance: JSON) -> Bool {
        root = instance
        var none: EvaluatedLocations?
        return evaluate(program.root, instance, &none)
    }

    // MARK: - Nodes

    /// Evaluates node `index` against `instance`. When `annotations` is not `nil`, what the node
    /// evaluated is added to it, if the node passes.
    mutating func evaluate(_ index: Int, _ instance: JSON, _ annotations: inout EvaluatedLocations?) -> Bool {
        switch nodes[index].body {
        case .alwaysValid:
            return true
        case .alwaysInvalid:
            if collecting { report("no value is allowed here (the schema is false)") }
            return false
        case .keywords:
            break
        }
        if nodes[index].isLeaf {
            var none: EvaluatedLocations?
            return evaluateKeywords(of: index, instance, &none)
        }
        depth += 1
        defer { depth -= 1 }
        budget -= 1
        if budget < 0, stopped == nil {
            if !budgetExtended {
                budgetExtended = true
                budget += root.valueCount * Self.evaluationsPerValue
            }
            if budget < 0 { stopped = .budget }
        }
        guard stopped == nil, depth <= Self.maximumDepth, inPlaceDepth <= Self.maximumInPlaceDepth, stack.hasRoom(atDepth: depth) else {
            if collecting { reportTooDeep() }
            return false
        }
        var enteredResource = false
        if usesDynamicScope, dynamicScope.last != nodes[index].resource {
            dynamicScope.append(nodes[index].resource)
            enteredResource = true
        }
        defer { if enteredResource { dynamicScope.removeLast() } }

        var local: EvaluatedLocations? = annotations != nil || nodes[index].collectsAnnotations ? EvaluatedLocations() : nil
        let valid = evaluateKeywords(of: index, instance, &local)
        if valid, let local { annotations?.merge(local) }
        return valid
    }

    private mutating func evaluateKeywords(of index: Int, _ instance: JSON, _ local: inout EvaluatedLocations?) -> Bool {
        var valid = true
        if let types = nodes[index].types, !types.admits(instance) {
            guard collecting else { return false }
            report(keyword: "type", "expected \(types.phrase), got \(SchemaMessages.describe(instance))")
            valid = false
        }
        if !nodes[index].general.isEmpty {
            for keyword in nodes[index].general where !evaluateGeneral(keyword, instance, &local) {
                guard collecting else { return false }
                valid = false
            }
        }
        switch instance {
        case let .object(members):
            if !nodes[index].object.isEmpty {
                for keyword in nodes[index].object where !evaluateObject(keyword, instance, members, &local) {
                    guard collecting else { return false }
                    valid = false
                }
            }
            if let unevaluated = nodes[index].unevaluatedProperties,
                !evaluateUnevaluatedProperties(unevaluated, members, &local)
            {
                valid = false
            }
        case let .array(items):
            if !nodes[index].array.isEmpty {
                for keyword in nodes[index].array where !evaluateArray(keyword, items, &local) {
                    guard collecting else { return false }
                    valid = false
                }
            }
            if let unevaluated = nodes[index].unevaluatedItems, !evaluateUnevaluatedItems(unevaluated, items, &local) {
                valid = false
            }
        case let .string(text):
            if let rules = nodes[index].string, !evaluateString(rules, text) {
                guard collecting else { return false }
                valid = false
            }
        case .int, .double:
            if let rules = nodes[index].number, !evaluateNumber(rules, instance) {
                guard collecting else { return false }
                valid = false
            }
        case .null, .bool:
            break
        }
        return valid
    }

    // MARK: - Keywords for any instance

    private mutating func evaluateGeneral(_ keyword: SchemaKeyword, _ instance: JSON, _ local: inout EvaluatedLocations?) -> Bool {
        switch keyword {
        case let .constant(value):
            if SchemaEquality.equal(instance, value) { return true }
            if collecting { report(keyword: "const", "must be \(SchemaMessages.quote(value))") }
            return false
        case let .enumeration(options):
            if SchemaEquality.contains(options, instance) { return true }
            if collecting {
                report(keyword: "enum", "must be one of \(SchemaMessages.list(options)), got \(SchemaMessages.quote(instance))")
            }
            return false
        case let .ref(target):
            return evaluateInPlace(target, instance, "$ref", nil, &local)
        case let .dynamicRef(target, anchor):
            let resolved = anchor.flatMap(dynamicTarget) ?? target
            return evaluateInPlace(resolved, instance, "$dynamicRef", nil, &local)
        case let .allOf(subschemas):
            var valid = true
            for (position, subschema) in subschemas.enumerated()
            where !evaluateInPlace(subschema, instance, "allOf", .index(position), &local) {
                guard collecting else { return false }
                valid = false
            }
            return valid
        case let .anyOf(subschemas):
            return evaluateAlternatives(subschemas, instance, keyword: "anyOf", &local)
        case let .oneOf(subschemas):
            return evaluateAlternatives(subschemas, instance, keyword: "oneOf", &local)
        case let .not(subschema):
            var none: EvaluatedLocations?
            if !silently({ $0.evaluateInPlace(subschema, instance, "not", nil, &none) }) { return true }
            if collecting { report(keyword: "not", "must not match the schema in 'not'") }
            return false
        case let .conditional(conditional):
            if silently({ $0.evaluateInPlace(conditional.condition, instance, "if", nil, &local) }) {
                guard let then = conditional.then else { return true }
                return evaluateInPlace(then, instance, "then", nil, &local)
            }
            guard let otherwise = conditional.otherwise else { return true }
            return evaluateInPlace(otherwise, instance, "else", nil, &local)
        default:
            return true
        }
    }

    /// `anyOf` and `oneOf`. Checking stops as soon as the answer is known, unless annotations are
    /// being collected; collecting turns the failing branches' errors into one error that sums
    /// them up, because the instance only needs to satisfy one of them.
    private mutating func evaluateAlternatives(
        _ subschemas: [Int], _ instance: JSON, keyword: String, _ local: inout EvaluatedLocations?
    ) -> Bool {
        let isOneOf = keyword == "oneOf"
        let firstError = errors.count
        var branchErrors: [[SchemaValidationError]] = []
        var matches: [Int] = []
        for (position, subschema) in subschemas.enumerated() {
            let mark = errors.count
            if evaluateInPlace(subschema, instance, keyword, .index(position), &local) {
                matches.append(position)
                if !collecting, local == nil, !isOneOf || matches.count > 1 { break }
            } else if collecting {
                branchErrors.append(Array(errors[mark...]))
            }
        }
        let valid = isOneOf ? matches.count == 1 : !matches.isEmpty
        guard collecting else { return valid }
        errors.removeSubrange(firstError...)
        if valid { return true }
        if matches.count > 1 {
            let list = matches.map(String.init)
            report(
                keyword: keyword,
                "must match exactly one of the schemas in 'oneOf', but matches \(matches.count) (schemas \(list.dropLast().joined(separator: ", ")) and \(list.last ?? ""))")
        } else {
            report(keyword: keyword, noMatchMessage(keyword, branchErrors))
        }
        return false
    }

    /// "must match at least one of the schemas in 'anyOf', but matches none: schema 1: …; schema 0: …",
    /// the branches with the fewest errors (the likeliest intended) first.
    @inline(never)
    private func noMatchMessage(_ keyword: String, _ branchErrors: [[SchemaValidationError]]) -> String {
        let shown = 3
        let closest = branchErrors.enumerated().sorted { $0.element.count < $1.element.count }.prefix(shown)
        let reasons = closest.map { position, errors in "schema \(position): " + summary(of: errors) }
        let more = branchErrors.count > shown ? "; \(branchErrors.count - shown) more schemas fail too" : ""
        let quantity = keyword == "oneOf" ? "exactly one" : "at least one"
        return "must match \(quantity) of the schemas in '\(keyword)', but matches none: \(reasons.joined(separator: "; "))\(more)"
    }

    /// The first errors of a failed branch, in a phrase.
    private func summary(of branchErrors: [SchemaValidationError]) -> String {
        let here = SchemaPathComponent.pointer(instancePath)
        let phrases = branchErrors.prefix(2).map { error in
            error.instancePath == here ? error.message : "at \(error.instancePath): \(error.message)"
        }
        let more = branchErrors.count > 2 ? " (and \(branchErrors.count - 2) more)" : ""
        return phrases.joined(separator: ", ") + more
    }

    /// The node a `$dynamicRef` to `anchor` lands on: the anchor in the outermost resource of the
    /// dynamic scope that has one.
    private func dynamicTarget(_ anchor: String) -> Int? {
        for resource in dynamicScope where resource < program.dynamicAnchors.count {
            if let node = program.dynamicAnchors[resource][anchor] { return node }
        }
        return nil
    }

    // MARK: - Descending

    /// Evaluates a subschema applied to the same instance (`$ref`, `allOf`, `then`…): the schema
    /// path grows by `keyword` (and `component`), the instance path does not.
    mutating func evaluateInPlace(
        _ subschema: Int, _ instance: JSON, _ keyword: String, _ component: SchemaPathComponent?,
        _ local: inout EvaluatedLocations?
    ) -> Bool {
        if inPlaceChain.contains(subschema) {
            stopped = .cycle
            if collecting { reportTooDeep() }
            return false
        }
        inPlaceDepth += 1
        inPlaceChain.append(subschema)
        defer {
            inPlaceDepth -= 1
            inPlaceChain.removeLast()
        }
        guard collecting else { return evaluate(subschema, instance, &local) }
        schemaPath.append(.key(keyword))
        if let component { schemaPath.append(component) }
        defer { schemaPath.removeLast(component == nil ? 1 : 2) }
        return evaluate(subschema, instance, &local)
    }

    /// Evaluates a subschema applied to a member or item of the instance: both paths grow.
    /// `forbidden` words the error when the subschema is `false`.
    mutating func evaluateChild(
        _ subschema: Int, _ value: JSON, at location: SchemaPathComponent, _ keyword: String,
        _ component: SchemaPathComponent?, forbidden: @autoclosure () -> String
    ) -> Bool {
        if !collecting, let types = nodes[subschema].onlyTypes { return types.admits(value) }
        var none: EvaluatedLocations?
        let enclosing = (inPlaceDepth, inPlaceChain)
        inPlaceDepth = 0
        inPlaceChain = []
        defer { (inPlaceDepth, inPlaceChain) = enclosing }
        guard collecting else { return evaluate(subschema, value, &none) }
        instancePath.append(location)
        schemaPath.append(.key(keyword))
        if let component { schemaPath.append(component) }
        defer {
            instancePath.removeLast()
            schemaPath.removeLast(component == nil ? 1 : 2)
        }
        if case .alwaysInvalid = nodes[subschema].body {
            report(forbidden())
            return false
        }
        return evaluate(subschema, value, &none)
    }

    /// Evaluates a subschema against an item whose errors are not reported (for `contains`).
    mutating func evaluateItem(_ subschema: Int, _ item: JSON) -> Bool {
        var none: EvaluatedLocations?
        let enclosing = (inPlaceDepth, inPlaceChain)
        inPlaceDepth = 0
        inPlaceChain = []
        defer { (inPlaceDepth, inPlaceChain) = enclosing }
        return evaluate(subschema, item, &none)
    }

    /// Runs `body` in checking mode: for subschemas whose failure is not an error (`if`, `not`,
    /// `contains`).
    mutating func silently(_ body: (inout SchemaEvaluator) -> Bool) -> Bool {
        guard collecting else { return body(&self) }
        collecting = false
        defer { collecting = true }
        return body(&self)
    }

    // MARK: - Reporting

    /// Records that evaluation went too deep: a reference cycle (``maximumInPlaceDepth``), more
    /// nested schemas than ``maximumDepth``, or more than the thread's stack holds.
    @inline(never)
    private mutating func reportTooDeep() {
        // Once evaluation has stopped, every enclosing subschema fails too: say why once.
        if stopped != nil {
            guard !reportedStop else { return }
            reportedStop = true
        }
        if stopped == .budget {
            report("the schema takes too long to evaluate on this value (its budget of subschema evaluations ran out); simplify its anyOf/oneOf and $ref structure")
        } else if stopped == .cycle || inPlaceDepth > Self.maximumInPlaceDepth {
            report("the schema applies itself to this value without end: a $ref cycle that never reaches a member or item")
        } else {
            report("the value is nested too deeply to validate (more than \(depth - 1) schemas deep)")
        }
    }

    /// Records an error at the current instance and schema paths.
    mutating func report(_ message: String) {
        errors.append(
            SchemaValidationError(
                instancePath: SchemaPathComponent.pointer(instancePath),
                schemaPath: SchemaPathComponent.pointer(schemaPath), message: message))
    }

    /// Records an error for `keyword` of the current schema.
    mutating func report(keyword: String, _ message: String) {
        schemaPath.append(.key(keyword))
        report(message)
        schemaPath.removeLast()
    }

    /// Records an error for `keyword`/`component` of the current schema.
    mutating func report(keyword: String, _ component: SchemaPathComponent, _ message: String) {
        schemaPath.append(.key(keyword))
        schemaPath.append(component)
        report(message)
        schemaPath.removeLast(2)
    }

    /// Rewrites the messages of the errors recorded since `mark`.
    mutating func rewriteErrors(since mark: Int, _ transform: (String) -> String) {
        for position in mark..<errors.count { errors[position].message = transform(errors[position].message) }
    }

    /// The number of errors recorded so far.
    var errorCount: Int { errors.count }
}

extension JSON {
    /// How many values this value holds, itself included.
    var valueCount: Int {
        switch self {
        case let .array(elements): return elements.reduce(1) { $0 + $1.valueCount }
        case let .object(members): return members.values.reduce(1) { $0 + $1.valueCount }
        default: return 1
        }
    }
}
