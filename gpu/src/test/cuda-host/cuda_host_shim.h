// Lets g++ compile src/main/cuda/instahide_mix.cu for the CPU, so the kernel's own source runs in
// tests on machines without a GPU (KernelOnHostTest). Each CUDA thread of a block is a host thread,
// __syncthreads() a barrier, and the intrinsics have their IEEE single-precision meaning (built
// with -ffp-contract=off, so no multiply-add is fused, as on the GPU with __fmul_rn/__fadd_rn).
#pragma once

#include <barrier>
#include <cstddef>
#include <cstring>

struct HostDim3 {
    unsigned x = 0, y = 0, z = 0;
};

extern thread_local HostDim3 threadIdx;
extern thread_local HostDim3 blockIdx;
extern HostDim3 blockDim;
extern std::barrier<>* hostBlockBarrier;

#define __global__
#define __device__
#define __shared__

inline void __syncthreads() { hostBlockBarrier->arrive_and_wait(); }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline unsigned __float_as_uint(float f) {
    unsigned u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}
inline float __uint_as_float(unsigned u) {
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}
