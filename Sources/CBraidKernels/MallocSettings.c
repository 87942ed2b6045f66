// malloc's thresholds, which Swift cannot reach (glibc's <malloc.h> is not in its Glibc module).
#include "BraidKernels.h"
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int braid_set_malloc_thresholds(long mmap_threshold, long trim_threshold) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold) == 1 && mallopt(M_TRIM_THRESHOLD, (int)trim_threshold) == 1;
#else
    (void)mmap_threshold, (void)trim_threshold;
    return 0;
#endif
}
