/// "Did you mean" suggestions and short renderings of what was found, for diagnostics.
enum Suggestions {
    /// ` (did you mean 'retry'?)` when a candidate is close to `name`, else an empty string.
    static func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String {
        guard let best = closest(to: name, among: candidates) else { return "" }
        return " (did you mean '\(best)'?)"
    }

    /// The candidate closest to `name` within a small edit distance, if any.
    static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let lowered = name.lowercased()
        let allowed = name.count <= 3 ? 1 : name.count <= 6 ? 2 : 3
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            guard distance <= allowed else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.name) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// `a, b or c`.
    static func list(_ names: [String], conjunction: String = "or") -> String {
        switch names.count {
        case 0: return "none"
        case 1: return names[0]
        default: return names.dropLast().joined(separator: ", ") + " \(conjunction) " + names[names.count - 1]
        }
    }

    /// Levenshtein distance, bounded in cost by the short strings it is used on.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(64)), b = Array(b.prefix(64))
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
