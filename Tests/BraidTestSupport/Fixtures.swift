import BraidData
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
