// Generation benchmarks: GPT-2 small (124M parameters, random weights) decoding greedily with its
// key/value cache, 32 new tokens after an 8-token prompt, at batch 1 and 8 (tokens/s over all
// sequences), and the streaming-read bandwidth of this machine (MB/s, a 1 GB buffer summed by
// every core), which bounds decoding: each new position reads every weight once. The bound is
// printed beside the figures. Scripts/compare-generation-pytorch.py runs transformers' generate
// on the same workload.
import Benchmark
import BenchmarkSupport
import Braid
import Dispatch
import Foundation

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResidentDelta], warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 10)

    let decoding = Decoding()
    print(
        "GenerationBenchmarks: GPT-2 small reads \(decoding.bytesPerToken / 1_000_000) MB of weights per decoded position "
            + "(every matrix but the position table, and the token table once more as the tied output projection)")
    for batch in [1, 8] {
        throughputBenchmark("GPT-2 124M greedy decode b\(batch)", unit: .tokens, work: Double(batch * Decoding.newTokens)) {
            blackHole(decoding.run(batch: batch))
        }
    }
    let buffer = StreamingRead(megabytes: 1024)
    throughputBenchmark("streaming read 1 GB", unit: .megabytes, work: Double(buffer.bytes)) { blackHole(buffer.run()) }
}

/// A randomly initialised GPT-2 small in evaluation mode and its benchmark prompts.
final class Decoding: @unchecked Sendable {
    static let newTokens = 32
    let model: GPT2LanguageModel

    init() {
        var generator = RandomGenerator(seed: 1)
        model = GPT2LanguageModel(.gpt2, generator: &generator)
        model.eval()
    }

    /// The bytes of weights one decoding step reads: every parameter except the position table
    /// (one row of it is read), plus the tied token table again for the output projection.
    var bytesPerToken: Int {
        let c = model.configuration
        return 4 * (c.parameterCount - c.contextLength * c.embeddingSize + c.vocabularySize * c.embeddingSize)
    }

    /// Prompt b is tokens 100·b + 1 … 100·b + 8; compare-generation-pytorch.py uses the same.
    func run(batch: Int) -> [[Int]] {
        let prompts = (0..<batch).map { b in (1...8).map { 100 * b + $0 } }
        return try! generate(model, prompts: prompts, configuration: .init(maxNewTokens: Self.newTokens))
    }
}

/// A buffer of floats summed by every core in disjoint, contiguous parts.
final class StreamingRead: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Float>
    var bytes: Int { values.count * 4 }

    init(megabytes: Int) {
        values = .allocate(capacity: megabytes * 1_000_000 / 4)
        values.initialize(repeating: 1)
    }

    deinit { values.deallocate() }

    func run() -> Float {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let part = values.count / workers
        let sums = UnsafeMutableBufferPointer<Float>.allocate(capacity: workers)
        defer { sums.deallocate() }
        let (base, out) = (UnsafeSendable(values.baseAddress!), UnsafeSendable(sums.baseAddress!))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            out.pointer[worker] = sumOfFloats(base.pointer + worker * part, part)
        }
        return sums.reduce(0, +)
    }
}

/// A pointer that may cross into `concurrentPerform`'s tasks.
struct UnsafeSendable: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}

/// The sum of `count` floats, in sixteen independent lanes so that the loop vectorises.
@inline(never)
func sumOfFloats(_ values: UnsafeMutablePointer<Float>, _ count: Int) -> Float {
    var lanes = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        lanes += UnsafeRawPointer(values + i).loadUnaligned(as: SIMD16<Float>.self)
        i += 16
    }
    var total = lanes.sum()
    while i < count {
        total += values[i]
        i += 1
    }
    return total
}
