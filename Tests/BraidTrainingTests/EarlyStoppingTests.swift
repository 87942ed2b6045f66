import BraidTraining
import Foundation
import Testing

private func loss(_ epoch: Int, _ value: Float?) -> EpochRecord {
    EpochRecord(epoch: epoch, trainingLoss: 1, validationLoss: value, seconds: 1)
}

private func accuracy(_ epoch: Int, _ value: Float?) -> EpochRecord {
    EpochRecord(epoch: epoch, trainingLoss: 1, validationAccuracy: value, seconds: 1)
}

@Suite struct EarlyStoppingTests {
    @Test func stopsAfterPatienceEpochsWithoutImprovement() {
        var rule = EarlyStopping(patience: 2)
        #expect(rule.bestEpoch == nil)
        #expect(rule.update(loss(0, 1.0)) == .improved)
        #expect(rule.update(loss(1, 0.8)) == .improved)
        #expect(rule.update(loss(2, 0.9)) == .continue)
        #expect(rule.epochsWithoutImprovement == 1)
        #expect(rule.update(loss(3, 0.85)) == .stop)
        #expect(rule.bestEpoch == 1)
        #expect(rule.bestValue == 0.8)
    }

    @Test func improvementResetsTheCount() {
        var rule = EarlyStopping(patience: 2)
        _ = rule.update(loss(0, 1.0))
        #expect(rule.update(loss(1, 1.1)) == .continue)
        #expect(rule.update(loss(2, 0.7)) == .improved)
        #expect(rule.epochsWithoutImprovement == 0)
        #expect(rule.update(loss(3, 0.8)) == .continue)
        #expect(rule.update(loss(4, 0.8)) == .stop)
        #expect(rule.bestEpoch == 2)
    }

    @Test func tiesAreNotImprovements() {
        var rule = EarlyStopping(patience: 1)
        #expect(rule.update(loss(0, 0.5)) == .improved)
        #expect(rule.update(loss(1, 0.5)) == .stop)
        #expect(rule.bestEpoch == 0)
    }

    @Test func minimumImprovementIsAMargin() {
        var rule = EarlyStopping(patience: 3, minimumImprovement: 0.1, mode: .maximize)
        #expect(rule.update(accuracy(0, 0.5)) == .improved)
        #expect(rule.update(accuracy(1, 0.55)) == .continue)
        #expect(rule.update(accuracy(2, 0.75)) == .improved)
        #expect(rule.bestEpoch == 2)
        #expect(rule.bestValue == 0.75)
    }

    @Test func maximizeWatchesValidationAccuracy() {
        var rule = EarlyStopping(patience: 1, mode: .maximize)
        #expect(rule.update(EpochRecord(epoch: 0, trainingLoss: 1, validationLoss: 0.5, validationAccuracy: 0.6, seconds: 1)) == .improved)
        // Loss improves but accuracy does not: no improvement.
        #expect(rule.update(EpochRecord(epoch: 1, trainingLoss: 1, validationLoss: 0.1, validationAccuracy: 0.6, seconds: 1)) == .stop)
        #expect(rule.bestEpoch == 0)
    }

    @Test func missingOrNonFiniteValuesCountAsNoImprovement() {
        var rule = EarlyStopping(patience: 3)
        #expect(rule.update(loss(0, nil)) == .continue)
        #expect(rule.bestEpoch == nil)
        #expect(rule.update(loss(1, 0.9)) == .improved)
        #expect(rule.update(loss(2, nil)) == .continue)
        #expect(rule.update(loss(3, .nan)) == .continue)
        #expect(rule.update(loss(4, nil)) == .stop)
        #expect(rule.bestEpoch == 1)

        // Accuracy mode ignores the loss it does not watch.
        var accuracyRule = EarlyStopping(patience: 1, mode: .maximize)
        #expect(accuracyRule.update(loss(0, 0.3)) == .stop)
        #expect(accuracyRule.bestEpoch == nil)
    }

    /// Saved progress bypassed the initialiser's checks; the decoder applies them and more.
    @Test(arguments: [
        (#""patience": 0"#, "patience is 0; it must be positive"),
        (#""minimumImprovement": -1"#, "minimumImprovement is -1.0; it must be finite and not negative"),
        (#""bestEpoch": 2"#, "bestEpoch and bestValue must be both present or both absent"),
        (#""bestEpoch": 9223372036854775807, "bestValue": 0.5"#, "bestEpoch is 9223372036854775807; it must be in 0...2147483647"),
        (#""epochsWithoutImprovement": -1"#, "epochsWithoutImprovement is -1; it must be in 0...2147483647"),
    ])
    func decodingRejectsProgressNoRunReaches(field: String, problem: String) throws {
        var fields = [#""patience": 3"#, #""minimumImprovement": 0"#, #""mode": {"minimize": {}}"#, #""epochsWithoutImprovement": 0"#]
        let name = field.split(separator: ":")[0]
        fields.removeAll { $0.hasPrefix(name + ":") }
        let json = "{" + (fields + [field]).joined(separator: ", ") + "}"
        #expect {
            try JSONDecoder().decode(EarlyStopping.self, from: Data(json.utf8))
        } throws: { error in
            "\(error)".contains(problem)
        }
    }

    @Test func savedProgressRoundTrips() throws {
        var stopping = EarlyStopping(patience: 2, minimumImprovement: 0.1, mode: .maximize)
        _ = stopping.update(EpochRecord(epoch: 0, trainingLoss: 1, validationAccuracy: 0.5, seconds: 1))
        _ = stopping.update(EpochRecord(epoch: 1, trainingLoss: 1, validationAccuracy: 0.55, seconds: 1))
        #expect(try JSONDecoder().decode(EarlyStopping.self, from: JSONEncoder().encode(stopping)) == stopping)
    }
}
