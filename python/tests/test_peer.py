"""The plain-script peer's parts on their own (no broker): its records are what the job's schema
says, and its encryption is the spec's scheme."""

import argparse
import datetime
import io
import json
import os
import shutil
import tempfile
import unittest
import uuid

import avro.io
import numpy as np

from instahide_stream import peer
from instahide_stream.codec import (
    SampleCodec,
    load_schema,
    parsing_canonical_form,
    single_object_header,
)

SCHEMA_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "schemas", "src", "main", "avro")


def _args(**overrides):
    values = dict(k=6, private_slots=2, upper=0.65, dom=0.3, classes=10, pixel_format="float32",
                  reservoir_size=64)
    values.update(overrides)
    return argparse.Namespace(**values)


def _image_record(label, pixels, shape=(1, 2, 3)):
    schema = load_schema("ImageRecord", parts=("ImageEncoding",))
    out = io.BytesIO()
    avro.io.DatumWriter(schema).write({
        "deviceId": "camera-7", "label": label,
        "captureTime": datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc),
        "width": shape[2], "height": shape[1], "channels": shape[0], "encoding": "RAW_U8",
        "pixels": pixels,
    }, avro.io.BinaryEncoder(out))
    return single_object_header(schema) + out.getvalue()


class PeerRecordTest(unittest.TestCase):
    def test_its_hand_written_samples_decode_with_the_schema(self):
        for fmt, dtype in (("float32", "<f4"), ("float16", "<f2")):
            args = _args(pixel_format=fmt)
            writer = peer.SampleWriter((1, 2, 3), args, ("MNIST", np.array([0.1307], np.float32),
                                                         np.array([0.3081], np.float32)))
            pixels = np.arange(-3, 3, dtype=np.float32).astype(dtype)
            label = np.linspace(0, 0.9, 10, dtype=np.float32)
            sample_id = peer.sample_ids(1)[0]
            sample = SampleCodec().decode(writer.record(sample_id, pixels.tobytes(),
                                                        label.tobytes()))
            self.assertEqual(str(uuid.UUID(sample["sampleId"])), sample["sampleId"])
            self.assertEqual(uuid.UUID(sample["sampleId"]).version, 4)
            self.assertEqual((sample["channels"], sample["height"], sample["width"]), (1, 2, 3))
            self.assertEqual(sample["pixels"], pixels.tobytes())
            np.testing.assert_array_equal(np.array(sample["softLabel"], np.float32), label)
            self.assertEqual(sample["scheme"]["pixelFormat"], fmt.upper())
            self.assertEqual((sample["scheme"]["k"], sample["scheme"]["privateSlots"]), (6, 2))
            self.assertAlmostEqual(sample["scheme"]["dom"], 0.3)

    def test_it_reads_raw_images_in_chw_order_and_rejects_the_rest(self):
        reader = peer.ImageReader()
        hwc = bytes(range(6))  # 2 x 3 pixels of one channel
        image, label = reader.private(_image_record(7, hwc), (1, 2, 3))
        self.assertEqual(label, 7)
        np.testing.assert_array_equal(image.reshape(-1), np.arange(6))
        rgb, _ = reader.private(_image_record(1, bytes(range(12)), (3, 2, 2)), (3, 2, 2))
        np.testing.assert_array_equal(rgb[:, 0, 0], [0, 1, 2])  # interleaved -> channel-major
        for bad in (_image_record(None, hwc), _image_record(7, hwc)[:-1],
                    _image_record(7, hwc, (1, 3, 2)), b"not avro at all"):
            with self.assertRaises(ValueError):
                reader.private(bad, (1, 2, 3))


    def test_a_logical_type_leaves_the_fingerprint_as_java_computes_it(self):
        # Parsing Canonical Form strips logicalType: ImageRecord's timestamp-millis captureTime
        # must fingerprint as a bare "long", or no Java-written raw image is recognised.
        annotated = load_schema("ImageRecord", parts=("ImageEncoding",))
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory)
        for name in ("ImageEncoding", "ImageRecord"):
            with open(os.path.join(SCHEMA_DIR, name + ".avsc"), encoding="utf-8") as f:
                schema = json.load(f)
            for field in schema.get("fields", []):
                if isinstance(field["type"], dict) and "logicalType" in field["type"]:
                    field["type"] = field["type"]["type"]
            with open(os.path.join(directory, name + ".avsc"), "w", encoding="utf-8") as f:
                json.dump(schema, f)
        bare = load_schema("ImageRecord", directory, parts=("ImageEncoding",))
        self.assertIn('"type":"long"', parsing_canonical_form(annotated))
        self.assertEqual(single_object_header(annotated), single_object_header(bare))


class PeerSchemeTest(unittest.TestCase):
    def test_sample_ids_are_fresh_version_4_uuids(self):
        ids = peer.sample_ids(1000)
        self.assertEqual(len(set(ids)), 1000)
        self.assertTrue(all(uuid.UUID(i.decode()).version == 4 for i in ids))

    def test_coefficients_keep_the_bounds_and_the_spec_acceptance(self):
        lam = peer.coefficients(20000, 6, 2, 0.65, 0.3)
        self.assertTrue(np.all(lam.max(axis=1) <= np.float32(0.65)))
        self.assertTrue(np.all(lam[:, :2].astype(np.float64).sum(axis=1) >= 0.3 - 1e-6))
        np.testing.assert_allclose(lam.sum(axis=1), 1.0, atol=1e-5)
        # spec: E[private slot] = .2177 with sd .118; 20,000 rows put the mean within ~.0025
        self.assertAlmostEqual(float(lam[:, 0].mean()), 0.2177, delta=0.006)

    def test_partners_are_distinct_and_never_the_image_itself(self):
        ids = np.arange(5)
        forbidden = np.arange(1000) % 5
        idx = peer.distinct(5, 1000, 3, forbidden, ids)
        self.assertTrue(np.all(np.sort(idx, axis=1)[:, 1:] != np.sort(idx, axis=1)[:, :-1]))
        self.assertFalse(np.any(ids[idx] == forbidden[:, None]))

    def test_an_encryption_is_the_masked_mix_with_its_soft_label(self):
        args = _args()
        pool = np.zeros((8, 4), np.float32)  # public slots add nothing: |enc| = w * |x|
        encryptor = peer.Encryptor(args, (1, 2, 2), pool, ("MNIST", np.zeros(1, np.float32),
                                                           np.ones(1, np.float32)))
        x = np.tile(np.array([1.0, -2.0, 3.0, -4.0], np.float32), (300, 1))
        labels = np.arange(300) % 10
        ids = encryptor.admit(x, labels)
        self.assertTrue(encryptor.ready())
        values, soft = encryptor.encrypt(x, labels, ids)
        weight = soft.sum(axis=1)
        self.assertTrue(np.all(weight >= 0.3 - 1e-6) and np.all(weight <= 0.65 * 2 + 1e-6))
        np.testing.assert_allclose(np.abs(values), weight[:, None] * np.abs(x[0]), rtol=1e-5)
        self.assertGreaterEqual(soft[np.arange(300), labels].min(), 0.0)
        flipped = np.mean(np.sign(values) != np.sign(x))
        # 1,200 fair coins: the share of flipped signs is within 0.5 +- 0.06 (4+ sd)
        self.assertAlmostEqual(float(flipped), 0.5, delta=0.06)


if __name__ == "__main__":
    unittest.main()
