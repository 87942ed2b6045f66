import BraidAutograd
import BraidFusion
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

@Suite struct CrossAttentionMaskTests {
    func features(_ audio: Tensor, _ text: Tensor, _ video: Tensor) -> [String: EncodedFeatures] {
        let masks = [
            "audio": Tensor([[0, 0, 1, 1], [0, 0, 0, 0]]),
            "text": Tensor([[0, 1, 1], [0, 0, 1]]),
            "video": Tensor([[0, 0], [0, 1]]),
        ]
        return Dictionary(uniqueKeysWithValues: zip(["audio", "text", "video"], [audio, text, video]).map { name, t in
            let v = Variable(t)
            return (name, EncodedFeatures(sequence: v, paddingMask: masks[name], pooled: v.mean(alongAxes: [1])))
        })
    }

    @Test func paddedTokensDoNotChangeTheOutput() throws {
        var g = RandomGenerator(seed: 9)
        let head = CrossAttentionFusion(modalities: ["audio": 3, "text": 4, "video": 5], dimension: 4, headCount: 2, generator: &g)
        head.eval()
        var audio = randomTensor([2, 4, 3], seed: 1)
        var text = randomTensor([2, 3, 4], seed: 2)
        var video = randomTensor([2, 2, 5], seed: 3)
        let before = try head(features(audio, text, video)).value
        // Overwrite every padded position with large values.
        for d in 0..<3 { audio[0, 2, d] = 50; audio[0, 3, d] = -70 }
        for d in 0..<4 { text[0, 1, d] = 90; text[0, 2, d] = -20; text[1, 2, d] = 33 }
        for d in 0..<5 { video[1, 1, d] = 1e3 }
        let after = try head(features(audio, text, video)).value
        expectClose(after, before, relative: 1e-5, absolute: 1e-6)
        // A real token does change it.
        text[1, 1, 0] += 1
        let changed = try head(features(audio, text, video)).value
        #expect(zip(changed.scalars, before.scalars).contains { abs($0 - $1) > 1e-4 })
    }
}
