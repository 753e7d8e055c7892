"""A plain-script InstaHide encryptor: the baseline the throughput harness measures the job against.

    python3 -m instahide_stream.peer --bootstrap-servers localhost:9092 --raw-topic raw-images \\
        --pool-topic public-images --output-topic peer --group peer --transactional-id peer-0

What a data engineer would write instead of a Flink job, made as fast as a single Python process
goes: a consumer on the raw-images topic (partitions assigned by hand, ``--instance`` of
``--instances``), the public pool read to its end first, every image normalised and encrypted
with numpy in batches (the spec's scheme: normalised half-normal coefficients redrawn while a
bound fails, distinct partners from a reservoir of recent private images and from the pool, a
fresh sign mask; all key material from the operating system's secure generator), and the
samples written as EncryptedSample records (Avro single-object encoding, written by hand with
the constant scheme part encoded once) through a transactional producer that commits the
consumer's offsets with its samples every ``--commit-interval`` seconds: exactly once, as the
job does. It stops when its partitions are read to their end and prints what it did.

It is not the product: no dead-letter topic (bad records are counted and skipped), no shuffle
window, no metrics, no failover beyond Kafka's transactions. It exists to be beaten.
"""

import argparse
import io
import os
import struct
import sys
import time

import avro.io
import numpy as np

from .codec import load_schema, single_object_header

RAW_U8 = 0  # ImageEncoding symbol index


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bootstrap-servers", required=True)
    p.add_argument("--raw-topic", required=True)
    p.add_argument("--pool-topic", required=True)
    p.add_argument("--output-topic", required=True)
    p.add_argument("--group", required=True, help="consumer group whose offsets it commits")
    p.add_argument("--transactional-id", required=True)
    p.add_argument("--instance", type=int, default=0, help="this process's index")
    p.add_argument("--instances", type=int, default=1, help="processes sharing the partitions")
    p.add_argument("--shape", default="1x28x28", help="CxHxW of every image")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--k", type=int, default=6)
    p.add_argument("--private-slots", type=int, default=2)
    p.add_argument("--upper", type=float, default=0.65)
    p.add_argument("--dom", type=float, default=0.3)
    p.add_argument("--encryptions-per-image", type=int, default=1)
    p.add_argument("--private-normalizer", default="MNIST:0.1307:0.3081",
                   help="NAME:MEAN,..:STD,.. (value = (byte/255 - mean) / std)")
    p.add_argument("--public-normalizer", default="MNIST:0.1307:0.3081")
    p.add_argument("--pixel-format", choices=("float32", "float16"), default="float32")
    p.add_argument("--reservoir-size", type=int, default=1024)
    p.add_argument("--batch-size", type=int, default=1024, help="records consumed per batch")
    p.add_argument("--commit-interval", type=float, default=1.0, help="seconds per transaction")
    p.add_argument("--producer-property", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--strict", action="store_true",
                   help="stop at the first record it cannot encrypt (a benchmark's are all valid)")
    args = p.parse_args(argv)
    if args.private_slots < 1 or args.private_slots > args.k:
        p.error("--private-slots must be in [1, k]")
    return args


def normalizer(text, channels):
    """``NAME:MEAN,..:STD,..`` as (name, mean, std); one value stands for every channel."""
    name, mean, std = text.split(":")
    mean = [float(v) for v in mean.split(",")]
    std = [float(v) for v in std.split(",")]
    if len(mean) == 1:
        mean, std = mean * channels, std * channels
    return name, np.array(mean, np.float32), np.array(std, np.float32)


def normalise(images, norm):
    """Spec step 1 for a stack of uint8 CHW images: flat float32 rows, per-channel mean and std."""
    _, mean, std = norm
    values = images.reshape(len(images), -1).astype(np.float32) / np.float32(255.0)
    per = values.shape[1] // len(mean)
    return (values - mean.repeat(per)) / std.repeat(per)


# --- secure randomness: every value below comes from os.urandom ---------------------------


def uniform(n):
    """n doubles uniform in (0, 1)."""
    bits = np.frombuffer(os.urandom(8 * n), dtype=np.uint64) >> np.uint64(11)
    return (bits.astype(np.float64) + 0.5) * (1.0 / (1 << 53))


def normal(shape):
    n = int(np.prod(shape))
    u1, u2 = uniform(n), uniform(n)
    return (np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)).reshape(shape)


def integers(bound, shape):
    """Uniform integers in [0, bound) (bias below 2^-32 for the bounds used here)."""
    n = int(np.prod(shape))
    drawn = np.frombuffer(os.urandom(8 * n), dtype=np.uint64) % np.uint64(bound)
    return drawn.astype(np.intp).reshape(shape)


