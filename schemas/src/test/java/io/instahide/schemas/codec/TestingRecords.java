package io.instahide.schemas.codec;

import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;

import java.nio.ByteBuffer;
import java.time.Instant;

/** Small records for the codec tests. */
final class TestingRecords {

    private TestingRecords() {}

    /** A 1x2x2 RAW_U8 image of camera-7 with {@code label}. */
    static ImageRecord image(int label) {
        return ImageRecord.newBuilder()
                .setDeviceId("camera-7")
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setLabel(label)
                .setWidth(2)
                .setHeight(2)
                .setChannels(1)
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(new byte[] {0, 64, (byte) 128, (byte) 255}))
                .build();
    }
}
