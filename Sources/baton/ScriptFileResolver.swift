import BatonCore
import BatonSpec
import BatonTesting
import Foundation
import Synchronization

/// Resolves `scripted:FILE` references: the scripted model of a YAML or JSON script file, read
/// once per file.
final class ScriptFileResolver: ModelResolver {
    private let loaded = Mutex<[String: ScriptedModel]>([:])

    func provider(for reference: ModelReference) throws -> any ModelProvider {
        guard reference.provider == "scripted" else {
            throw ModelError.unknownModel(reference: reference.description, reason: "no provider '\(reference.provider)' (known: \(EnvironmentProviders.names))")
        }
        let path = reference.model
        if let model = loaded.withLock({ $0[path] }) { return model }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ModelError.unknownModel(reference: reference.description, reason: "cannot read the script file \(path)")
        }
        let model: ScriptedModel
        do {
            model = try ScriptedModel(script: try WorkflowLoader.json(yaml: text, file: path))
        } catch {
            throw ModelError.unknownModel(reference: reference.description, reason: "the script file is not valid: \(error)")
        }
        loaded.withLock { $0[path] = model }
        return model
    }
}
