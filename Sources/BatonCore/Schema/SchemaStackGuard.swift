#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Keeps the compiler's and the validator's recursion off the end of the thread's stack.
///
/// Both recurse once per level of schema (and instance). Shallow work asks the system nothing;
/// from ``checkedDepth`` levels on, they compare the stack pointer with the current thread's
/// stack bounds, looked up once, and stop cleanly while ``reserve`` bytes remain, whatever the
/// thread's stack size (8 MiB on a Linux thread, 512 KiB on some Darwin threads).
struct SchemaStackGuard {
    /// Recursion depth below which no check is made.
    static let checkedDepth = 64
    /// Bytes of stack kept free for the frames between checks and for reporting the error.
    static let reserve: UInt = 128 * 1024

    /// The lowest stack address that may be used, once looked up; 0 when it cannot be known.
    private var limit: UInt?

    /// True while the recursion, now `depth` levels deep, may go deeper.
    @inline(__always)
    mutating func hasRoom(atDepth depth: Int) -> Bool {
        if depth < Self.checkedDepth { return true }
        return checkStack()
    }

    private mutating func checkStack() -> Bool {
        let limit = self.limit ?? Self.lowestUsableAddress()
        self.limit = limit
        guard limit != 0 else { return true }
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        return here > limit
    }

    #if !canImport(Darwin) && (canImport(Glibc) || canImport(Musl))
    private typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32

    /// `pthread_getattr_np`, a GNU extension the Swift module does not import, looked up once.
    private static let getAttributes: GetAttributes? = {
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "pthread_getattr_np") else { return nil }
        return unsafeBitCast(symbol, to: GetAttributes.self)
    }()
    #endif

    /// The current thread's lowest stack address plus ``reserve``, or 0 when unknown.
    private static func lowestUsableAddress() -> UInt {
        #if canImport(Darwin)
        let thread = pthread_self()
        let top = UInt(bitPattern: pthread_get_stackaddr_np(thread))
        let size = UInt(pthread_get_stacksize_np(thread))
        return top > size ? top - size + reserve : 0
        #elseif canImport(Glibc) || canImport(Musl)
        guard let getAttributes = Self.getAttributes else { return 0 }
        var attributes = pthread_attr_t()
        guard getAttributes(pthread_self(), &attributes) == 0 else { return 0 }
        defer { pthread_attr_destroy(&attributes) }
        var address: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attributes, &address, &size) == 0, let address else { return 0 }
        return UInt(bitPattern: address) + reserve
        #else
        return 0
        #endif
    }
}
