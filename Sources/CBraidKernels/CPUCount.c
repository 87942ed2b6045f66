// The cores this process may run on, for the kernels' worker count.
#define _GNU_SOURCE
#include <sched.h>

#include "BraidKernels.h"

int braid_allowed_cpu_count(void) {
#ifdef __linux__
    cpu_set_t mask;
    if (sched_getaffinity(0, sizeof mask, &mask) != 0) return 0;
    return CPU_COUNT(&mask);
#else
    return 0;
#endif
}
