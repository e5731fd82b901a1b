#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to a server that has just died must fail with an error, not kill this process with
/// SIGPIPE: the first stdio transport sets SIGPIPE to be ignored, process-wide. (Children start
/// with the default disposition again: Subprocess resets every signal when it spawns.)
enum IgnoreBrokenPipes {
    private static let ignored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Ignores SIGPIPE from now on; cheap to call again.
    static func once() { ignored }
}
