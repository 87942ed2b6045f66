// concat-classify: the concatenate-and-classify multimodal model on captioned, degraded digits.
//
// Text encoder CLS features and image CNN features are fused (concatenated by default) and
// classified by Linear(512) → ReLU → Linear(classes), trained with cross-entropy and Adam. The
// same encoders are also trained alone (text only, image only), and all three are evaluated on
// test examples whose source images were never seen in training.
//
//     swift run -c release concat-classify [--fusion early|late|…] [--task digit|high-low] …
import Braid
import Foundation

do {
    let options = try ConcatClassifyOptions.parse(Array(CommandLine.arguments.dropFirst()))
    try ConcatClassifyRun(options: options).run()
} catch {
    FileHandle.standardError.write(Data("concat-classify: \(error)\n".utf8))
    exit(1)
}
