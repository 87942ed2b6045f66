#if canImport(Glibc)
import Glibc
#endif

/// Page-fault relief for large tensors.
///
/// Allocations above glibc's mmap threshold (at most 32 MB) get fresh pages every time, and
/// touching each 4 KB page faults: writing a new 51 MB activation of a resnet18 stem costs ~12,500
/// faults, as long as the arithmetic itself. Asking for transparent huge pages on the untouched
/// buffer (Linux `madvise(MADV_HUGEPAGE)`, honoured when THP is in `madvise` or `always` mode)
/// makes that 25 faults. PyTorch's CPU allocator does the same for large tensors.
@usableFromInline package enum LargeBuffers {
    /// Buffers of at least this many bytes are advised.
    @usableFromInline package static let threshold = 4 << 20

    /// Advises the 2 MB-aligned interior of `buffer`, before its first write, to use huge pages.
    @inlinable
    package static func preferHugePages(_ buffer: UnsafeMutableBufferPointer<Float>) {
        #if os(Linux)
        let bytes = buffer.count * MemoryLayout<Float>.stride
        guard bytes >= threshold, let base = buffer.baseAddress else { return }
        let hugePage = 2 << 20
        let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: base) + bytes) & ~(hugePage - 1)
        guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(address, end - start, MADV_HUGEPAGE)
        #endif
    }
}
