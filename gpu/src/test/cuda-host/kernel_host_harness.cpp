// Runs one launch of instahide_mix.cu, compiled for the host with cuda_host_shim.h.
//
//   kernel_host_harness INPUT OUTPUT
//
// INPUT (little-endian): 8 int32 (encoding 0 = u8 / 1 = f32, n, k, privateSlots, dim, plane,
// channels, maskWords), 7 int64 byte counts (sets 0-2, tables 0-2, keys), then those bytes in that
// order; keys are laid out as MixLaunch.KeyLayout says. OUTPUT: n * dim float32.
// The grid is (ceil(dim / 64), n) blocks of 64 threads, run one block after another by 64 host
// threads that meet at a barrier for __syncthreads() and at the end of every block.
#include "cuda_host_shim.h"

#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

thread_local HostDim3 threadIdx;
thread_local HostDim3 blockIdx;
HostDim3 blockDim;
std::barrier<>* hostBlockBarrier;
float luts[3 * 16 * 256];  // the kernel's dynamic shared memory (CudaMixer allows 15 channels)

extern "C" void instahide_mix_u8(const unsigned char*, const float*, const unsigned char*,
                                 const float*, const unsigned char*, const float*, const int*,
                                 const float*, const unsigned int*, float*, int, int, int, int,
                                 int, int);
extern "C" void instahide_mix_f32(const float*, const float*, const float*, const int*,
                                  const float*, const unsigned int*, float*, int, int, int, int);

static std::vector<unsigned char> readBytes(std::FILE* in, int64_t count) {
    std::vector<unsigned char> bytes(count > 0 ? count : 1);
    if (count > 0 && std::fread(bytes.data(), 1, count, in) != (size_t) count) {
        std::fprintf(stderr, "short input\n");
        std::exit(2);
    }
    return bytes;
}

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: kernel_host_harness INPUT OUTPUT\n");
        return 2;
    }
    std::FILE* in = std::fopen(argv[1], "rb");
    int32_t h[8];
    int64_t sizes[7];
    if (!in || std::fread(h, 4, 8, in) != 8 || std::fread(sizes, 8, 7, in) != 7) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    const int encoding = h[0], n = h[1], k = h[2], privateSlots = h[3], dim = h[4], plane = h[5],
              channels = h[6], maskWords = h[7];
    std::vector<std::vector<unsigned char>> parts;
    for (int64_t size : sizes) {
        parts.push_back(readBytes(in, size));
    }
    std::fclose(in);
    const unsigned char* keys = parts[6].data();
    const int* index = reinterpret_cast<const int*>(keys);
    const float* lambda = reinterpret_cast<const float*>(keys + (size_t) n * k * 4);
    const unsigned int* mask = reinterpret_cast<const unsigned int*>(keys + (size_t) 2 * n * k * 4);
    std::vector<float> out((size_t) n * dim);

    blockDim.x = 64;
    const unsigned blocksX = (dim + blockDim.x - 1) / blockDim.x;
    std::barrier<> barrier(blockDim.x);
    hostBlockBarrier = &barrier;
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < blockDim.x; t++) {
        threads.emplace_back([&, t] {
            threadIdx.x = t;
            for (int y = 0; y < n; y++) {
                for (unsigned x = 0; x < blocksX; x++) {
                    blockIdx.x = x;
                    blockIdx.y = y;
                    if (encoding == 0) {
                        instahide_mix_u8(parts[0].data(), (const float*) parts[3].data(),
                                         parts[1].data(), (const float*) parts[4].data(),
                                         parts[2].data(), (const float*) parts[5].data(), index,
                                         lambda, mask, out.data(), k, privateSlots, dim, plane,
                                         channels, maskWords);
                    } else {
                        instahide_mix_f32((const float*) parts[0].data(),
                                          (const float*) parts[1].data(),
                                          (const float*) parts[2].data(), index, lambda, mask,
                                          out.data(), k, privateSlots, dim, maskWords);
                    }
                    barrier.arrive_and_wait();
                }
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    std::FILE* result = std::fopen(argv[2], "wb");
    if (!result || std::fwrite(out.data(), 4, out.size(), result) != out.size()) {
        std::fprintf(stderr, "cannot write %s\n", argv[2]);
        return 2;
    }
    std::fclose(result);
    return 0;
}
