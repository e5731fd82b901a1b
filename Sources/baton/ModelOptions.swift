import ArgumentParser
import BatonCore

/// Options of the commands that run agents: which model, recording and replaying, prices.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Run every agent on this model instead of its own (PROVIDER:MODEL, e.g. openai:gpt-4.1-mini).")
    var model: String?

    @Option(name: .long, help: "Record every model exchange to this cassette file (JSON Lines; no keys are written).")
    var record: String?

    @Option(name: .long, help: "Answer every model call from this cassette file, offline.")
    var replay: String?

    @Option(name: .long, help: "A prices file (YAML or JSON: MODEL: {input, output, cached_input} in USD per million tokens).")
    var prices: String?

    func validate() throws {
        if record != nil && replay != nil { throw ValidationError("--record and --replay cannot be used together") }
        if let model {
            do { _ = try ModelReference(parsing: model) } catch { throw ValidationError("--model: \(error)") }
        }
    }
}
