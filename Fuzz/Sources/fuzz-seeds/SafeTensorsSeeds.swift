import Braid

/// A safetensors file of the JSON `header` (padded with spaces to 8 bytes) and `data`.
func safeTensorsFile(header: String, data: [UInt8]) -> [UInt8] {
    var json = Array(header.utf8)
    json += [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
    return littleEndian(json.count, 8) + json + data
}

/// Seeds of `fuzz-safetensors`: a file written by `SafeTensors.write` (F32, I64, metadata),
/// hand-built files of every other dtype, an empty header, a zero-element tensor, and a truncated
/// and an overlapping file; the dtypes file is checked by reading it back.
func writeSafeTensorsSeeds(_ folder: SeedFolder) throws {
    try SafeTensors.write(
        ["weight": Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, .infinity, -0.25]), "bias": Tensor([0.5, -1])],
        intTensors: ["ids": IntTensor(shape: [3], scalars: [1, -7, 1 << 40])],
        metadata: ["format": "pt", "note": "seed"], to: folder.file("written.safetensors"))
    let dtypes = """
        {"bf":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},\
        "bo":{"dtype":"BOOL","shape":[2],"data_offsets":[4,6]},\
        "h":{"dtype":"F16","shape":[2],"data_offsets":[6,10]},\
        "i16":{"dtype":"I16","shape":[2],"data_offsets":[10,14]},\
        "i32":{"dtype":"I32","shape":[1,2],"data_offsets":[14,22]},\
        "u8":{"dtype":"U8","shape":[2],"data_offsets":[22,24]}}
        """
    let data: [UInt8] = [0x80, 0x3F, 0x00, 0xC0, 1, 0, 0x00, 0x3C, 0x00, 0xC0, 0xFF, 0xFF, 2, 0,
                         5, 0, 0, 0, 0xFB, 0xFF, 0xFF, 0xFF, 0, 255]
    try folder.write("dtypes.safetensors", safeTensorsFile(header: dtypes, data: data))
    _ = try SafeTensors(contentsOf: folder.file("dtypes.safetensors")).tensors()
    try folder.write("empty.safetensors", safeTensorsFile(header: "{}", data: []))
    try folder.write(
        "zero-elements.safetensors",
        safeTensorsFile(header: #"{"z":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]}}"#, data: []))
    try folder.write("truncated.safetensors", Array(try folder.read("written.safetensors").dropLast(5)))
    let overlapping = """
        {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]}}
        """
    try folder.write("overlapping.safetensors", safeTensorsFile(header: overlapping, data: [UInt8](repeating: 0, count: 8)))
}
