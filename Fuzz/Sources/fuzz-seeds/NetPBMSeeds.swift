import Braid

/// Seeds of `fuzz-netpbm`: binary P5 and P6 written by `NetPBM.write`, a 16-bit P5, ASCII P2
/// and P3 with comments (checked by reading them back), and a truncated P6.
func writeNetPBMSeeds(_ folder: SeedFolder) throws {
    try NetPBM.write(Tensor(shape: [1, 2, 3], scalars: [0, 0.2, 0.4, 0.6, 0.8, 1]), to: folder.file("grey.pgm"))
    try NetPBM.write(Tensor(shape: [3, 2, 2], scalars: (0..<12).map { Float($0) / 11 }), to: folder.file("colour.ppm"))
    try folder.write("grey16.pgm", Array("P5\n2 1\n65535\n".utf8) + [0x12, 0x34, 0xFF, 0xFF])
    try folder.write("ascii.pgm", "P2\n# a comment\n3 2\n15\n0 3 6\n9 12 15\n")
    try folder.write("ascii.ppm", "P3 2 1 255\n# red, then white\n255 0 0  255 255 255\n")
    for name in ["grey16.pgm", "ascii.pgm", "ascii.ppm"] { _ = try NetPBM.read(contentsOf: folder.file(name)) }
    try folder.write("truncated.ppm", Array(try folder.read("colour.ppm").dropLast(4)))
}
