import BraidAutograd
import BraidNN
import BraidTensor
import Testing

/// Misusing a layer, loss or schedule stops the program with a message that names the values, in
/// release builds too (Scripts/test runs these in both).
@Suite struct MisuseMessageTests {
    /// Checks that a child process's standard error holds `message`.
    static func expect(_ result: ExitTest.Result?, printed message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(printed.contains(message), "\(printed)", sourceLocation: sourceLocation)
    }

    @Test func crossEntropyNamesTheShapesAndTheTarget() async {
        let shape = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(logits: Variable(Tensor.zeros([4, 3, 2])), targets: IntTensor([0, 1, 2, 0]))
        }
        Self.expect(shape, printed: "crossEntropy: logits [4, 3, 2] need shape [N, C] and targets [4] shape [N]")
        let target = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(logits: Variable(Tensor.zeros([2, 3])), targets: IntTensor([0, 7]))
        }
        Self.expect(target, printed: "crossEntropy: target 7 outside 0..<3")
    }

    @Test func dropoutNamesTheProbability() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dropout(probability: 1.5, seed: 0)
        }
        Self.expect(result, printed: "Dropout: probability 1.5 outside [0, 1)")
    }

    @Test func scheduleNamesTheSteps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = CosineWithWarmup(peak: 0.1, warmupSteps: 5, totalSteps: 3)
        }
        Self.expect(result, printed: "CosineWithWarmup: needs 0 ≤ warm-up 5 < total 3")
    }
}