def coefficients(rows, k, private_slots, upper, dom):
    """Spec step 2, one row per encryption: |g| / sum |g|, redrawn while max > upper or, in
    cross-dataset mode, while the private slots' weight < dom (tested in double)."""
    if k == 1:
        return np.ones((rows, 1), np.float32)
    lam = np.empty((rows, k))
    todo = np.arange(rows)
    while todo.size:
        g = np.abs(normal((todo.size, k)))
        drawn = g / g.sum(axis=1, keepdims=True)
        ok = drawn.max(axis=1) <= upper
        if private_slots < k:
            ok &= drawn[:, :private_slots].sum(axis=1) >= dom
        lam[todo[ok]] = drawn[ok]
        todo = todo[~ok]
    return lam.astype(np.float32)


def distinct(bound, rows, width, forbidden=None, ids=None):
    """rows x width indices in [0, bound), distinct within a row; with ``forbidden``, never an
    index whose ``ids`` entry equals the row's forbidden id."""
    idx = integers(bound, (rows, width))
    while True:
        bad = np.zeros(rows, bool)
        if width > 1:
            s = np.sort(idx, axis=1)
            bad |= (s[:, 1:] == s[:, :-1]).any(axis=1)
        if forbidden is not None:
            bad |= (ids[idx] == forbidden[:, None]).any(axis=1)
        if not bad.any():
            return idx
        idx[bad] = integers(bound, (int(bad.sum()), width))


