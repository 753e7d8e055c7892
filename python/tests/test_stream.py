"""The PyTorch consumer against a real broker.

Run by the Java test PythonConsumerITCase, which starts the broker, publishes the fixtures and
passes their description in INSTAHIDE_TEST_FIXTURES (a JSON file).
"""

import contextlib
import io
import json
import os
import tempfile
import unittest

import numpy as np
import torch

from instahide_stream import EncryptedSampleDataset, soft_label_cross_entropy
from instahide_stream import train

FIXTURES = json.load(open(os.environ["INSTAHIDE_TEST_FIXTURES"], encoding="utf-8"))
BOOTSTRAP = FIXTURES["bootstrap"]


class DatasetTest(unittest.TestCase):
    def test_yields_committed_samples_bit_exact_and_skips_bad_records(self):
        expected = FIXTURES["mixed"]
        dataset = EncryptedSampleDataset(
            BOOTSTRAP, expected["topic"], group_id="py-mixed", idle_timeout_s=3
        )
        items = list(dataset)
        dataset.close()

        self.assertEqual(len(items), len(expected["features"]))
        for (features, label), want, want_label in zip(
            items, expected["features"], expected["labels"]
        ):
            self.assertEqual(tuple(features.shape), tuple(expected["shape"]))
            self.assertEqual(features.dtype, torch.float32)
            np.testing.assert_array_equal(
                features.numpy().ravel().view(np.uint32),
                np.array(want, dtype=np.float32).view(np.uint32),
            )
            np.testing.assert_array_equal(label.numpy(), np.array(want_label, dtype=np.float32))
        self.assertEqual(dataset.skipped, expected["skipped"])

    def test_float16_samples_widen_to_the_halves_the_job_rounded_to(self):
        half = FIXTURES["half"]
        dataset = EncryptedSampleDataset(
            BOOTSTRAP, half["topic"], group_id="py-half", idle_timeout_s=3
        )
        items = list(dataset)
        dataset.close()

        self.assertEqual(len(items), len(half["features"]))
        for (features, _), want, original in zip(items, half["features"], half["originals"]):
            self.assertEqual(features.dtype, torch.float32)
            got = features.numpy().ravel().view(np.uint32)
            np.testing.assert_array_equal(got, np.array(want, dtype=np.float32).view(np.uint32))
            # The Java writer rounds as numpy does (to nearest, ties to even).
            numpy_half = np.array(original, dtype=np.float32).astype(np.float16).astype(np.float32)
            np.testing.assert_array_equal(got, numpy_half.view(np.uint32))
        self.assertEqual(dataset.skipped, 0)

    def test_epochs_continue_the_stream_and_commit_resumes_after_the_last_sample(self):
        plain = FIXTURES["plain"]
        first = EncryptedSampleDataset(
            BOOTSTRAP, plain["topic"], group_id="py-resume", max_samples=3, idle_timeout_s=3
        )
        epoch1 = list(first)
        epoch2 = list(first)
        first.commit()
        first.close()
        resumed = EncryptedSampleDataset(
            BOOTSTRAP, plain["topic"], group_id="py-resume", max_samples=1, idle_timeout_s=3
        )
        (after,) = list(resumed)
        resumed.close()

        self.assertEqual([len(epoch1), len(epoch2)], [3, 3])
        labels = [int(label.argmax()) for _, label in epoch1 + epoch2 + [after]]
        self.assertEqual(labels, plain["labels"][:7])

    def test_loss_matches_the_reference_value(self):
        loss = FIXTURES["loss"]
        logits = torch.tensor(loss["logits"], dtype=torch.float32)
        targets = torch.tensor(loss["targets"], dtype=torch.float32)
        self.assertAlmostEqual(
            soft_label_cross_entropy(logits, targets).item(), loss["expected"], places=5
        )


class CosineScheduleTest(unittest.TestCase):
    def test_decays_from_the_base_rate_to_zero_and_stays_there(self):
        self.assertAlmostEqual(train.cosine(1e-3, 0, 100), 1e-3)
        self.assertAlmostEqual(train.cosine(1e-3, 50, 100), 0.5e-3)
        self.assertAlmostEqual(train.cosine(1e-3, 100, 100), 0.0)
        self.assertAlmostEqual(train.cosine(1e-3, 150, 100), 0.0)
        rates = [train.cosine(1.0, s, 10) for s in range(11)]
        self.assertEqual(rates, sorted(rates, reverse=True))


