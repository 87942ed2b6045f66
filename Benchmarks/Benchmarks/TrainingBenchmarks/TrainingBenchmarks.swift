// Training benchmarks: one full Adam training step (zero grad, forward, cross-entropy, backward,
// update) of a small text–image early-fusion classifier at batch 64, in samples/s.
//
// Text: a 2-layer BERT-style encoder (vocabulary 30522, width 128, 4 heads, FFN 512, GELU,
// post-norm, dropout 0.1 in training mode) over 32 random tokens per example, [CLS] pooled.
// Image: three bias-free 3×3 convolutions 1→32 (stride 1), 32→64 (stride 2), 64→128 (stride 2),
// each followed by BatchNorm (training mode) and ReLU, then global average pooling, on 1×32×32.
// Head: concatenation [64, 256] → Linear 512 → ReLU → Linear 2; Adam lr 1e-3; random 0/1 labels.
// Scripts/compare-training-pytorch.py times the same step in PyTorch eager.
//
// Captioning: one teacher-forced AdamW step of caption-train's default captioner (ResNet encoder,
// transformer decoder with cross-attention) at its default batch of 32 scenes (128 captions), in
// samples/s (a sample is a scene with its captions); see CaptionTrainingStep.swift. Scripts/compare-caption-pytorch.py times the same step in PyTorch.
//
// resnet18: one SGD step (momentum 0.9) of a randomly initialised resnet18 in training mode on 16
// images of 3×224×224 with random labels of 1000 classes, in samples/s (ResNetTrainingStep.swift).
// Scripts/compare-training-pytorch.py times the same step in PyTorch too.
//
// Module registration: what reflection costs on a module tree shaped like all-MiniLM-L6-v2's (six
// BERT layers, 101 parameters; tiny widths, since the cost depends on the tree, not the tensors),
// the first time its parameters are asked for and on every later `parameters()` call.
import Benchmark
import BenchmarkSupport
import Braid

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResidentDelta], warmupIterations: 3, maxDuration: .seconds(10), maxIterations: 50)

    let step = FusionTrainingStep(batch: 64)
    throughputBenchmark("fusion train step b64", unit: .samples, work: Double(step.batch)) {
        blackHole(step.run())
    }

    let resnet = ResNetTrainingStep(batch: 16)
    throughputBenchmark("resnet18 train step 224x224 b16", unit: .samples, work: Double(resnet.batch)) {
        blackHole(resnet.run())
    }

    let caption = CaptionTrainingStep(batch: 32)
    throughputBenchmark("caption model train step b\(caption.batch)", unit: .samples, work: Double(caption.batch)) {
        blackHole(caption.run())
    }

    Benchmark("registration MiniLM-L6 tree, first namedParameters()") { benchmark in
        for _ in benchmark.scaledIterations {
            let model = miniLMShapedTree()
            benchmark.startMeasurement()
            blackHole(model.namedParameters())
            benchmark.stopMeasurement()
        }
    }
    let registered = RegisteredTree()
    Benchmark("registration MiniLM-L6 tree, cached parameters()") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(registered.model.parameters()) }
    }
}

/// A MiniLM-shaped tree whose registration has been reflected once.
final class RegisteredTree: @unchecked Sendable {
    let model = miniLMShapedTree()
    init() { _ = model.parameters() }
}

/// A text encoder with all-MiniLM-L6-v2's module tree and tiny tensors.
func miniLMShapedTree() -> TextEncoder {
    var generator = RandomGenerator(seed: 21)
    let configuration = BertConfiguration(
        vocabularySize: 16, hiddenSize: 12, layerCount: 6, headCount: 12, intermediateSize: 8, maximumPositions: 8)
    return TextEncoder(configuration, generator: &generator)
}

/// The fusion classifier, its optimizer and one fixed random batch.
final class FusionTrainingStep: @unchecked Sendable {
    let batch: Int
    let text: TextEncoder
    let image: Sequential
    let fusion: EarlyFusion
    let classifier: Sequential
    let optimizer: Adam
    let tokens: TokenizedBatch
    let images: Variable
    let labels: IntTensor

    init(batch: Int, sequenceLength: Int = 32) {
        self.batch = batch
        var generator = RandomGenerator(seed: 20)
        let configuration = BertConfiguration(
            vocabularySize: 30522, hiddenSize: 128, layerCount: 2, headCount: 4, intermediateSize: 512,
            maximumPositions: 64, activation: .gelu, hiddenDropout: 0.1, attentionDropout: 0.1)
        text = TextEncoder(configuration, pooling: .cls, generator: &generator)
        func block(_ input: Int, _ output: Int, stride: Int) -> [any Layer] {
            [Conv2d(inputChannels: input, outputChannels: output, kernelSize: (3, 3), stride: (stride, stride),
                    padding: (1, 1), bias: false, generator: &generator),
             BatchNorm(channels: output), ReLU()]
        }
        image = Sequential(block(1, 32, stride: 1) + block(32, 64, stride: 2) + block(64, 128, stride: 2))
        fusion = EarlyFusion(modalities: ["text": 128, "image": 128], generator: &generator)
        classifier = Sequential(
            Linear(inputFeatures: 256, outputFeatures: 512, generator: &generator), ReLU(),
            Linear(inputFeatures: 512, outputFeatures: 2, generator: &generator))
        for module in [text, image, fusion, classifier] as [Module] { module.train() }
        optimizer = Adam(
            parameters: text.parameters() + image.parameters() + fusion.parameters() + classifier.parameters(),
            learningRate: 1e-3)
        let count = batch * sequenceLength
        let shape = [batch, sequenceLength]
        tokens = TokenizedBatch(
            inputIds: IntTensor(shape: shape, scalars: (0..<count).map { _ in Int(generator.next() % 30522) }),
            attentionMask: IntTensor(shape: shape, scalars: [Int](repeating: 1, count: count)),
            tokenTypeIds: IntTensor(shape: shape, scalars: [Int](repeating: 0, count: count)))
        images = Variable(Tensor.randomNormal([batch, 1, 32, 32], generator: &generator))
        labels = IntTensor((0..<batch).map { _ in Int(generator.next() % 2) })
    }

    /// One training step; returns the loss.
    func run() -> Float {
        optimizer.zeroGrad()
        let textFeatures = text.encode(tokens)  // pooled [B, 128]
        let map = image(images)  // [B, 128, 8, 8]
        let pooled = map.adaptiveAveragePool2d(outputSize: (1, 1)).reshaped(to: [batch, 128])
        let imageFeatures = EncodedFeatures(sequence: pooled.reshaped(to: [batch, 1, 128]), paddingMask: nil, pooled: pooled)
        let fused = try! fusion(["text": textFeatures, "image": imageFeatures])  // [B, 256]
        let loss = crossEntropy(logits: classifier(fused), targets: labels)
        loss.backward()
        optimizer.step()
        return loss.value.scalar
    }
}
