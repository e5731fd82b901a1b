/// The glue between a SwiftPM executable and libFuzzer.
///
/// A target built with `-sanitize=fuzzer` links libFuzzer, which owns the process's `main`. Each
/// fuzz target is compiled with `-parse-as-library`, exports its test function as
/// `LLVMFuzzerTestOneInput`, and exports `<Target>_main` (the name SwiftPM links an executable's
/// entry point under), which hands the command line to ``runLibFuzzer(_:_:_:)``.

/// The signature libFuzzer calls for each input: the bytes and their count; return 0 to keep the
/// input, -1 to tell libFuzzer not to add it to the corpus.
public typealias FuzzTestFunction = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzTestFunction
) -> CInt

/// Runs libFuzzer's driver with the process's arguments and `test`; returns its exit status.
public func runLibFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ test: FuzzTestFunction
) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, test)
}

/// The input as an array of bytes.
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}
