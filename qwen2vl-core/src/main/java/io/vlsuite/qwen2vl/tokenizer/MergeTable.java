package io.vlsuite.qwen2vl.tokenizer;

/**
 * The BPE merge rules as an open-addressing hash table keyed on the packed pair {@code (leftId << 32) | rightId}.
 *
 * <p>Primitive arrays instead of {@code HashMap<Long, ...>}: the table is probed for every adjacent symbol pair of
 * every word, and 150k boxed entries would also slow loading.
 */
final class MergeTable {

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] mergedIds;
    private final int mask;
    private int size;

    MergeTable(int expectedEntries) {
        int capacity = Integer.highestOneBit(Math.max(4, expectedEntries * 2 - 1)) << 1;
        keys = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        ranks = new int[capacity];
        mergedIds = new int[capacity];
        mask = capacity - 1;
    }

    static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int slotHash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** Adds a rule; an earlier rule for the same pair wins (lower rank), as in {@code tokenizers}. */
    void put(int left, int right, int rank, int mergedId) {
        long key = pair(left, right);
        int slot = slotHash(key) & mask;
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        if (size + 1 > (mask + 1) * 3 / 4) {
            throw new IllegalStateException("merge table sized too small");
        }
        keys[slot] = key;
        ranks[slot] = rank;
        mergedIds[slot] = mergedId;
        size++;
    }

    /** Slot of the rule for this pair, or -1. */
    int find(int left, int right) {
        long key = pair(left, right);
        int slot = slotHash(key) & mask;
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return slot;
            }
            if (k == EMPTY) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    int rankAt(int slot) {
        return ranks[slot];
    }

    int mergedIdAt(int slot) {
        return mergedIds[slot];
    }

    int size() {
        return size;
    }
}
