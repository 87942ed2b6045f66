import Foundation

/// One target's seed folder, `<corpus>/<target>/`, emptied when opened so that a regeneration
/// leaves exactly the seeds written.
struct SeedFolder {
    /// The folder's path.
    let path: String

    /// Opens `<corpus>/<target>/`, creating it or removing what it held.
    init(corpus: String, target: String) throws {
        path = "\(corpus)/\(target)"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of the seed `name`, for library writers (`saveStateDict(to:)`, `WAVAudio.write`).
    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes the seed `name`.
    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
    }

    /// Writes the UTF-8 of `text` as the seed `name`.
    func write(_ name: String, _ text: String) throws { try write(name, Array(text.utf8)) }

    /// The bytes of the seed `name`, written before.
    func read(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: file(name)))) }
}
