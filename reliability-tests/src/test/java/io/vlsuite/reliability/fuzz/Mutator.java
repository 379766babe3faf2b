package io.vlsuite.reliability.fuzz;

import java.util.Arrays;
import java.util.Random;

/** Byte-level mutations in the style of AFL's havoc stage: flips, interesting values, cuts, splices, repeats. */
final class Mutator {

    private static final int[] INTERESTING = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0xffffffff, 16, 64, 100};

    private Mutator() {
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] data = seed.clone();
        int rounds = 1 + random.nextInt(8);
        for (int i = 0; i < rounds && data.length > 0; i++) {
            int at = random.nextInt(data.length);
            switch (random.nextInt(7)) {
                case 0 -> data[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> data[at] = (byte) random.nextInt(256);
                case 2 -> {
                    // A 32-bit big-endian "interesting" value: sizes and counts in PNG/WebP/GIF headers.
                    int value = INTERESTING[random.nextInt(INTERESTING.length)];
                    for (int b = 0; b < 4 && at + b < data.length; b++) {
                        data[at + b] = (byte) (value >>> (24 - 8 * b));
                    }
                }
                case 3 -> data = Arrays.copyOf(data, Math.max(1, at)); // truncate
                case 4 -> {
                    int len = Math.min(data.length - at, 1 + random.nextInt(64));
                    byte[] longer = new byte[data.length + len];
                    System.arraycopy(data, 0, longer, 0, at + len);
                    System.arraycopy(data, at, longer, at + len, data.length - at);
                    data = longer; // duplicate a block
                }
                case 5 -> {
                    int len = Math.min(data.length - at, 1 + random.nextInt(64));
                    byte[] shorter = new byte[data.length - len];
                    System.arraycopy(data, 0, shorter, 0, at);
                    System.arraycopy(data, at + len, shorter, at, data.length - at - len);
                    data = shorter.length == 0 ? new byte[] {0} : shorter; // delete a block
                }
                default -> {
                    int from = random.nextInt(data.length);
                    int len = Math.min(Math.min(data.length - at, data.length - from), 1 + random.nextInt(32));
                    System.arraycopy(data, from, data, at, len); // overwrite with another part
                }
            }
        }
        return data;
    }
}
