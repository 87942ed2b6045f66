// Open MPI's C API for BraidDistributed, with the handles Swift cannot import as they are:
// Open MPI defines MPI_COMM_WORLD, the datatypes, the operations, MPI_ERRORS_RETURN and
// MPI_IN_PLACE as macros over its globals or casts, which these functions return.
#include <mpi.h>

static inline MPI_Comm braid_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype braid_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype braid_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Op braid_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op braid_mpi_min(void) { return MPI_MIN; }
static inline MPI_Op braid_mpi_max(void) { return MPI_MAX; }
static inline MPI_Errhandler braid_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline void *braid_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Request braid_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *braid_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline int braid_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
