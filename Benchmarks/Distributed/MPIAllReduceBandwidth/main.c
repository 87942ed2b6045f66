// The reference figure for Braid's all-reduce benchmark: the same loop in C straight on Open MPI,
// as osu_allreduce times it. For each buffer size (1, 4, 16, 64 and 100 MB of floats, zeros so
// the sums stay finite), after the latency of a one-float all-reduce, every rank runs MPI_Allreduce (MPI_IN_PLACE, MPI_FLOAT, MPI_SUM) a few
// times to warm up, then `iterations` times between barriers; the time of an all-reduce is the
// slowest rank's mean. Rank 0 prints one line per size: megabytes, microseconds, the algorithm
// bandwidth (bytes / time) and the bus bandwidth (2(N-1)/N of it, what a ring moves per link).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const int megabytes[] = {1, 4, 16, 64, 100};
    // The latency term: one float, many times.
    float one = 0;
    for (int i = 0; i < 100; i++) MPI_Allreduce(MPI_IN_PLACE, &one, 1, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
    double latencyStart = MPI_Wtime();
    for (int i = 0; i < 2000; i++) MPI_Allreduce(MPI_IN_PLACE, &one, 1, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    double latency = (MPI_Wtime() - latencyStart) / 2000, slowestLatency;
    MPI_Reduce(&latency, &slowestLatency, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0) printf("# C MPI_Allreduce, %d ranks; one float: %.1f microseconds\n# MB  microseconds  algorithm GB/s  bus GB/s\n",
                          size, slowestLatency * 1e6);
    for (size_t m = 0; m < sizeof megabytes / sizeof megabytes[0]; m++) {
        const int count = megabytes[m] * 1000000 / 4;
        float *values = calloc((size_t)count, sizeof(float));
        const int iterations = megabytes[m] >= 64 ? 10 : 40;
        for (int i = 0; i < 3; i++) MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int i = 0; i < iterations; i++) MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        double seconds = (MPI_Wtime() - start) / iterations, slowest;
        MPI_Reduce(&seconds, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
        if (rank == 0) {
            double bytes = (double)count * sizeof(float), algorithm = bytes / slowest / 1e9;
            printf("%4d  %12.1f  %14.2f  %8.2f\n", megabytes[m], slowest * 1e6, algorithm, algorithm * 2 * (size - 1) / size);
        }
        free(values);
    }
    MPI_Finalize();
    return 0;
}
