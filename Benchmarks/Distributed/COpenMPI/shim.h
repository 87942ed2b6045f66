// Open MPI's C API for the reference all-reduce benchmark (pkg-config ompi-c).
#include <mpi.h>
