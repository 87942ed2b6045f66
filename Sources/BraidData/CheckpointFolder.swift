import Foundation

/// A Hugging Face checkpoint folder as `save_pretrained` writes it: `config.json` beside
/// `model.safetensors`. Model loaders read the configuration first, then open the weights
/// through ``openWeights(describing:)``, which refuses a configuration larger than its weights
/// before anything is allocated.
package struct CheckpointFolder {
    /// The folder.
    package let directory: String
    /// Its `config.json`.
    package let configurationPath: String

    /// The folder at `directory`; throws `ConfigurationError.unreadable` when there is none.
    package init(directory: String) throws(ConfigurationError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unreadable(path: directory, reason: "no such folder")
        }
        self.directory = directory
        configurationPath = URL(fileURLWithPath: directory).appendingPathComponent("config.json").path
    }

    /// Opens `model.safetensors` and checks that it declares at least `parameterCount` values,
    /// the size of the model the configuration describes; throws `ConfigurationError.mismatch`
    /// naming both files otherwise.
    package func openWeights(describing parameterCount: Int) throws -> SafeTensors {
        let weights = try SafeTensors(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("model.safetensors").path)
        // Each entry's count is bounded by the file size, so the sum cannot overflow.
        let stored = try weights.names.reduce(0) { $0 + (try weights.shape(of: $1).elementCount) }
        guard parameterCount <= stored else {
            throw ConfigurationError.mismatch(
                path: configurationPath,
                reason: "describes a model of \(parameterCount) parameters, but \(weights.path) holds \(stored) values")
        }
        return weights
    }
}
