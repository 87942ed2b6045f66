/// The element type of a tensor in a safetensors file, spelled as in the header's `"dtype"` field.
///
/// The PyTorch equivalents are `torch.float32`, `torch.float16`, `torch.bfloat16`, `torch.int64`,
/// `torch.int32`, `torch.int16`, `torch.uint8` and `torch.bool`.
public enum DType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16", i64 = "I64", i32 = "I32", i16 = "I16", u8 = "U8", bool = "BOOL"

    /// The size of one element in bytes (`torch.dtype.itemsize`).
    public var byteCount: Int {
        switch self {
        case .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .u8, .bool: 1
        }
    }

    /// Whether the elements are floating-point numbers (`torch.dtype.is_floating_point`).
    public var isFloatingPoint: Bool {
        switch self {
        case .f32, .f16, .bf16: true
        case .i64, .i32, .i16, .u8, .bool: false
        }
    }
}
