#if canImport(Glibc)
import Glibc
#endif
internal import CBraidKernels

/// Page-fault relief for large tensors.
///
/// Allocations above glibc's mmap threshold (at most 32 MB) get fresh pages every time, and
/// touching each 4 KB page faults: writing a new 51 MB activation of a resnet18 stem costs ~12,500
/// faults, as long as the arithmetic itself. Asking for transparent huge pages on the untouched
/// buffer (Linux `madvise(MADV_HUGEPAGE)`, honoured when THP is in `madvise` or `always` mode)
/// makes that 25 faults. PyTorch's CPU allocator does the same for large tensors.
///
/// Faults are avoided altogether when freed blocks are reused: glibc returns blocks above its
/// mmap threshold with munmap, and trims the heap's free top beyond 128 KB, so a model whose
/// activations are allocated and freed on every pass faults all of them in again (resnet18 at
/// batch 16: about 60 of 300 ms, most of it the kernel zeroing pages). ONNX Runtime keeps an arena
/// for this. Before the first large tensor, the mmap threshold is raised to 256 MB and the trim
/// threshold to 512 MB, so freed blocks stay for the next pass and memory still goes back to the
/// system once more than 512 MB lies free at the heap's top; not when the user has chosen
/// malloc's settings (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`, `GLIBC_TUNABLES`) or
/// set `BRAID_MALLOC_DEFAULTS`.
@usableFromInline package enum LargeBuffers {
    /// Whether malloc now keeps freed blocks for reuse (set once, on first use).
    @usableFromInline package static let reusesFreedMemory: Bool = {
        #if canImport(Glibc)
        let chosen = ["BRAID_MALLOC_DEFAULTS", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"]
        guard chosen.allSatisfy({ getenv($0) == nil }) else { return false }
        return braid_set_malloc_thresholds(256 << 20, 512 << 20) == 1
        #else
        return false
        #endif
    }()

    /// Buffers of at least this many bytes are advised.
    @usableFromInline package static let threshold = 4 << 20

    /// Advises the 2 MB-aligned interior of `buffer`, before its first write, to use huge pages.
    @inlinable
    package static func preferHugePages(_ buffer: UnsafeMutableBufferPointer<Float>) {
        #if os(Linux)
        let bytes = buffer.count * MemoryLayout<Float>.stride
        guard bytes >= threshold, let base = buffer.baseAddress else { return }
        _ = reusesFreedMemory
        let hugePage = 2 << 20
        let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: base) + bytes) & ~(hugePage - 1)
        guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(address, end - start, MADV_HUGEPAGE)
        #endif
    }
}
