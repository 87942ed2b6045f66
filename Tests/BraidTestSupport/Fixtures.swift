import BraidData
import BraidTensor
import Foundation

/// The committed reference fixtures under `Tests/Fixtures`, written by `Scripts/make-fixtures.py`.
public enum Fixtures {
    /// The absolute path of `Tests/Fixtures/<name>`.
    public static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// Opens a committed safetensors fixture.
    public static func open(_ name: String) throws -> SafeTensors {
        try SafeTensors(contentsOf: path(name))
    }
}

extension SafeTensors {
    /// The tensors whose names start with `prefix`, keyed by the rest of the name: one case's
    /// parameters or gradients in a fixture file that holds several cases.
    public func tensors(withPrefix prefix: String) throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for name in names where name.hasPrefix(prefix) {
            result[String(name.dropFirst(prefix.count))] = try tensor(name)
        }
        return result
    }
}
