package io.vlsuite.qwen2vl.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE over one pre-token: UTF-8 bytes become single-byte symbols, then the lowest-ranked adjacent pair
 * is merged until no rule applies (ties: leftmost first), exactly the order of {@code tokenizers}' BPE.
 *
 * <p>Short words (almost all of them) use a scan over an array of pair ranks: after a merge only the two neighbouring
 * pairs are looked up again. Long words (minified code, a base64 blob) use a binary heap of
 * {@code (rank << 32 | position)} with lazy deletion over a linked list of symbols, so they cost O(n log n), not
 * O(n^2). Both merge the lowest rank first, leftmost on ties, so they agree. Results for short words are cached:
 * natural text repeats the same words constantly. Thread-safe.
 */
final class BpeModel {

    /** Cache size limit; like {@code tokenizers}, a full cache stops accepting new words rather than evicting. */
    static final int CACHE_CAPACITY = 50_000;
    /** Words longer than this (in chars) are not cached: they are rare and would pin memory. */
    private static final int MAX_CACHED_WORD = 64;
    /** Up to this many byte symbols the rank-array scan is faster than the heap. */
    static final int SCAN_MERGE_LIMIT = 48;

    private final Map<String, Integer> vocab;
    private final int[] byteIds;
    private final MergeTable merges;
    private final boolean ignoreMerges;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param vocab        byte-level token string to id
     * @param merges       merge rules
     * @param ignoreMerges when true a word that is itself in the vocabulary is emitted whole without merging
     */
    BpeModel(Map<String, Integer> vocab, MergeTable merges, boolean ignoreMerges) {
        this.vocab = vocab;
        this.merges = merges;
        this.ignoreMerges = ignoreMerges;
        this.byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
            byteIds[b] = id == null ? -1 : id;
        }
    }

    /** Appends the ids of one pre-token ({@code text[start, end)}, not yet byte-level encoded). */
    void encodeWord(String text, int start, int end, IntBuffer out) {
        String word = text.substring(start, end);
        int[] cached = cache.get(word);
        if (cached != null) {
            out.addAll(cached);
            return;
        }
        int[] ids = encodeUncached(word);
        if (word.length() <= MAX_CACHED_WORD && cache.size() < CACHE_CAPACITY) {
            cache.put(word, ids);
        }
        out.addAll(ids);
    }

    private int[] encodeUncached(String word) {
        if (ignoreMerges) {
            Integer whole = vocab.get(ByteLevelAlphabet.encode(word));
            if (whole != null) {
                return new int[] {whole};
            }
        }
        int[] ids = byteSymbols(word);
        if (ids.length <= 1) {
            return ids;
        }
        return ids.length <= SCAN_MERGE_LIMIT ? mergeByScan(ids, ids.length) : mergeByHeap(ids, ids.length);
    }

    /** The single-byte token ids of a word's UTF-8 bytes, before any merge. */
    int[] byteSymbols(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        int[] ids = new int[bytes.length];
        for (byte b : bytes) {
            int id = byteIds[b & 0xFF];
            // A byte missing from the vocabulary is dropped, as tokenizers does when the model has no unk token.
            if (id >= 0) {
                ids[n++] = id;
            }
        }
        return n == ids.length ? ids : Arrays.copyOf(ids, n);
    }

    /** Merges with a rank per adjacent pair; {@code ids} is modified. */
    int[] mergeByScan(int[] ids, int n) {
        int[] ranks = new int[n];
        int[] mergedIds = new int[n];
        for (int i = 0; i + 1 < n; i++) {
            lookUpPair(ids, i, ranks, mergedIds);
        }
        while (n > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                if (ranks[i] < bestRank) {
                    bestRank = ranks[i];
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            ids[best] = mergedIds[best];
            int tail = n - best - 2;
            System.arraycopy(ids, best + 2, ids, best + 1, tail);
            System.arraycopy(ranks, best + 2, ranks, best + 1, tail);
            System.arraycopy(mergedIds, best + 2, mergedIds, best + 1, tail);
            n--;
            if (best + 1 < n) {
                lookUpPair(ids, best, ranks, mergedIds);
            }
            if (best > 0) {
                lookUpPair(ids, best - 1, ranks, mergedIds);
            }
        }
        return Arrays.copyOf(ids, n);
    }

    private void lookUpPair(int[] ids, int i, int[] ranks, int[] mergedIds) {
        int slot = merges.find(ids[i], ids[i + 1]);
        ranks[i] = slot < 0 ? Integer.MAX_VALUE : merges.rankAt(slot);
        mergedIds[i] = slot < 0 ? -1 : merges.mergedIdAt(slot);
    }

    /** Merges with a heap and a linked list; {@code ids} is modified. */
    int[] mergeByHeap(int[] ids, int n) {
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        boolean[] removed = new boolean[n];
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            pushPair(heap, ids, i, i + 1);
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long top = heap.poll();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            if (removed[pos]) {
                continue;
            }
            int right = next[pos];
            if (right < 0) {
                continue;
            }
            int slot = merges.find(ids[pos], ids[right]);
            // Stale entry: the symbols at pos changed since this pair was queued (ranks identify pairs uniquely).
            if (slot < 0 || merges.rankAt(slot) != rank) {
                continue;
            }
            ids[pos] = merges.mergedIdAt(slot);
            removed[right] = true;
            alive--;
            int after = next[right];
            next[pos] = after;
            if (after >= 0) {
                prev[after] = pos;
                pushPair(heap, ids, pos, after);
            }
            if (prev[pos] >= 0) {
                pushPair(heap, ids, prev[pos], pos);
            }
        }
        int[] result = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            result[k++] = ids[i];
        }
        return result;
    }

    private void pushPair(LongHeap heap, int[] ids, int left, int right) {
        int slot = merges.find(ids[left], ids[right]);
        if (slot >= 0) {
            heap.add(((long) merges.rankAt(slot) << 32) | left);
        }
    }

    /** Minimal binary min-heap of longs (avoids boxing in {@link java.util.PriorityQueue}). */
    private static final class LongHeap {
        private long[] items;
        private int size;

        LongHeap(int capacity) {
            items = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void add(long v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (items[parent] <= v) {
                    break;
                }
                items[i] = items[parent];
                i = parent;
            }
            items[i] = v;
        }

        long poll() {
            long top = items[0];
            long last = items[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && items[child + 1] < items[child]) {
                    child++;
                }
                if (last <= items[child]) {
                    break;
                }
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
            return top;
        }
    }
}
