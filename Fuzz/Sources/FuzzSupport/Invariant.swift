import BatonCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops the process with `message` when `condition` is false: libFuzzer records the input that
/// broke the invariant as a crash, like any other.
public func invariant(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    guard !condition else { return }
    let text = "\nINVARIANT BROKEN (\(file):\(line)): \(message())\n"
    var bytes = Array(text.utf8)
    _ = write(2, &bytes, bytes.count)
    abort()
}

/// Checks that `value`'s canonical text parses back to an equal value, and that writing that value
/// again gives the same bytes (canonical text is a fixed point); and the same of its pretty text.
public func checkCanonicalRoundTrip(_ value: JSON, _ what: @autoclosure () -> String) {
    let canonical = value.canonicalBytes
    let reparsed: JSON
    do {
        reparsed = try JSON(parsing: canonical)
    } catch {
        invariant(false, "\(what()): canonical JSON does not parse: \(error)\n\(value.canonicalString)")
        return
    }
    invariant(reparsed == value, "\(what()): canonical JSON parses to a different value\nbefore: \(value.canonicalString)\nafter:  \(reparsed.canonicalString)")
    invariant(reparsed.canonicalBytes == canonical, "\(what()): canonical JSON is not a fixed point\nbefore: \(value.canonicalString)\nafter:  \(reparsed.canonicalString)")
    let pretty = value.prettyString()
    do {
        let prettyParsed = try JSON(parsing: pretty)
        invariant(prettyParsed == value, "\(what()): pretty JSON parses to a different value\n\(pretty)")
    } catch {
        invariant(false, "\(what()): pretty JSON does not parse: \(error)\n\(pretty)")
    }
}
