package io.instahide.core;

/**
 * Encrypts batches of private images with InstaHide: for every image, {@code T} independent
 * encryptions, each with a fresh one-time key (coefficients, distinct partners, sign mask) from the
 * {@link KeyMaterialSource}. Private partners come from a reservoir of other private images (never
 * the image itself: matched by {@link ImageSet#id}), public partners from the public pool; partners
 * within one encryption are distinct.
 *
 * <p>Keys live only inside {@link #encode} and are wiped afterwards. Not thread-safe: one per
 * operator instance. {@code S} is the kind of image set its {@link Mixer} reads.
 */
public final class InstaHideEncoder<S extends ImageSet> implements AutoCloseable {

    /**
     * Keys allocated at first (the job's default batch); they grow by doubling to the largest chunk
     * (at most 1,024 encryptions) a batch needs, so a small batch never holds a full chunk's masks.
     */
    private static final int INITIAL_KEYS = 64;

    private final InstaHideParameters parameters;
    private final ImageShape shape;
    private final int classes;
    private final Mixer<? super S> mixer;
    private final KeyMaterialSource random;
    private final CoefficientSampler sampler;
    private final OneTimeKeys keys;
    private long rejectedDraws;

    /**
     * @param classes number of label classes, or 0 for unlabelled streams (no soft labels)
     * @param random production code passes {@link KeyStreamRandom#fromOsEntropy()}
     */
    public InstaHideEncoder(
            InstaHideParameters parameters,
            ImageShape shape,
            int classes,
            Mixer<? super S> mixer,
            KeyMaterialSource random) {
        if (classes < 0) {
            throw new IllegalArgumentException("classes must be >= 0, got " + classes);
        }
        this.parameters = parameters;
        this.shape = shape;
        this.classes = classes;
        this.mixer = mixer;
        this.random = random;
        this.sampler = new CoefficientSampler(parameters);
        this.keys =
                new OneTimeKeys(
                        parameters.k(),
                        parameters.privateSlots(),
                        shape,
                        Math.min(mixer.maxBatch(), INITIAL_KEYS));
    }

    public InstaHideParameters parameters() {
        return parameters;
    }

    public ImageShape shape() {
        return shape;
    }

    public int classes() {
        return classes;
    }

    /** Coefficient draws rejected so far (upper/dom bounds); a health metric. */
    public long rejectedDraws() {
        return rejectedDraws;
    }

    /** Private images the reservoir must hold before any image can be encrypted. */
    public int requiredReservoirSize() {
        return parameters.privateSlots() == 1 ? 0 : parameters.privateSlots();
    }

    /** Public images the pool must hold before any image can be encrypted. */
    public int requiredPoolSize() {
        return parameters.publicSlots();
    }

    /** Whether partners enough exist: every image of a batch can then be encrypted. */
    public boolean canEncrypt(int reservoirSize, int poolSize) {
        return reservoirSize >= requiredReservoirSize() && poolSize >= requiredPoolSize();
    }

    /**
     * Encrypts every image of {@code sources.batch()} {@code encryptionsPerImage} times into {@code
     * out}: sample {@code i * T + t} is encryption t of image i.
     *
     * @throws IllegalStateException if the reservoir or pool cannot supply distinct partners
     */
    public void encode(MixSources<? extends S> sources, int encryptionsPerImage, EncodedBatch out) {
        encode(sources, encryptionsPerImage, out, KeyEscrow.NONE);
    }

