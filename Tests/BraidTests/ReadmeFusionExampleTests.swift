import BraidAutograd
import BraidData
import BraidEncoders
import BraidFusion
import BraidNN
import BraidTensor
import Testing

/// The README's two-modality example, kept compiling and learning.
@Suite struct ReadmeFusionExampleTests {
    @Test func buildTrainAndPredict() throws {
        var generator = RandomGenerator(seed: 7)
        // Encoders: a small BERT over token ids and a small-image ResNet over 1×28×28 images.
        let text = TextEncoder(
            BertConfiguration(vocabularySize: 100, hiddenSize: 32, layerCount: 1, headCount: 2, intermediateSize: 64),
            pooling: .cls, generator: &generator)
        let image = ResNet(ResNetConfiguration(block: .basic, stageDepths: [1], stageWidths: [16], stem: .smallImages,
                                               inputChannels: 1, classCount: nil), generator: &generator)
        // Fusion: concatenate the pooled features, then a classifier.
        let fusion = EarlyFusion(modalities: ["text": text.outputDimension, "image": image.outputDimension], generator: &generator)
        let classifier = Sequential(
            Linear(inputFeatures: fusion.outputDimension, outputFeatures: 64, generator: &generator), ReLU(),
            Linear(inputFeatures: 64, outputFeatures: 2, generator: &generator))
        let optimizer = Adam(parameters: text.parameters() + image.parameters() + fusion.parameters() + classifier.parameters(),
                             learningRate: 1e-3)

        // One batch: token ids with an attention mask, images, labels.
        let tokens = TokenizedBatch(
            inputIds: IntTensor(shape: [4, 5], scalars: (0..<20).map { 1 + $0 % 90 }),
            attentionMask: IntTensor(shape: [4, 5], scalars: [Int](repeating: 1, count: 20)),
            tokenTypeIds: IntTensor(shape: [4, 5], scalars: [Int](repeating: 0, count: 20)))
        let images = Variable(Tensor.randomNormal([4, 1, 28, 28], generator: &generator))
        let labels = IntTensor([0, 1, 1, 0])

        var losses: [Float] = []
        for _ in 0..<10 {
            optimizer.zeroGrad()
            let fused = try fusion(["text": text.encode(tokens), "image": image.encode(images)])
            let loss = crossEntropy(logits: classifier(fused), targets: labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.value.scalar)
        }
        #expect(losses.last! < losses.first!)
    }
}
