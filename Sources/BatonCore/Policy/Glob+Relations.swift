/// How two globs relate, for the overlap analysis of policies (``PolicyFinding``). Both answers
/// err on the side that keeps findings true: ``covers(_:)`` says yes only when it is sure,
/// ``mayOverlap(_:)`` says no only when it is sure.
extension Glob {
    /// Whether every name `other` matches, this glob matches too. `false` when that cannot be
    /// shown cheaply (two general globs), so that a rule is called shadowed only when it is.
    func covers(_ other: Glob) -> Bool {
        switch (form, other.form) {
        case (.anything, _): return true
        case let (_, .exact(name, _)): return matches(name)
        case let (.prefix(mine), .prefix(theirs)): return theirs.starts(with: mine)
        case let (.suffix(mine), .suffix(theirs)): return theirs.reversed().starts(with: mine.reversed())
        default: return form == other.form
        }
    }

    /// Whether some name could match both globs. `true` unless their fixed starts or fixed ends
    /// disagree (`refund_*` and `charge_*` cannot overlap; `a*` and `*b` can).
    func mayOverlap(_ other: Glob) -> Bool {
        if case let .exact(name, _) = form { return other.matches(name) }
        if case let .exact(name, _) = other.form { return matches(name) }
        let (myStart, myEnd) = fixedEnds
        let (theirStart, theirEnd) = other.fixedEnds
        let startsAgree = myStart.starts(with: theirStart) || theirStart.starts(with: myStart)
        let endsAgree = myEnd.reversed().starts(with: theirEnd.reversed()) || theirEnd.reversed().starts(with: myEnd.reversed())
        return startsAgree && endsAgree
    }

    /// The UTF-8 bytes every match starts with.
    var fixedStart: [UInt8] { Array(String(String.UnicodeScalarView(fixedEnds.start)).utf8) }

    /// The literal scalars every match starts with and ends with.
    private var fixedEnds: (start: [Unicode.Scalar], end: [Unicode.Scalar]) {
        func scalars(_ bytes: [UInt8]) -> [Unicode.Scalar] { Array(String(decoding: bytes, as: UTF8.self).unicodeScalars) }
        switch form {
        case let .exact(_, bytes): return (scalars(bytes), scalars(bytes))
        case .anything: return ([], [])
        case let .prefix(bytes): return (scalars(bytes), [])
        case let .suffix(bytes): return ([], scalars(bytes))
        case let .general(tokens):
            func literals(_ tokens: some Sequence<Token>) -> [Unicode.Scalar] {
                var scalars: [Unicode.Scalar] = []
                for token in tokens {
                    guard case let .scalar(scalar) = token else { break }
                    scalars.append(scalar)
                }
                return scalars
            }
            return (literals(tokens), literals(tokens.reversed()).reversed())
        }
    }
}

/// A list of globs in a rule means "any of them"; `nil` means "anything, even nothing".
extension [Glob] {
    /// Whether `name` is present and one of the globs matches it.
    func matchesAny(_ name: String?) -> Bool {
        guard let name else { return false }
        for index in indices where self[index].matches(name) { return true }
        return false
    }

    /// Whether every name `theirs` matches, `mine` matches too (`nil`: any value, or none).
    static func covers(_ mine: [Glob]?, _ theirs: [Glob]?) -> Bool {
        guard let mine else { return true }
        guard let theirs else { return false }
        return theirs.allSatisfy { their in mine.contains { $0.covers(their) } }
    }

    /// Whether some value could match both lists.
    static func mayOverlap(_ mine: [Glob]?, _ theirs: [Glob]?) -> Bool {
        guard let mine, let theirs else { return true }
        return mine.contains { my in theirs.contains { my.mayOverlap($0) } }
    }
}
