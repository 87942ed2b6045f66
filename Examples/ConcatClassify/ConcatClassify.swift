import ArgumentParser
import BraidDistributed

/// concat-classify: the concatenate-and-classify multimodal model on captioned, degraded digits.
///
/// Text encoder CLS features and image CNN features are fused (concatenated by default) and
/// classified by Linear(512) → ReLU → Linear(classes), trained with cross-entropy and Adam. The
/// same encoders are also trained alone (text only, image only), and all three are evaluated on
/// test examples whose source images were never seen in training.
@main
struct ConcatClassify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concat-classify",
        abstract: "Fuse a text encoder and an image CNN to classify captioned, degraded digits.",
        discussion: """
            Trains the fused model and the same encoders alone (text only, image only), tests all three \
            on held-out source images, and writes a JSON report with an SVG of the training curves.
            """)

    @OptionGroup var options: ConcatClassifyOptions

    func run() throws {
        guard options.distributed else { return try ConcatClassifyRun(options: options).run() }
        ProcessGroup.abortingOnError { try ConcatClassifyRun(options: options).run() }
    }
}
