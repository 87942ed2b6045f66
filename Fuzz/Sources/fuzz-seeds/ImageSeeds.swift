import Foundation

/// Seeds of `fuzz-image`: every PNG and JPEG of the test fixtures (each kind of PNG, baseline,
/// progressive and grey JPEGs, the eight EXIF orientations) and their truncated, corrupt and
/// CMYK variants.
func writeImageSeeds(_ folder: SeedFolder, fixtures: String) throws {
    let images = URL(fileURLWithPath: fixtures).appendingPathComponent("images")
    for directory in [images, images.appendingPathComponent("bad")] {
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        where name.hasSuffix(".png") || name.hasSuffix(".jpg") {
            try folder.write(name, [UInt8](Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }
}
