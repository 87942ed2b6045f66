import Braid
import FuzzSupport

/// Seeds of `fuzz-state-dict`: the tiny MLP's state dict, one with an extra key, one with a
/// mis-shaped weight, and one in F16 (checked by loading it).
func writeStateDictSeeds(_ folder: SeedFolder) throws {
    let model = makeTinyMLP()
    try model.saveStateDict(to: folder.file("tiny-mlp.safetensors"), metadata: ["format": "pt"])
    var state = model.stateDict()
    state["3.weight"] = Tensor.ones([1, 2])
    try SafeTensors.write(state, to: folder.file("unexpected-key.safetensors"))
    state = model.stateDict()
    state["2.weight"] = Tensor.ones([3, 2])
    try SafeTensors.write(state, to: folder.file("wrong-shape.safetensors"))
    var header = "{", data: [UInt8] = []
    for (name, value) in model.stateDict().sorted(by: { $0.key < $1.key }) {
        let start = data.count
        for scalar in value.scalars { data += littleEndian(Int(Float16(scalar).bitPattern), 2) }
        let shape = value.shape.map(String.init).joined(separator: ",")
        header += "\(header == "{" ? "" : ",")\"\(name)\":{\"dtype\":\"F16\",\"shape\":[\(shape)],\"data_offsets\":[\(start),\(data.count)]}"
    }
    try folder.write("f16.safetensors", safeTensorsFile(header: header + "}", data: data))
    try makeTinyMLP().loadStateDict(from: folder.file("f16.safetensors"))
}
