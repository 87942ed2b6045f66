import BraidTraining
import Testing

/// Collects the bar's output and drives its clock.
private final class Harness {
    var text: [String] = []
    var now = 0.0

    func bar(epochs: Int, steps: Int, terminal: Bool) -> ProgressBar {
        ProgressBar(epochs: epochs, stepsPerEpoch: steps, output: { self.text.append($0) },
                    isTerminal: terminal, clock: { self.now })
    }
}

@Suite struct ProgressBarTests {
    @Test func plainOutputPrintsEveryTenthOfAnEpochAndASummary() {
        let h = Harness()
        var bar = h.bar(epochs: 2, steps: 20, terminal: false)
        for step in 1...20 {
            h.now = 0.5 * Double(step)
            bar.update(epoch: 0, step: step, loss: 0.5, samples: 32)
        }
        bar.finishEpoch(record: EpochRecord(epoch: 0, trainingLoss: 0.5, validationLoss: 0.25,
                                            validationAccuracy: 0.875, seconds: 10))
        #expect(h.text.count == 11)
        #expect(h.text[0] == "epoch 1/2 [#...........] step 2/20 loss 0.5000 64 samples/s ETA 0:19\n")
        #expect(h.text[1] == "epoch 1/2 [##..........] step 4/20 loss 0.5000 64 samples/s ETA 0:18\n")
        #expect(h.text[9] == "epoch 1/2 [############] step 20/20 loss 0.5000 64 samples/s ETA 0:10\n")
        #expect(h.text[10] == "epoch 1/2 train loss 0.5000 val loss 0.2500 val acc 0.8750 (10.0s)\n")

        // The second epoch is timed from the summary.
        h.text = []
        h.now = 12
        bar.update(epoch: 1, step: 2, loss: 0.125, samples: 100)
        #expect(h.text == ["epoch 2/2 [#...........] step 2/20 loss 0.1250 50 samples/s ETA 0:18\n"])
    }

    @Test func terminalOutputRedrawsOneLineAtMostTenTimesASecond() {
        let h = Harness()
        var bar = h.bar(epochs: 1, steps: 3, terminal: true)
        h.now = 1
        bar.update(epoch: 0, step: 1, loss: 1, samples: 10)
        h.now = 1.05
        bar.update(epoch: 0, step: 2, loss: 0.75, samples: 10)
        h.now = 3
        bar.update(epoch: 0, step: 3, loss: 0.5, samples: 10)
        bar.finishEpoch(record: EpochRecord(epoch: 0, trainingLoss: 0.25, seconds: 3))
        #expect(h.text == [
            "\repoch 1/1 [####........] step 1/3 loss 1.0000 10 samples/s ETA 0:02\u{1B}[K",
            "\repoch 1/1 [############] step 3/3 loss 0.5000 10 samples/s ETA 0:00\u{1B}[K",
            "\repoch 1/1 train loss 0.2500 (3.0s)\u{1B}[K\n",
        ])
    }

    @Test func showsDashesBeforeTimePassesAndHoursInLongETAs() {
        let h = Harness()
        var bar = h.bar(epochs: 100, steps: 1, terminal: false)
        bar.update(epoch: 0, step: 1, loss: 2, samples: 8)
        #expect(h.text == ["epoch 1/100 [############] step 1/1 loss 2.0000 -- samples/s ETA --\n"])
        bar.finishEpoch(record: EpochRecord(epoch: 0, trainingLoss: 2, seconds: 0))
        h.text = []
        h.now = 100
        bar.update(epoch: 1, step: 1, loss: 2, samples: 8)
        #expect(h.text == ["epoch 2/100 [############] step 1/1 loss 2.0000 0 samples/s ETA 2:43:20\n"])
    }
}