def mask(values):
    """Flips the sign of every element with an independent fair coin (spec step 4), in place."""
    n = values.size
    bits = np.unpackbits(np.frombuffer(os.urandom((n + 7) // 8), dtype=np.uint8))[:n]
    values.view(np.uint32).reshape(-1)[:] ^= bits.astype(np.uint32) << np.uint32(31)
    return values


# --- Avro, by hand on the hot path ----------------------------------------------------------


def varint(n):
    n = (n << 1) ^ (n >> 63)
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def read_varint(buf, pos):
    shift = result = 0
    while True:
        if pos >= len(buf):
            raise ValueError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return (result >> 1) ^ -(result & 1), pos
        shift += 7
        if shift > 63:
            raise ValueError("varint longer than 10 bytes")


def read_bytes(buf, pos):
    length, pos = read_varint(buf, pos)
    if length < 0 or pos + length > len(buf):
        raise ValueError("bytes run past the record")
    return buf[pos:pos + length], pos + length


class ImageReader:
    """Reads the RAW_U8 images of ImageRecord and PublicImage records (single-object encoding)."""

    def __init__(self):
        parts = ("ImageEncoding",)
        self.image_header = single_object_header(load_schema("ImageRecord", parts=parts))
        self.pool_header = single_object_header(load_schema("PublicImage", parts=parts))

    def private(self, value, shape):
        """(pixels as uint8 CHW, label) of an ImageRecord, or raises ValueError."""
        if value is None or value[:10] != self.image_header:
            raise ValueError("not an ImageRecord")
        pos = 10
        _, pos = read_bytes(value, pos)  # deviceId
        _, pos = read_varint(value, pos)  # captureTime
        branch, pos = read_varint(value, pos)
        if branch != 1:
            raise ValueError("no label")
        label, pos = read_varint(value, pos)
        return self._pixels(value, pos, shape), label

    def public(self, value, shape):
        if value is None or value[:10] != self.pool_header:
            raise ValueError("not a PublicImage")
        _, pos = read_bytes(value, 10)  # id
        return self._pixels(value, pos, shape)

    @staticmethod
    def _pixels(value, pos, shape):
        channels, height, width = shape
        w, pos = read_varint(value, pos)
        h, pos = read_varint(value, pos)
        c, pos = read_varint(value, pos)
        encoding, pos = read_varint(value, pos)
        pixels, pos = read_bytes(value, pos)
        if ((c, h, w) != shape or encoding != RAW_U8 or len(pixels) != c * h * w
                or pos != len(value)):
            raise ValueError("not a RAW_U8 image of the stream's shape")
        return np.frombuffer(pixels, np.uint8).reshape(height, width, channels).transpose(2, 0, 1)


class SampleWriter:
    """EncryptedSample records: header, sample id, shape, pixels and soft label written by hand,
    the scheme (the same for every sample) encoded once with the avro library."""

    def __init__(self, shape, args, private_norm):
        schema = load_schema("EncryptedSample")
        self.header = single_object_header(schema)
        scheme_schema = schema.fields_dict["scheme"].type
        name, mean, std = private_norm
        scheme = {
            "schemeVersion": "instahide-1",
            "k": args.k,
            "privateSlots": args.private_slots,
            "upper": args.upper,
            "dom": args.dom if args.private_slots < args.k else None,
            "masked": True,
            "normalization": {"name": name, "mean": mean.tolist(), "std": std.tolist()},
            "pixelFormat": args.pixel_format.upper(),
        }
        out = io.BytesIO()
        avro.io.DatumWriter(scheme_schema).write(scheme, avro.io.BinaryEncoder(out))
        self.scheme = out.getvalue()
        c, h, w = shape
        self.dtype = np.dtype("<f2") if args.pixel_format == "float16" else np.dtype("<f4")
        pixel_bytes = c * h * w * self.dtype.itemsize
        self.shape_bytes = varint(c) + varint(h) + varint(w) + varint(pixel_bytes)
        self.label_head = varint(args.classes)

    def record(self, sample_id, pixels, label):
        return b"".join((self.header, b"\x48", sample_id, self.shape_bytes, pixels,
                         self.label_head, label, b"\x00", self.scheme))


def sample_ids(n):
    """n fresh random (version 4) UUIDs as 36 ASCII bytes each, from one read of os.urandom."""
    raw = np.frombuffer(os.urandom(16 * n), np.uint8).reshape(n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    text = raw.tobytes().hex().encode()
    ids = []
    for i in range(0, 32 * n, 32):
        h = text[i:i + 32]
        ids.append(b"-".join((h[:8], h[8:12], h[12:16], h[16:20], h[20:])))
    return ids


# --- the loop -------------------------------------------------------------------------------


class Encryptor:
    def __init__(self, args, shape, pool, private_norm):
        self.args = args
        self.dim = int(np.prod(shape))
        self.norm = private_norm
        self.pool = pool
        self.reservoir = np.empty((args.reservoir_size, self.dim), np.float32)
        self.labels = np.empty(args.reservoir_size, np.intp)
        self.ids = np.full(args.reservoir_size, -1, np.int64)
        self.filled = 0
        self.next_id = 0

    def normalise(self, images):
        return normalise(images, self.norm)

    def admit(self, x, labels):
        """Adds a batch to the reservoir (filling it, then replacing random entries); its ids."""
        ids = np.arange(self.next_id, self.next_id + len(x))
        self.next_id += len(x)
        free = min(len(x), len(self.ids) - self.filled)
        slots = np.concatenate([np.arange(self.filled, self.filled + free),
                                integers(len(self.ids), (len(x) - free,))])
        self.filled += free
        self.reservoir[slots], self.labels[slots], self.ids[slots] = x, labels, ids
        return ids

    def ready(self):
        return self.filled >= self.args.private_slots

    def encrypt(self, x, labels, ids):
        """(masked mixtures, soft labels) for a batch, each image once."""
        a = self.args
        rows = len(x)
        lam = coefficients(rows, a.k, a.private_slots, a.upper, a.dom)
        acc = lam[:, :1] * x
        soft = np.zeros((rows, a.classes), np.float32)
        np.add.at(soft, (np.arange(rows), labels), lam[:, 0])
        if a.private_slots > 1:
            partners = distinct(self.filled, rows, a.private_slots - 1, ids, self.ids)
            for s in range(1, a.private_slots):
                chosen = partners[:, s - 1]
                acc = acc + lam[:, s:s + 1] * self.reservoir[chosen]
                np.add.at(soft, (np.arange(rows), self.labels[chosen]), lam[:, s])
        if a.private_slots < a.k:
            public = distinct(len(self.pool), rows, a.k - a.private_slots)
            for s in range(a.private_slots, a.k):
                acc = acc + lam[:, s:s + 1] * self.pool[public[:, s - a.private_slots]]
        return mask(acc), soft


def read_pool(consumer_factory, topic, reader, shape, norm):
    from confluent_kafka import OFFSET_BEGINNING, TopicPartition

    consumer = consumer_factory()
    metadata = consumer.list_topics(topic, timeout=30).topics[topic]
    partitions = [TopicPartition(topic, p, OFFSET_BEGINNING) for p in metadata.partitions]
    ends = {p.partition: consumer.get_watermark_offsets(p, timeout=30)[1] for p in partitions}
    consumer.assign(partitions)
    images = {}
    done = {p for p, end in ends.items() if end == 0}
    while len(done) < len(ends):
        for m in consumer.consume(1000, timeout=1.0):
            if m.error():
                continue
            key = m.key()
            if m.value() is None:
                images.pop(key, None)
            else:
                try:
                    images[key] = reader.public(m.value(), shape)
                except ValueError:
                    pass
            if m.offset() + 1 >= ends[m.partition()]:
                done.add(m.partition())
    consumer.close()
    if not images:
        raise SystemExit(f"the pool topic {topic} holds no usable {shape} image")
    return normalise(np.stack(list(images.values())), norm)


def send(producer, topic, value):
    """Produces, waiting for the local queue while it is full (the broker sets the pace)."""
    while True:
        try:
            producer.produce(topic, value)
            return
        except BufferError:
            producer.poll(0.05)


def main(argv=None):
    from confluent_kafka import Consumer, Producer, TopicPartition

    args = parse(argv)
    shape = tuple(int(v) for v in args.shape.split("x"))
    private_norm = normalizer(args.private_normalizer, shape[0])
    public_norm = normalizer(args.public_normalizer, shape[0])
    reader = ImageReader()
    writer = SampleWriter(shape, args, private_norm)

    def consumer():
        return Consumer({
            "bootstrap.servers": args.bootstrap_servers, "group.id": args.group,
            "enable.auto.commit": False, "isolation.level": "read_committed",
            "enable.partition.eof": True, "auto.offset.reset": "earliest",
        })

    pool = read_pool(consumer, args.pool_topic, reader, shape, public_norm)
    producer_config = {"bootstrap.servers": args.bootstrap_servers,
                       "transactional.id": args.transactional_id}
    for pair in args.producer_property:
        key, _, value = pair.partition("=")
        producer_config[key] = value
    producer = Producer(producer_config)
    producer.init_transactions()
    source = consumer()
    metadata = source.list_topics(args.raw_topic, timeout=30).topics[args.raw_topic]
    mine = [TopicPartition(args.raw_topic, p) for p in sorted(metadata.partitions)
            if p % args.instances == args.instance]
    committed = {tp.partition: tp.offset for tp in source.committed(mine, timeout=30)}
    for tp in mine:
        tp.offset = committed[tp.partition] if committed[tp.partition] >= 0 else 0
    source.assign(mine)
    encryptor = Encryptor(args, shape, pool, private_norm)
    eof = set()
    pending_x, pending_y, pending_ids = [], [], []
    encrypted = skipped = 0
    started = time.monotonic()
    producer.begin_transaction()
    last_commit = time.monotonic()
    while len(eof) < len(mine) or pending_x:
        images, labels = [], []
        for m in source.consume(args.batch_size, timeout=0.2):
            if m.error():
                eof.add(m.partition())
                continue
            eof.discard(m.partition())
            try:
                image, label = reader.private(m.value(), shape)
                if not 0 <= label < args.classes:
                    raise ValueError(f"label {label} outside [0, {args.classes})")
            except ValueError as e:
                if args.strict:
                    raise SystemExit(f"peer {args.instance}: record {m.partition()}/{m.offset()}"
                                     f" of {args.raw_topic} is not a valid image: {e}") from e
                skipped += 1
                continue
            images.append(image)
            labels.append(label)
        if images:
            x = encryptor.normalise(np.stack(images))
            y = np.array(labels, np.intp)
            pending_x.append(x)
            pending_y.append(y)
            pending_ids.append(encryptor.admit(x, y))
        if pending_x and encryptor.ready():
            x, y, ids = (np.concatenate(p) for p in (pending_x, pending_y, pending_ids))
            pending_x, pending_y, pending_ids = [], [], []
            for _ in range(args.encryptions_per_image):
                values, soft = encryptor.encrypt(x, y, ids)
                values = values.astype(writer.dtype, copy=False)
                soft = soft.astype("<f4")
                ids_out = sample_ids(len(values))
                for i in range(len(values)):
                    send(producer, args.output_topic,
                         writer.record(ids_out[i], values[i].tobytes(), soft[i].tobytes()))
                    if i % 512 == 511:
                        producer.poll(0)
                encrypted += len(values)
        elif len(eof) == len(mine) and pending_x:
            raise SystemExit(f"peer {args.instance}: its partitions hold {encryptor.filled} valid"
                             f" images, too few to give each {args.private_slots - 1} private"
                             " partners")
        if not pending_x and (time.monotonic() - last_commit >= args.commit_interval
                              or len(eof) == len(mine)):
            read = [tp for tp in source.position(mine) if tp.offset >= 0]
            producer.send_offsets_to_transaction(read, source.consumer_group_metadata())
            producer.commit_transaction()
            producer.begin_transaction()
            last_commit = time.monotonic()
    producer.abort_transaction()  # the empty one begun after the last commit
    source.close()
    seconds = time.monotonic() - started
    print(f"peer {args.instance}: {encrypted} samples from partitions "
          f"{[tp.partition for tp in mine]} in {seconds:.1f} s"
          f" ({encrypted / max(seconds, 1e-9):,.0f}/s);"
          f" {skipped} records skipped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
