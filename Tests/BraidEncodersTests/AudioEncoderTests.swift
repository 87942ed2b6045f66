import BraidAutograd
import BraidEncoders
import BraidNN
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

@Suite struct AudioEncoderTests {
    /// A 0.5 s chirp at 16 kHz.
    func chirp(_ count: Int, pitch: Float) -> [Float] {
        (0..<count).map { i in
            let t = Float(i) / 16000
            return 0.5 * Float(sin(Double(2 * Float.pi * (pitch + 200 * t) * t)))
        }
    }

    @Test func sharedInterfaceShapesAndPadding() {
        var generator = RandomGenerator(seed: 0)
        let encoder = AudioEncoder(generator: &generator)
        encoder.eval()
        let long = chirp(8000, pitch: 300), short = chirp(4000, pitch: 500)
        let batch = AudioBatch(samples: Tensor(shape: [2, 8000], scalars: long + short + [Float](repeating: 0, count: 4000)),
                               lengths: [8000, 4000])
        let features = encoder.encode(batch)
        let positions = encoder.positionCount(forSampleCount: 8000)
        #expect(positions == 13)
        #expect(features.sequence.shape == [2, positions, 128])
        #expect(features.pooled.shape == [2, 128])
        let padding = features.paddingMask!
        #expect(padding.sliced(axis: 0, start: 0, end: 1).scalars.allSatisfy { $0 == 0 })
        let shortPositions = encoder.positionCount(forSampleCount: 4000)
        #expect(padding.sliced(axis: 0, start: 1, end: 2).scalars == (0..<positions).map { $0 < shortPositions ? 0 : 1 })
    }

    @Test func trainsOnTwoClassesOfTones() {
        var generator = RandomGenerator(seed: 1)
        let encoder = AudioEncoder(AudioEncoderConfiguration(hiddenSize: 32, layerCount: 1, headCount: 2, feedForwardSize: 64, dropout: 0),
                                   generator: &generator)
        let classifier = Linear(inputFeatures: 32, outputFeatures: 2, generator: &generator)
        let waves = [chirp(3200, pitch: 200), chirp(3200, pitch: 2000), chirp(3200, pitch: 250), chirp(3200, pitch: 2500)]
        let batch = AudioBatch(samples: Tensor(shape: [4, 3200], scalars: waves.flatMap { $0 }))
        let labels = IntTensor([0, 1, 0, 1])
        let optimizer = Adam(parameters: encoder.parameters() + classifier.parameters(), learningRate: 3e-3)
        var losses: [Float] = []
        for _ in 0..<8 {
            optimizer.zeroGrad()
            let loss = crossEntropy(logits: classifier(encoder.encode(batch).pooled), targets: labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.value.scalar)
        }
        #expect(losses.last! < losses.first! * 0.7, "\(losses)")
        #expect(encoder.conv1.weight.grad != nil)
    }
}
