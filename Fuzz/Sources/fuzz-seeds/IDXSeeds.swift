import Braid

/// An IDX file of element type `code` and `shape` holding `data`.
func idxFile(code: UInt8, shape: [Int], data: [UInt8]) -> [UInt8] {
    [0, 0, code, UInt8(shape.count)] + shape.flatMap { bigEndian($0, 4) } + data
}

/// Seeds of `fuzz-idx`: MNIST-like images and labels, one file of every other element type, a
/// zero-size dimension, a shape whose size product overflows before a last 0, and a truncated file; the valid ones are checked by reading them back.
func writeIDXSeeds(_ folder: SeedFolder) throws {
    try folder.write("images-uint8.idx", idxFile(code: 0x08, shape: [2, 3, 3], data: (0..<18).map { UInt8($0 * 14) }))
    try folder.write("labels-uint8.idx", idxFile(code: 0x08, shape: [4], data: [7, 2, 1, 0]))
    try folder.write("int8.idx", idxFile(code: 0x09, shape: [3], data: [0x80, 0x7F, 0xFF]))
    try folder.write("int16.idx", idxFile(code: 0x0B, shape: [2], data: bigEndian(-300, 2) + bigEndian(300, 2)))
    try folder.write("int32.idx", idxFile(code: 0x0C, shape: [1, 2], data: bigEndian(-70000, 4) + bigEndian(1 << 30, 4)))
    try folder.write(
        "float32.idx", idxFile(code: 0x0D, shape: [2], data: bigEndian(Int(Float(1.5).bitPattern), 4) + bigEndian(Int(Float(-2).bitPattern), 4)))
    try folder.write("float64.idx", idxFile(code: 0x0E, shape: [1], data: bigEndian(Int(Double(0.25).bitPattern), 8)))
    try folder.write("zero-dimension.idx", idxFile(code: 0x08, shape: [0, 28, 28], data: []))
    for name in ["images-uint8", "labels-uint8", "int8", "int16", "int32", "float32", "float64", "zero-dimension"] {
        _ = try IDXFile(contentsOf: folder.file("\(name).idx"))
    }
    try folder.write("overflowing-shape.idx", idxFile(code: 0x08, shape: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0], data: []))
    try folder.write("truncated.idx", idxFile(code: 0x08, shape: [2, 2], data: [1, 2, 3]))
}