class ArchitectureTest(unittest.TestCase):
    def test_the_residual_network_classifies_any_shape_and_normalises_its_layers(self):
        for shape in [(1, 28, 28), (3, 32, 32)]:
            model = train.small_resnet(*shape, 10)
            self.assertEqual(model(torch.zeros(4, *shape)).shape, (4, 10))
        layers = list(model.modules())
        self.assertGreaterEqual(sum(isinstance(m, torch.nn.BatchNorm2d) for m in layers), 13)
        weights = sum(p.numel() for p in model.parameters())
        self.assertTrue(100_000 < weights < 400_000, weights)

    def test_shifts_move_every_sample_by_at_most_two_pixels_with_zero_fill(self):
        features = torch.arange(2 * 1 * 6 * 6, dtype=torch.float32).reshape(2, 1, 6, 6) + 1
        shifted = train.augment(features, "shift", torch.Generator().manual_seed(3))
        self.assertEqual(shifted.shape, features.shape)
        for i in range(2):
            found = [
                (dy, dx)
                for dy in range(-2, 3)
                for dx in range(-2, 3)
                if torch.equal(shifted[i], _shift(features[i], dy, dx))
            ]
            self.assertEqual(len(found), 1, f"sample {i} is not a shift of its original")
        self.assertIs(train.augment(features, "none", None), features)
        flipped = train.augment(features, "shift-flip", torch.Generator().manual_seed(1))
        self.assertEqual(flipped.shape, features.shape)


def _shift(image, dy, dx):
    """``image`` (C, H, W) moved by (dy, dx) with zeros where it moved from."""
    out = torch.zeros_like(image)
    h, w = image.shape[1:]
    out[:, max(0, -dy) : h - max(0, dy), max(0, -dx) : w - max(0, dx)] = image[
        :, max(0, dy) : h - max(0, -dy), max(0, dx) : w - max(0, -dx)
    ]
    return out


class KafkaPropertyTest(unittest.TestCase):
    def test_name_value_pairs_become_consumer_settings_and_bad_ones_stop_with_a_message(self):
        config = train.kafka_properties(
            ["security.protocol=SASL_SSL", "sasl.password=a=b", "sasl.username=trainer"]
        )
        self.assertEqual(
            config,
            {
                "security.protocol": "SASL_SSL",
                "sasl.password": "a=b",
                "sasl.username": "trainer",
            },
        )
        with self.assertRaises(SystemExit) as refused:
            train.kafka_properties(["no-equals-sign"])
        self.assertIn("NAME=VALUE", str(refused.exception))


class TrainingExampleTest(unittest.TestCase):
    def test_learns_from_the_stream_saves_and_resumes(self):
        plain = FIXTURES["plain"]
        with tempfile.TemporaryDirectory() as tmp:
            model = os.path.join(tmp, "model.pt")
            args = [
                "--bootstrap-servers", BOOTSTRAP, "--topic", plain["topic"],
                "--group-id", "py-train", "--test-idx", plain["test_idx"],
                "--samples-per-epoch", str(plain["count"] // 2), "--epochs", "2",
                "--batch", "32", "--model", model, "--json", "--idle-timeout-s", "5",
            ]
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(train.main(args), 0)
            epochs = [json.loads(line) for line in out.getvalue().splitlines()]
            self.assertEqual([e["samples"] for e in epochs], [plain["count"] // 2] * 2)
            self.assertGreater(epochs[-1]["accuracy"], 0.9)
            self.assertTrue(os.path.exists(model))

            # Everything was consumed and committed: the same group finds no new samples.
            err = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                self.assertEqual(train.main(args[:-2] + ["--idle-timeout-s", "2"]), 1)
            self.assertIn("No samples arrived", err.getvalue())

            # Another group reads the topic again and continues the saved model.
            again = [a if a != "py-train" else "py-train-2" for a in args]
            again[again.index("--epochs") + 1] = "1"
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                self.assertEqual(train.main(again), 0)
            self.assertIn("Resumed from", err.getvalue())
            self.assertGreater(json.loads(out.getvalue().splitlines()[-1])["accuracy"], 0.9)

if __name__ == "__main__":
    unittest.main()
