// InstaHide's batched mixing step (spec section 1), one thread per value of one encrypted image:
//
//   acc = λ0·x0;  acc = acc + λs·xs  for s = 1..k-1   (float32, separate multiply and add)
//   out = σ ⊙ acc                                      (σ packed 1 bit per value; unless unmasked)
//
// Slot 0 reads set 0 (the batch), slots 1..privateSlots-1 set 1 (the private reservoir), the
// others set 2 (the public pool). Products and sums use __fmul_rn/__fadd_rn, which the compiler
// never contracts into a fused multiply-add, so every value has the same bits as the plain-Java
// mixer (io.instahide.core.JavaMixer). The mask flips the sign bit, which is exact.
//
// Two entry points share the arithmetic: instahide_mix_u8 reads pixel bytes and normalises them
// through a per-set, per-channel table of 256 floats (the same table the Java side uses, so the
// normalisation is bit-identical too); instahide_mix_f32 reads already normalised floats.
//
// Launch: grid (ceil(dim / blockDim.x), n), any blockDim.x; dynamic shared memory
// 3 * channels * 256 floats for the u8 entry point, none for f32.
// Regenerate the PTX next to the Java sources with gpu/regenerate-ptx.sh after any change.

struct U8Set {
    const unsigned char* __restrict__ pixels;  // [images][dim]
    const float* lut;                           // [channels][256], staged in shared memory
    __device__ float value(int image, int j, int dim, int lutRow) const {
        return lut[lutRow + pixels[(size_t) image * dim + j]];
    }
};

struct F32Set {
    const float* __restrict__ values;  // [images][dim]
    __device__ float value(int image, int j, int dim, int lutRow) const {
        return values[(size_t) image * dim + j];
    }
};

template <typename Set>
__device__ void mix(
        const Set& batch, const Set& reservoir, const Set& pool,
        const int* __restrict__ index,        // [n][k]: the image of each slot in its set
        const float* __restrict__ lambda,     // [n][k]
        const unsigned int* __restrict__ mask, // [n][maskWords]: bit j set means σ_j = -1
        float* __restrict__ out,               // [n][dim]
        int k, int privateSlots, int dim, int plane, int maskWords) {
    const int b = blockIdx.y;
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= dim) {
        return;
    }
    const int lutRow = (j / plane) * 256;  // the channel's row of a u8 set's table
    const int* slot = index + (size_t) b * k;
    const float* lam = lambda + (size_t) b * k;
    float acc = __fmul_rn(lam[0], batch.value(slot[0], j, dim, lutRow));
    for (int s = 1; s < k; s++) {
        const Set& set = s < privateSlots ? reservoir : pool;
        acc = __fadd_rn(acc, __fmul_rn(lam[s], set.value(slot[s], j, dim, lutRow)));
    }
    if (maskWords > 0) {
        unsigned int word = mask[(size_t) b * maskWords + (j >> 5)];
        unsigned int flip = ((word >> (j & 31)) & 1u) << 31;
        acc = __uint_as_float(__float_as_uint(acc) ^ flip);
    }
    out[(size_t) b * dim + j] = acc;
}

extern "C" __global__ void instahide_mix_u8(
        const unsigned char* batchPixels, const float* batchLut,
        const unsigned char* reservoirPixels, const float* reservoirLut,
        const unsigned char* poolPixels, const float* poolLut,
        const int* index, const float* lambda, const unsigned int* mask, float* out,
        int k, int privateSlots, int dim, int plane, int channels, int maskWords) {
    extern __shared__ float luts[];  // batch, reservoir, pool: channels * 256 each
    const int entries = channels * 256;
    for (int i = threadIdx.x; i < entries; i += blockDim.x) {
        luts[i] = batchLut[i];
        luts[entries + i] = reservoirLut[i];
        luts[2 * entries + i] = poolLut[i];
    }
    __syncthreads();
    const U8Set batch = {batchPixels, luts};
    const U8Set reservoir = {reservoirPixels, luts + entries};
    const U8Set pool = {poolPixels, luts + 2 * entries};
    mix(batch, reservoir, pool, index, lambda, mask, out, k, privateSlots, dim, plane, maskWords);
}

extern "C" __global__ void instahide_mix_f32(
        const float* batchValues, const float* reservoirValues, const float* poolValues,
        const int* index, const float* lambda, const unsigned int* mask, float* out,
        int k, int privateSlots, int dim, int maskWords) {
    const F32Set batch = {batchValues};
    const F32Set reservoir = {reservoirValues};
    const F32Set pool = {poolValues};
    mix(batch, reservoir, pool, index, lambda, mask, out, k, privateSlots, dim, dim, maskWords);
}
