import BraidTensor
import Testing

/// `check` keeps its message in every build; Scripts/test runs this suite in release too, where
/// `precondition` would print only "precondition failure".
@Suite struct CheckTests {
    @Test func failedCheckPrintsItsMessageAndExits() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            check(1 + 1 == 3, "arithmetic: 1 + 1 is not 3")
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("Fatal error: arithmetic: 1 + 1 is not 3"))
        }
    }

    @Test func passingCheckDoesNotEvaluateItsMessage() {
        var evaluated = false
        check(true, { evaluated = true; return "unused" }())
        #expect(!evaluated)
    }
}
