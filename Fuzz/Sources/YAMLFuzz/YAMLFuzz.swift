import BatonCore
import BatonSpec
import FuzzSupport

/// Feeds arbitrary bytes to the YAML workflow loader, the way `baton validate` and `baton run`
/// would read a file, and checks what must hold for any input (docs/fuzzing.md):
///
/// - it never crashes or hangs (libFuzzer's `-timeout` turns a hang into a finding);
/// - a refusal is a `SpecError` (the loader's typed `throws`) with at least one diagnostic, each
///   naming the file and a line and column of at least 1;
/// - a loaded workflow passes `validate()`, its `contentHash` is the SHA-256 of its canonical
///   `structure`, that structure survives a canonical JSON round trip, and loading the stored
///   document again (as the engine does to resume a run) gives the same version;
/// - the document as JSON (`WorkflowLoader.json(yaml:file:)`) survives a canonical JSON round trip.
///
/// The fuzzer runs in a directory of example workflows (scripts/fuzz.sh picks it), so
/// `workflow: ./summarise-one.yaml` loads a sub-workflow file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWorkflowLoader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // The loader takes text; invalid UTF-8 becomes U+FFFD, as `String(decoding:)` does.
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    checkLoad(text)
    checkJSON(text)
    return 0
}

@_cdecl("YAMLFuzz_main")
public func yamlFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzWorkflowLoader)
}

/// A loader that knows the names the seed corpus uses, so that more documents get past the
/// name checks into the graph checks.
let loader: WorkflowLoader = {
    var functions = FunctionRegistry()
    for name in ["f", "g", "fix_bug", "summarise", "classify"] {
        functions.register(name) { _ in .null }
    }
    functions.register(reducer: CustomReducer(name: "maximum") { _, update in update })
    return WorkflowLoader(functions: functions)
}()

let fileName = "fuzz.yaml"

func checkLoad(_ text: String) {
    let loaded: LoadedWorkflow
    do {
        loaded = try loader.load(yaml: text, file: fileName)
    } catch {
        checkDiagnostics(error, "load(yaml:)", text: text, file: fileName)
        return
    }
    for (number, each) in loaded.all.enumerated() {
        checkWorkflow(each, root: number == 0, text: text)
    }
}

func checkWorkflow(_ loaded: LoadedWorkflow, root: Bool, text: String) {
    let workflow = loaded.workflow
    let issues = workflow.validate()
    invariant(issues.isEmpty, "a loaded workflow fails validate(): \(issues)")
    let structure = workflow.structure
    invariant(
        workflow.contentHash == Hash.sha256Hex(structure.canonicalBytes),
        "contentHash is not the SHA-256 of the canonical structure"
    )
    checkCanonicalRoundTrip(structure, "workflow.structure")
    invariant(loaded.stored.hash == workflow.contentHash, "the stored document's hash is not the workflow's contentHash")
    if root {
        invariant(loaded.stored.source == text, "the stored document is not the text that was loaded")
        invariant(workflow.sourceHash == Hash.sha256Hex(Array(text.utf8)), "sourceHash is not the SHA-256 of the text")
    }
    // The engine resumes a run by loading the stored document again: it must be the same version.
    do {
        let again = try loader.loadDocument(loaded.stored)
        invariant(
            again.workflow.contentHash == workflow.contentHash,
            "loading the stored document again gives another version: \(again.workflow.contentHash) != \(workflow.contentHash)"
        )
    } catch {
        invariant(false, "the stored document of a loaded workflow does not load again:\n\(error)")
    }
}

func checkJSON(_ text: String) {
    do {
        let json = try WorkflowLoader.json(yaml: text, file: fileName)
        checkCanonicalRoundTrip(json, "WorkflowLoader.json(yaml:)")
    } catch {
        checkDiagnostics(error, "WorkflowLoader.json(yaml:)", text: text, file: fileName)
    }
}
