import Braid
import ExampleSupport
import Foundation
import Testing

/// The example programs as a user runs them: impossible options and bad files give one clear
/// line on standard error and exit status 1; a tiny comparison runs end to end.
@Suite struct CommandLineTests {
    /// The folder of the built products (next to the test bundle).
    static let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    /// Runs product `name` with `arguments`, and `input` as standard input when given (through
    /// `launcher`, a command and its arguments, when given), and returns its status, standard
    /// output and standard error.
    static func run(
        _ name: String, _ arguments: [String], input: String? = nil, launcher: [String] = []
    ) throws -> (status: Int32, output: String, error: String) {
        var executable = products.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: executable.path) {
            // `swift test` may run the bundle from inside its own directory.
            executable = products.deletingLastPathComponent().appendingPathComponent(name)
        }
        // Files rather than pipes, so a chatty program cannot fill a pipe and block.
        let base = NSTemporaryDirectory() + "braid-command-" + UUID().uuidString
        let (inputPath, outputPath, errorPath) = (base + ".in", base + ".out", base + ".err")
        defer { for path in [inputPath, outputPath, errorPath] { try? FileManager.default.removeItem(atPath: path) } }
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        // With a launcher (`mpirun -np 2`), that runs the product.
        process.executableURL = launcher.first.map { URL(fileURLWithPath: $0) } ?? executable
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [executable.path] + arguments
        if let input {
            _ = FileManager.default.createFile(atPath: inputPath, contents: Data(input.utf8))
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        process.waitUntilExit()
        let read = { (path: String) in String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data(), as: UTF8.self) }
        return (process.terminationStatus, read(outputPath), read(errorPath))
    }

    /// Usage mistakes: swift-argument-parser prints the message, the usage and the pointer to
    /// `--help`, and exits with status 64 (EX_USAGE).
    static let badOptions: [(String, [String], String)] = [
        ("concat-classify", ["--batch-size", "0"], "Error: --batch-size must be positive, got 0"),
        ("concat-classify", ["--fusion", "sideways"], "Error: The value 'sideways' is invalid for '--fusion <fusion>'"),
        ("concat-classify", ["--text-encoder", "minilm"], "Error: --text-encoder minilm needs --model <checkpoint folder>"),
        ("concat-classify", ["--epochs"], "Error: Missing value for '--epochs <epochs>'"),
        ("fusion-compare", ["--methods", "early,psychic"], "Error: unknown method 'psychic'"),
        ("fusion-compare", ["--lr", "0"], "Error: --lr must be a positive number, got 0.0"),
        ("make-av-digits", ["--snr", "5:-5"], "Error: --snr needs MIN:MAX in decibels, got '5:-5'"),
        ("make-av-digits", ["--variants", "0"], "Error: --variants must be positive, got 0"),
        ("make-av-digits", ["--snr", "1:2:junk"], "Error: --snr needs MIN:MAX in decibels, got '1:2:junk'"),
        ("mlp-train", ["--epochs", "0"], "Error: --epochs must be positive, got 0"),
        ("mlp-train", ["--points", "1"], "Error: --points must be in 8...1000000, got 1"),
        ("mlp-train", ["--wobble", "3"], "Error: Unknown option '--wobble'"),
        ("braid-embed", ["--batch-size", "4"], "Error: Missing expected argument '--model <folder>'"),
        // Output paths are checked before the training, not after it.
        ("concat-classify", ["--report", "/nonexistent-braid/r.json"],
         "Error: --report /nonexistent-braid/r.json: the folder /nonexistent-braid does not exist"),
        ("concat-classify", ["--save", "/"], "Error: --save /: is a folder, not a file"),
        ("fusion-compare", ["--report", "/nonexistent-braid/r.json"],
         "Error: --report /nonexistent-braid/r.json: the folder /nonexistent-braid does not exist"),
        ("caption-train", ["--beams", "0"], "Error: --beams must be positive, got 0"),
        ("caption-train", ["--test-scenes", "1"], "Error: --test-scenes must be at least 2, got 1"),
        ("caption-train", ["--label-smoothing", "1"], "Error: --label-smoothing must be in [0, 1), got 1.0"),
        ("caption-train", ["--grounding-weight=-1"], "Error: --grounding-weight must be finite and at least 0, got -1.0"),
        ("caption-train", ["--decoder-layers", "0"], "Error: --decoder-layers must be positive, got 0"),
        ("caption-train", ["--report", "/nonexistent-braid/r.json"],
         "Error: --report /nonexistent-braid/r.json: the folder /nonexistent-braid does not exist"),
        ("clip-train", ["--batch-size", "1"], "Error: --batch-size must be at least 2 (a pair needs a negative), got 1"),
        ("clip-train", ["--width", "30"], "Error: --width must be a positive multiple of 4, got 30"),
        ("clip-train", ["--colour-dropout", "1.5"], "Error: --colour-dropout must be in 0...1, got 1.5"),
        ("clip-train", ["--report", "/nonexistent-braid/r.json"],
         "Error: --report /nonexistent-braid/r.json: the folder /nonexistent-braid does not exist"),
    ]

    @Test(arguments: badOptions)
    func impossibleOptionsExitWithAClearMessage(program: String, arguments: [String], message: String) throws {
        let result = try Self.run(program, arguments)
        #expect(result.status == 64)
        #expect(result.error.hasPrefix(message), "\(result.error)")
        #expect(result.error.contains("Usage: \(program)"))
    }

    /// The README shows concat-classify's `--help` as the program prints it.
    @Test func readmeShowsTheRealHelp() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "$ swift run -c release concat-classify --help\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let shown = String(text[start.upperBound..<end.lowerBound])
        let printed = try Self.run("concat-classify", ["--help"]).output
        #expect(shown.trimmingCharacters(in: .newlines) == printed.trimmingCharacters(in: .newlines), "\(printed)")
    }

    static let programs = ["concat-classify", "fusion-compare", "make-av-digits", "mlp-train", "braid-embed", "braid-clip", "caption-train", "clip-train"]

    /// `--help` used to say "--help needs a value".
    @Test(arguments: programs)
    func helpDescribesEveryOption(program: String) throws {
        let result = try Self.run(program, ["--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("USAGE: \(program)"))
        #expect(result.output.contains("-h, --help"))
    }

    /// Fewer epochs than the five warm-up epochs failed a schedule precondition.
    @Test func mlpTrainRunsShorterThanItsWarmUp() throws {
        let result = try Self.run("mlp-train", ["--epochs", "2", "--points", "40"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("held-out accuracy"))
    }

    /// A new folder holding a BERT config.json of width 4 and `vocabularySize` tokens, a vocab.txt
    /// of the special tokens and `words`, and `weights` as model.safetensors (a random model's when nil).
    static func modelFolder(vocabularySize: Int, words: [String], weights: Data? = nil) throws -> String {
        let folder = NSTemporaryDirectory() + "braid-model-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let configuration = BertConfiguration(
            vocabularySize: vocabularySize, hiddenSize: 4, layerCount: 1, headCount: 1, intermediateSize: 8)
        try #"{"model_type": "bert", "vocab_size": \#(vocabularySize), "hidden_size": 4, "num_hidden_layers": 1, "num_attention_heads": 1, "intermediate_size": 8}"#
            .write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        try (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words).joined(separator: "\n")
            .write(toFile: folder + "/vocab.txt", atomically: true, encoding: .utf8)
        if let weights {
            try weights.write(to: URL(fileURLWithPath: folder + "/model.safetensors"))
        } else {
            var generator = RandomGenerator(seed: 0)
            try TextEncoder(configuration, generator: &generator).saveStateDict(to: folder + "/model.safetensors")
        }
        return folder
    }

    /// One epoch of concat-classify: the report holds every model's figures, classes, confusion
    /// matrix and validated epoch; the SVG draws all three runs; the log has a line per step and epoch.
    @Test func concatClassifyWritesAReportCurvesAndALog() throws {
        let directory = NSTemporaryDirectory() + "braid-concat-classify-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Self.run("concat-classify", [
            "--epochs", "1", "--batch-size", "128", "--report", directory + "/run.json", "--log", directory + "/run.jsonl",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("training, 143 validation and 359 test examples"))
        let report = try RunReport(contentsOf: directory + "/run.json")
        #expect(Set(report.results.keys) == ["fused", "textOnly", "imageOnly"])
        for (name, model) in report.results {
            #expect(model.confusionMatrix?.count == 10 && model.confusionMatrix?.joined().reduce(0, +) == 359, "\(name)")
            #expect(model.perClass?.map(\.support).reduce(0, +) == 359)
            #expect(model.epochs?.count == 1 && model.epochs?[0].validationAccuracy != nil && model.epochs?[0].validationLoss != nil)
        }
        let svg = try String(contentsOfFile: directory + "/run.svg", encoding: .utf8)
        for run in ["fused", "textOnly", "imageOnly"] {
            for series in ["training-loss", "validation-loss", "validation-accuracy"] {
                #expect(svg.contains("class=\"series-\(series)\" data-run=\"\(run)\""), "\(run) \(series)")
            }
        }
        let lines = try String(contentsOfFile: directory + "/run.jsonl", encoding: .utf8).split(separator: "\n")
        // 2590 training examples in batches of 128: 21 steps and an epoch line per model.
        #expect(lines.count == 3 * 22)
        #expect(lines.filter { $0.contains("\"kind\":\"epoch\"") && $0.contains("\"run\":\"imageOnly\"") }.count == 1)
    }

    /// `mpirun -np 2 concat-classify --distributed`: two ranks train, sharing every epoch (11
    /// steps of 128 per rank over the 2590 examples); rank 0 alone prints and writes the report
    /// and the log.
    @Test func distributedConcatClassifyTrainsAcrossTwoRanks() throws {
        let directory = NSTemporaryDirectory() + "braid-concat-classify-mpi-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Self.run("concat-classify", [
            "--distributed", "--epochs", "1", "--batch-size", "128", "--report", directory + "/run.json", "--log", directory + "/run.jsonl",
        ], launcher: ["/usr/bin/mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "2"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.components(separatedBy: "2 ranks × batches of 128").count == 2, "one summary line: \(result.output)")
        #expect(result.output.components(separatedBy: "training fused").count == 2)
        let report = try RunReport(contentsOf: directory + "/run.json")
        #expect(report.configuration["ranks"] == "2")
        for (name, model) in report.results {
            #expect(model.confusionMatrix?.joined().reduce(0, +) == 359 && model.epochs?.count == 1, "\(name)")
            #expect((0...1).contains(model["accuracy"] ?? -1))
        }
        let lines = try String(contentsOfFile: directory + "/run.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3 * 12, "rank 0's 11 steps and epoch line per model")
    }

    /// A corrupt model.safetensors used to make concat-classify train a random encoder and exit 0.
    @Test func concatClassifyStopsOnABrokenPretrainedModel() throws {
        let folder = try Self.modelFolder(vocabularySize: 8, words: ["an", "even", "number"], weights: Data("not a safetensors file".utf8))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Self.run("concat-classify", ["--text-encoder", "minilm", "--model", folder, "--epochs", "1"])
        #expect(result.status == 1)
        #expect(result.error.hasPrefix("Error: \(folder)/model.safetensors: "), "\(result.error)")
        #expect(!result.output.contains("training fused"))
    }

    /// A vocabulary larger than the model's vocab_size crashed in indexSelect on the first rare token.
    @Test func braidEmbedRejectsATokenizerLargerThanItsModel() throws {
        let folder = try Self.modelFolder(vocabularySize: 6, words: ["an", "even"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Self.run("braid-embed", ["--model", folder])
        #expect(result.status == 1)
        #expect(result.error == "Error: \(folder)/vocab.txt: 7 tokens, but \(folder)/config.json has vocab_size 6: "
            + "ids from 6 on would be outside the embedding table\n")
    }

    /// braid-embed's output line, as a reader decodes it.
    struct EmbeddingLine: Decodable, Equatable {
        let text: String
        let input_ids: [Int]
        let embedding: [Float]
    }

    /// One JSON object per input line, keys sorted: a unit-length embedding, the ids between [CLS]
    /// and [SEP], and the text as read (quotes and slashes included).
    @Test func braidEmbedWritesOneJSONObjectPerLine() throws {
        let folder = try Self.modelFolder(vocabularySize: 7, words: ["an", "even"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Self.run("braid-embed", ["--model", folder, "--batch-size", "1"], input: "an even\n\"even\" a/n\n")
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix(#"{"embedding":["#) && $0.contains(#"],"input_ids":["#) && $0.contains(#"],"text":""#) },
                "\(result.output)")
        let decoded = try lines.map { try JSONDecoder().decode(EmbeddingLine.self, from: Data($0.utf8)) }
        #expect(decoded.map(\.text) == ["an even", "\"even\" a/n"])
        #expect(decoded.map(\.input_ids) == [[2, 5, 6, 3], [2, 1, 6, 1, 1, 1, 1, 3]])
        for line in decoded {
            #expect(line.embedding.count == 4)
            #expect(abs(line.embedding.map { $0 * $0 }.reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test func fusionCompareNamesTheBadEntryOfADatasetFile() throws {
        let path = NSTemporaryDirectory() + "braid-bad-av-" + UUID().uuidString + ".safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensors.write(["images": Tensor.zeros([2, 1, 8, 8])], intTensors: ["digits": IntTensor(shape: [2], scalars: [1, 2])],
                              to: path)
        let result = try Self.run("fusion-compare", ["--data", path])
        #expect(result.status == 1)
        #expect(result.error == "Error: \(path): entry 'audio': missing\n")
        // Problems found while running exit with status 1, without the usage.
        let absent = try Self.run("fusion-compare", ["--data", "/nonexistent/av.safetensors"])
        #expect(absent.status == 1)
        #expect(absent.error.hasPrefix("Error: /nonexistent/av.safetensors: no such file"))
    }

    /// Writes `n` random audio-visual-text digits (digit i % 10) to `directory`/av.safetensors.
    static func writeTinyAudioVisualDigits(_ n: Int, in directory: String) throws {
        var generator = RandomGenerator(seed: 9)
        let digits = (0..<n).map { $0 % 10 }
        let dataset = AudioVisualDigits(
            images: Tensor.randomNormal([n, 1, 8, 8], generator: &generator),
            audio: Tensor.randomNormal([n, 800], generator: &generator), sampleRate: 8000,
            captions: digits.map { DigitHints.caption(for: $0, generator: &generator) }, digits: digits,
            sources: Array(0..<n), signalToNoise: [Float](repeating: 0, count: n))
        try dataset.write(to: directory + "/av.safetensors")
    }

    @Test func aTinyComparisonRunsEndToEnd() throws {
        let directory = NSTemporaryDirectory() + "braid-fusion-compare-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.writeTinyAudioVisualDigits(20, in: directory)
        let report = directory + "/report.json"
        let result = try Self.run("fusion-compare", [
            "--data", directory + "/av.safetensors", "--epochs", "1", "--seeds", "2", "--batch-size", "8",
            "--methods", "audio-only,early,late", "--report", report,
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("| audio-only | audio |"))
        #expect(result.output.contains("| late | audio + image + text |"))
        #expect(result.output.contains("vs best single modality audio-only"))
        let written = try RunReport(contentsOf: report)
        #expect(Set(written.results.keys) == ["audio-only", "early", "late"])
        let early = try #require(written.results["early"])
        #expect(early["accuracySeed1"] != nil && early["accuracySeed2"] != nil)
        #expect((0...1).contains(early["accuracyMean"]!))
        #expect(early["parameters"]! > written.results["audio-only"]!["parameters"]!)
        #expect(early.epochs?.count == 1)
        let bars = try String(contentsOfFile: directory + "/report.svg", encoding: .utf8)
        #expect(["audio-only", "early", "late"].allSatisfy { bars.contains("class=\"bar\" data-label=\"\($0)\"") })
        let curves = try String(contentsOfFile: directory + "/report.curves.svg", encoding: .utf8)
        #expect(curves.contains("class=\"series-training-loss\" data-run=\"late\""))
    }

    /// fusion-compare under mpirun -np 2: rank 0 alone prints and writes the report, which
    /// records both ranks; each seed's run takes half the steps on each rank.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/mpirun"), "needs mpirun (Open MPI)"))
    func distributedFusionCompareTrainsAcrossTwoRanks() throws {
        let directory = NSTemporaryDirectory() + "braid-fusion-compare-mpi-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.writeTinyAudioVisualDigits(40, in: directory)
        let result = try Self.run("fusion-compare", [
            "--distributed", "--data", directory + "/av.safetensors", "--epochs", "1", "--seeds", "1", "--batch-size", "8",
            "--methods", "image-only,early", "--report", directory + "/report.json", "--log", directory + "/run.jsonl",
        ], launcher: ["/usr/bin/mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "2"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.components(separatedBy: "2 ranks × batches of 8").count == 2, "one summary line: \(result.output)")
        #expect(result.output.components(separatedBy: "| early | audio + image + text |").count == 2)
        let report = try RunReport(contentsOf: directory + "/report.json")
        #expect(report.configuration["ranks"] == "2" && Set(report.results.keys) == ["image-only", "early"])
        // 32 training examples: 2 steps of 8 per rank and an epoch line, per method, from rank 0 alone.
        let lines = try String(contentsOfFile: directory + "/run.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 * 3, "\(lines)")
    }

    /// A tiny caption-train run (40 training scenes, one epoch of two steps): the report holds
    /// the three systems' figures for the seen and held-out test scenes, in range; the curves
    /// draw both trained models; the contact sheet holds every test scene (5 + 5) with its captions.
    @Test func captionTrainWritesAReportCurvesAndAContactSheet() throws {
        let directory = NSTemporaryDirectory() + "braid-caption-train-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Self.run("caption-train", [
            "--train-scenes", "40", "--validation-scenes", "8", "--test-scenes", "10", "--epochs", "1", "--batch-size", "20",
            "--beams", "2", "--report", directory + "/run.json",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("40 training, 8 validation and 10 test scenes (5 with seen pairings only, 5 with one of"))
        #expect(result.output.contains("| nearest neighbour |"))
        let report = try RunReport(contentsOf: directory + "/run.json")
        #expect(Set(report.results.keys) == ["captioner", "unconditional", "nearestNeighbour"])
        for (name, system) in report.results {
            for part in ["Seen", "Unseen"] {
                for figure in ["bleu4", "shapes", "colours", "pairings", "sizes", "relations", "allCorrect", "statingRelations"] {
                    #expect((0...1).contains(system[figure + part] ?? -1), "\(name) \(figure)\(part)")
                }
                #expect((system["cider" + part] ?? -1) >= 0, "\(name) cider\(part)")
            }
        }
        #expect(report.results["captioner"]?.epochs?.count == 1 && report.results["captioner"]?.epochs?[0].validationLoss != nil)
        #expect(report.results["captioner"]!["parameters"]! > report.results["unconditional"]!["parameters"]!)
        #expect(report.results["nearestNeighbour"]?.epochs == nil)
        #expect(report.configuration["beams"] == "2")
        #expect(report.configuration["groundingWeight"] == "3.0" && report.configuration["decoderLayers"] == "3")
        let curves = try String(contentsOfFile: directory + "/run.svg", encoding: .utf8)
        #expect(curves.contains("data-run=\"captioner\"") && curves.contains("data-run=\"unconditional\""))
        let sheet = try String(contentsOfFile: directory + "/run.sheet.svg", encoding: .utf8)
        #expect(sheet.components(separatedBy: "<image ").count - 1 == 10)
        #expect(sheet.contains(">nearest: ") && sheet.contains(">reference: "))
    }

    /// A tiny clip-train run (64 training scenes, one epoch of two steps): the report holds the
    /// retrieval figures beside chance and the zero-shot accuracies, in range; the curves and the
    /// heat map (12 images, 144 cells, the diagonal outlined) are written.
    @Test func clipTrainWritesAReportCurvesAndAHeatMap() throws {
        let directory = NSTemporaryDirectory() + "braid-clip-train-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Self.run("clip-train", [
            "--train-scenes", "64", "--validation-scenes", "16", "--test-scenes", "40", "--epochs", "1", "--batch-size", "32",
            "--width", "32", "--vision-layers", "1", "--text-layers", "1", "--report", directory + "/run.json",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("| chance | 0.025 | 0.125 | 0.250 | 0.025 | 0.125 | 0.250 |"))
        #expect(result.output.contains("| chance | – | 0.029 | 0.143 | 0.200 | 0.200 |"))
        let report = try RunReport(contentsOf: directory + "/run.json")
        let clip = try #require(report.results["clip"])
        for direction in ["imageToText", "textToImage"] {
            for k in [1, 5, 10] { #expect((0...1).contains(clip["\(direction)Recall\(k)"] ?? -1), "\(direction) R@\(k)") }
        }
        #expect(clip["chanceRecall5"] == 0.125)
        for figure in ["zeroShotPairingSeen", "zeroShotColourUnseen", "zeroShotShapeUnseen", "zeroShotShapeFromShapePromptsUnseen"] {
            #expect((0...1).contains(clip[figure] ?? -1), "\(figure)")
        }
        #expect((1...100).contains(clip["logitScale"] ?? 0) && clip.epochs?.count == 1)
        #expect(report.configuration["width"] == "32" && report.configuration["colourDropout"] == "0.3")
        let curves = try String(contentsOfFile: directory + "/run.svg", encoding: .utf8)
        #expect(curves.contains("data-run=\"clip\""))
        let map = try String(contentsOfFile: directory + "/run.heatmap.svg", encoding: .utf8)
        #expect(map.components(separatedBy: "<image ").count - 1 == 12 && map.components(separatedBy: "<rect x=").count - 1 >= 144)
        #expect(map.components(separatedBy: "stroke=\"#d62728\"").count - 1 == 12)
    }
}
