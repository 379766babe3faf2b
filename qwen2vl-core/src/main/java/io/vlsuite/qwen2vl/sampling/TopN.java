package io.vlsuite.qwen2vl.sampling;

/**
 * Indices of the largest values of a row, best first, with a primitive min-heap: O(V log n) and no boxing, so
 * it stays cheap on a 152k vocabulary.
 */
final class TopN {

    private TopN() {
    }

    /**
     * Indices of the {@code n} largest finite values (NaN and -inf are skipped), in descending value order; ties
     * go to the lower index, so results do not depend on anything but the row.
     */
    static int[] indices(float[] values, int n) {
        int[] heap = new int[Math.max(n, 0)];
        int size = 0;
        for (int i = 0; i < values.length && n > 0; i++) {
            float v = values[i];
            if (!(v > Float.NEGATIVE_INFINITY)) {
                continue;
            }
            if (size < n) {
                heap[size] = i;
                siftUp(values, heap, size++);
            } else if (better(values, i, heap[0])) {
                heap[0] = i;
                siftDown(values, heap, size);
            }
        }
        int[] out = new int[size];
        // Popping the min-heap yields worst first; fill from the back.
        for (int k = size - 1; k >= 0; k--) {
            out[k] = heap[0];
            heap[0] = heap[--size];
            siftDown(values, heap, size);
        }
        return out;
    }

    /** Whether index a ranks above index b: larger value, or equal value and lower index. */
    private static boolean better(float[] v, int a, int b) {
        return v[a] > v[b] || (v[a] == v[b] && a < b);
    }

    private static void siftUp(float[] v, int[] heap, int k) {
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!better(v, heap[parent], heap[k])) {
                break;
            }
            swap(heap, parent, k);
            k = parent;
        }
    }

    private static void siftDown(float[] v, int[] heap, int size) {
        int k = 0;
        while (true) {
            int left = 2 * k + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && better(v, heap[left], heap[right])) {
                worst = right;
            }
            if (!better(v, heap[k], heap[worst])) {
                return;
            }
            swap(heap, k, worst);
            k = worst;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