    /**
     * As {@link #encode(MixSources, int, EncodedBatch)}, handing every encryption's key to {@code
     * escrow} before it is wiped (research audits only).
     */
    public void encode(
            MixSources<? extends S> sources,
            int encryptionsPerImage,
            EncodedBatch out,
            KeyEscrow escrow) {
        ImageSet privates = sources.batch();
        ImageSet reservoir = sources.reservoir();
        ImageSet pool = sources.pool();
        if (encryptionsPerImage < 1) {
            throw new IllegalArgumentException(
                    "encryptionsPerImage must be >= 1, got " + encryptionsPerImage);
        }
        if (!canEncrypt(reservoir.size(), pool.size())) {
            throw new IllegalStateException(
                    String.format(
                            "Not enough partners: reservoir holds %d private images (needs %d),"
                                    + " pool holds %d public images (needs %d)",
                            reservoir.size(),
                            requiredReservoirSize(),
                            pool.size(),
                            requiredPoolSize()));
        }
        if (!sources.shape().equals(shape)) {
            throw new IllegalArgumentException(
                    "Image sets of shape " + sources.shape() + " given to an encoder for " + shape);
        }
        int total = privates.size() * encryptionsPerImage;
        out.reset(total);
        int chunk = Math.min(mixer.maxBatch(), 1024);
        try {
            for (int start = 0; start < total; start += chunk) {
                int n = Math.min(chunk, total - start);
                keys.reset(n);
                for (int b = 0; b < n; b++) {
                    int image = (start + b) / encryptionsPerImage;
                    drawKey(b, image, privates.id(image), reservoir, pool);
                    out.setSourceIndex(start + b, image);
                }
                mixer.mix(keys, sources, parameters.masked(), out.pixels(), start * shape.size());
                for (int b = 0; b < n && escrow != KeyEscrow.NONE; b++) {
                    escrow.deposit(escrowedKey(start + b, b, sources));
                }
                for (int b = 0; b < n && classes > 0; b++) {
                    SoftLabels.compute(
                            keys, b, sources, classes, out.softLabels(), (start + b) * classes);
                }
            }
        } finally {
            keys.wipe();
        }
    }

    private KeyEscrow.Key escrowedKey(int sample, int b, MixSources<?> sources) {
        int k = parameters.k();
        long[] ids = new long[k];
        float[] lambdas = new float[k];
        for (int s = 0; s < k; s++) {
            ids[s] = keys.source(s, sources).id(keys.sourceIndex(b, s));
            lambdas[s] = keys.lambda(b, s);
        }
        long[] mask = new long[parameters.masked() ? keys.maskWords() : 0];
        System.arraycopy(keys.maskArray(), b * keys.maskWords(), mask, 0, mask.length);
        return new KeyEscrow.Key(sample, ids, lambdas, mask);
    }

    private void drawKey(int b, int image, long selfId, ImageSet reservoir, ImageSet pool) {
        keys.setSelf(b, image);
        int k = parameters.k();
        int kPriv = parameters.privateSlots();
        for (int s = 1; s < kPriv; s++) {
            keys.setPartner(b, s, distinctPartner(b, 1, s, reservoir, selfId));
        }
        for (int s = kPriv; s < k; s++) {
            keys.setPartner(b, s, distinctPartner(b, kPriv, s, pool, Long.MIN_VALUE));
        }
        rejectedDraws += sampler.sample(random, keys.lambdaArray(), b * k);
        if (parameters.masked()) {
            random.nextLongs(keys.maskArray(), b * keys.maskWords(), keys.maskWords());
        }
    }

    /** A uniform index into {@code set}, unlike slots [firstSlot, slot) and not {@code selfId}. */
    private int distinctPartner(int b, int firstSlot, int slot, ImageSet set, long selfId) {
        int size = set.size();
        long attempts = 1_000L + 100L * size;
        for (long attempt = 0; attempt < attempts; attempt++) {
            int candidate = random.nextInt(size);
            if (set.id(candidate) == selfId) {
                continue;
            }
            boolean taken = false;
            for (int s = firstSlot; s < slot && !taken; s++) {
                taken = keys.partner(b, s) == candidate;
            }
            if (!taken) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "Could not draw distinct partners from a set of "
                        + size
                        + " images: are image ids unique?");
    }

    @Override
    public void close() {
        keys.wipe();
        mixer.close();
    }
}
