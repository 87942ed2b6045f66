// Writes the seed corpora of the fuzz targets: `fuzz-seeds <corpus folder> <fixtures folder>`,
// normally `Scripts/fuzz --make-seeds` (Fuzz/Corpus and Tests/Fixtures). Each target's folder
// is emptied and refilled.
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: fuzz-seeds CORPUS-FOLDER FIXTURES-FOLDER\n".utf8))
    exit(2)
}
let corpus = arguments[1]
let fixtures = arguments[2]
do {
    try writeSafeTensorsSeeds(SeedFolder(corpus: corpus, target: "fuzz-safetensors"))
    try writeStateDictSeeds(SeedFolder(corpus: corpus, target: "fuzz-state-dict"))
    try writeWAVSeeds(SeedFolder(corpus: corpus, target: "fuzz-wav"))
    try writeIDXSeeds(SeedFolder(corpus: corpus, target: "fuzz-idx"))
    try writeNetPBMSeeds(SeedFolder(corpus: corpus, target: "fuzz-netpbm"))
    try writeImageSeeds(SeedFolder(corpus: corpus, target: "fuzz-image"), fixtures: fixtures)
    try writeTokenizerSeeds(SeedFolder(corpus: corpus, target: "fuzz-tokenizer"))
    try writeTokenizerConfigSeeds(SeedFolder(corpus: corpus, target: "fuzz-tokenizer-config"), fixtures: fixtures)
    try writeBPESeeds(SeedFolder(corpus: corpus, target: "fuzz-bpe"), fixtures: fixtures)
    try writeBertConfigSeeds(SeedFolder(corpus: corpus, target: "fuzz-bert-config"))
    try writeGPT2ConfigSeeds(SeedFolder(corpus: corpus, target: "fuzz-gpt2-config"))
    try writeCLIPConfigSeeds(SeedFolder(corpus: corpus, target: "fuzz-clip-config"))
    try writeCheckpointSeeds(SeedFolder(corpus: corpus, target: "fuzz-checkpoint"))
} catch {
    FileHandle.standardError.write(Data("fuzz-seeds: \(error)\n".utf8))
    exit(1)
}
