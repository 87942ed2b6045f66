/// `value` as `count` little-endian bytes.
func littleEndian(_ value: Int, _ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
}

/// `value` as `count` big-endian bytes.
func bigEndian(_ value: Int, _ count: Int) -> [UInt8] {
    littleEndian(value, count).reversed()
}
