// Generation benchmarks: GPT-2 small (124M parameters, random weights) decoding greedily with its
// key/value cache, 32 new tokens after an 8-token prompt, at batch 1 and 8 (tokens/s over all
// sequences), and the streaming-read bandwidth of this machine (MB/s, a 1 GB buffer summed by
// every core as integers), which bounds decoding: each new position reads every weight once. The bound is
// printed beside the figures. Scripts/compare-generation-pytorch.py runs transformers' generate
// on the same workload. A decoding step's attention over 4096 cached positions is timed beside the
// flash kernel on the same keys and values.
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
            + "(every parameter once, the token table as the tied output projection; one row of each embedding table)")
    for batch in [1, 8] {
        throughputBenchmark("GPT-2 124M greedy decode b\(batch)", unit: .tokens, work: Double(batch * Decoding.newTokens)) {
            blackHole(decoding.run(batch: batch))
        }
    }
    // One decoding step's attention over a long cache: a query per head against 4096 cached
    // positions (8 sequences, 12 heads of 64), as MB/s of cached keys and values read; the
    // flash kernel on the same keys and values is the baseline.
    let attention = DecodeAttention(batch: 8, heads: 12, positions: 4096, depth: 64)
    throughputBenchmark("decode attention 1 query x 4096 cached b8 h12 d64", unit: .megabytes, work: Double(attention.cachedBytes)) {
        blackHole(attention.cached())
    }
    throughputBenchmark("flash attention 1 query x 4096 keys b8 h12 d64", unit: .megabytes, work: Double(attention.cachedBytes)) {
        blackHole(attention.flash())
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

    /// The bytes of weights one decoding step reads: every parameter once, the token table as the
    /// tied output projection, except the position table, of which it reads one row.
    var bytesPerToken: Int {
        let c = model.configuration
        return 4 * (c.parameterCount - c.contextLength * c.embeddingSize)
    }

    /// Prompt b is tokens 100·b + 1 … 100·b + 8; compare-generation-pytorch.py uses the same.
    func run(batch: Int) -> [[Int]] {
        let prompts = (0..<batch).map { b in (1...8).map { 100 * b + $0 } }
        return try! generate(model, prompts: prompts, configuration: .init(maxNewTokens: Self.newTokens))
    }
}

/// A key/value cache of `positions` positions and one new query per head.
final class DecodeAttention: @unchecked Sendable {
    let cache: KeyValueCache
    let query, keys, values: Tensor

    init(batch: Int, heads: Int, positions: Int, depth: Int) {
        keys = randomTensor([batch, heads, positions, depth], seed: 1)
        values = randomTensor([batch, heads, positions, depth], seed: 2)
        query = randomTensor([batch, heads, 1, depth], seed: 3)
        var cache = KeyValueCache(batchSize: batch, headCount: heads, keyDepth: depth, valueDepth: depth, capacity: positions)
        cache.append(keys: keys, values: values)
        self.cache = cache
    }

    /// The bytes of the cached keys and values.
    var cachedBytes: Int { 4 * (keys.count + values.count) }

    func cached() -> Tensor { cachedAttention(query: query, cache: cache, isCausal: true) }

    func flash() -> Tensor {
        withoutGradients {
            scaledDotProductAttention(query: Variable(query), key: Variable(keys), value: Variable(values)).value
        }
    }
}

/// A buffer summed by every core in disjoint, contiguous parts, as 32-bit integers: integer
/// addition is associative, so the loop vectorises (a float sum would not, and `SIMD16<Float>`
/// arithmetic is slow on the default x86-64 target), and the sum is bound by memory alone.
final class StreamingRead: @unchecked Sendable {
    let words: UnsafeMutableBufferPointer<UInt32>
    var bytes: Int { words.count * 4 }

    init(megabytes: Int) {
        words = .allocate(capacity: megabytes * 1_000_000 / 4)
        for i in words.indices { words[i] = UInt32(truncatingIfNeeded: i) }
    }

    deinit { words.deallocate() }

    func run() -> UInt32 {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let part = words.count / workers
        let sums = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: workers)
        defer { sums.deallocate() }
        let (base, out) = (UnsafeSendable(words.baseAddress!), UnsafeSendable(sums.baseAddress!))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            out.pointer[worker] = wrappingSum(base.pointer + worker * part, part)
        }
        return sums.reduce(0, &+)
    }
}

/// A pointer that may cross into `concurrentPerform`'s tasks.
struct UnsafeSendable: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UInt32>
    init(_ pointer: UnsafeMutablePointer<UInt32>) { self.pointer = pointer }
}

/// The wrapping sum of `count` words.
@inline(never)
func wrappingSum(_ words: UnsafeMutablePointer<UInt32>, _ count: Int) -> UInt32 {
    var total: UInt32 = 0
    for i in 0..<count { total &+= words[i] }
    return total
}
