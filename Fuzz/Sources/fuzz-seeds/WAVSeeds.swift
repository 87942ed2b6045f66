import Braid

/// A RIFF/WAVE file of `channels` channels at 8 kHz holding `data`, `bits`-bit samples of format
/// `tag` (1 PCM, 3 IEEE float), with a plain or a `WAVE_FORMAT_EXTENSIBLE` format chunk and
/// optionally an odd-sized `LIST` chunk (and its pad byte) before the data.
func wavFile(tag: Int, bits: Int, channels: Int, data: [UInt8], extensible: Bool = false, oddChunk: Bool = false) -> [UInt8] {
    let blockAlign = channels * bits / 8
    var format = littleEndian(extensible ? 0xFFFE : tag, 2) + littleEndian(channels, 2) + littleEndian(8000, 4)
        + littleEndian(8000 * blockAlign, 4) + littleEndian(blockAlign, 2) + littleEndian(bits, 2)
    if extensible {
        format += littleEndian(22, 2) + littleEndian(bits, 2) + littleEndian(0, 4) + littleEndian(tag, 2)
            + [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]
    }
    var chunks = Array("fmt ".utf8) + littleEndian(format.count, 4) + format
    if oddChunk { chunks += Array("LIST".utf8) + littleEndian(3, 4) + [1, 2, 3, 0] }
    chunks += Array("data".utf8) + littleEndian(data.count, 4) + data
    return Array("RIFF".utf8) + littleEndian(4 + chunks.count, 4) + Array("WAVE".utf8) + chunks
}

/// Seeds of `fuzz-wav`: files written by `WAVAudio.write` (16-bit PCM mono, 32-bit float stereo)
/// and hand-built 8, 24 and 32-bit PCM, 64-bit float, extensible and odd-chunk files, and a
/// truncated one; the hand-built valid ones are checked by reading them back.
func writeWAVSeeds(_ folder: SeedFolder) throws {
    let mono = Tensor(shape: [1, 6], scalars: [0, 0.5, -0.5, 1, -1, 0.25])
    try WAVAudio(sampleRate: 8000, samples: mono).write(to: folder.file("pcm16-mono.wav"))
    let stereo = Tensor(shape: [2, 3], scalars: [0, 0.5, -1, 0.25, -0.25, 1])
    try WAVAudio(sampleRate: 16000, samples: stereo).write(to: folder.file("float32-stereo.wav"), format: .float32)
    try folder.write("pcm8.wav", wavFile(tag: 1, bits: 8, channels: 1, data: [128, 0, 255, 64]))
    try folder.write("pcm24-stereo.wav", wavFile(tag: 1, bits: 24, channels: 2, data: [0, 0, 0x80, 0xFF, 0xFF, 0x7F, 1, 0, 0, 0, 0, 0]))
    try folder.write("pcm32.wav", wavFile(tag: 1, bits: 32, channels: 1, data: littleEndian(1 << 30, 4) + littleEndian(-5, 4)))
    try folder.write("float64.wav", wavFile(tag: 3, bits: 64, channels: 1, data: littleEndian(Int(Double(0.5).bitPattern), 8)))
    try folder.write(
        "extensible-pcm16.wav", wavFile(tag: 1, bits: 16, channels: 2, data: [0, 0x80, 0xFF, 0x7F, 1, 0, 2, 0], extensible: true))
    try folder.write("odd-chunk.wav", wavFile(tag: 1, bits: 16, channels: 1, data: [1, 0, 2, 0, 3], oddChunk: true))
    for name in ["pcm8", "pcm24-stereo", "pcm32", "float64", "extensible-pcm16", "odd-chunk"] {
        _ = try WAVAudio.read(contentsOf: folder.file("\(name).wav"))
    }
    try folder.write("truncated.wav", Array(try folder.read("pcm16-mono.wav").dropLast(9)))
}
