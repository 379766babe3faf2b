package io.vlsuite.qwen2vl.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Iteration-level scheduling (vLLM V1 / TensorRT-LLM in-flight batching): every step decides afresh which
 * sequences run and how many tokens each contributes, so requests join and leave between any two steps.
 *
 * <p>Per step, within a budget of {@code maxNumBatchedTokens} tokens:
 * <ol>
 *   <li>running sequences in priority order (interactive first, then arrival): one token for a decode, the next
 *       chunk for a prompt still being prefilled. If the pool has no block for it, the lowest-priority, newest
 *       running sequence is preempted (blocks freed, requeued to be recomputed) until it fits, possibly the
 *       sequence itself;</li>
 *   <li>then, if nobody was preempted (freed blocks go to the preempted first), waiting sequences in the same
 *       order while the budget, {@code maxNumSeqs} and the pool allow: each gets its first prefill chunk. When
 *       the head of the queue does not fit and a running sequence of a lower class exists (batch, while the head
 *       is interactive), the lowest-class, newest running sequence is preempted to make room, so interactive
 *       latency does not depend on how much batch work is in flight.</li>
 * </ol>
 * With prefix caching, a sequence being admitted first takes the leading blocks the pool already holds for its
 * content and only computes the rest; this also makes recomputation after preemption cheap.
 * Only the engine thread uses it.
 */
final class Scheduler {

    /** The tokens one sequence runs this step. */
    record ScheduledChunk(Sequence sequence, int start, int numTokens) {
        boolean completesPrompt() {
            return start + numTokens == sequence.length();
        }
    }

    /** One step's plan. */
    record Plan(List<ScheduledChunk> chunks, List<Sequence> preempted) {
        boolean isEmpty() {
            return chunks.isEmpty();
        }

        int numTokens() {
            return chunks.stream().mapToInt(ScheduledChunk::numTokens).sum();
        }
    }

    static final Comparator<Sequence> PRIORITY_ORDER = Comparator
            .comparing((Sequence s) -> s.request.priority())
            .thenComparingLong(s -> s.arrivalOrder);

    private final BlockAllocator allocator;
    private final boolean prefixCaching;
    private final int maxNumSeqs;
    private final int maxNumBatchedTokens;
    private final PriorityQueue<Sequence> waiting = new PriorityQueue<>(PRIORITY_ORDER);
    /** Kept sorted by {@link #PRIORITY_ORDER}, so the last one is the preemption victim. */
    private final List<Sequence> running = new ArrayList<>();
    private long preemptionsTotal;
    private long prefixQueriedTokens;
    private long prefixHitTokens;

    Scheduler(BlockAllocator allocator, int maxNumSeqs, int maxNumBatchedTokens, boolean prefixCaching) {
        this.allocator = allocator;
        this.prefixCaching = prefixCaching;
        this.maxNumSeqs = maxNumSeqs;
        this.maxNumBatchedTokens = maxNumBatchedTokens;
    }

    void add(Sequence sequence) {
        sequence.status = Sequence.Status.WAITING;
        waiting.add(sequence);
    }

    Plan schedule() {
        int budget = maxNumBatchedTokens;
        List<ScheduledChunk> chunks = new ArrayList<>();
        List<Sequence> preempted = new ArrayList<>();

        int i = 0;
        while (i < running.size() && budget > 0) {
            Sequence seq = running.get(i);
            int n = Math.min(seq.length() - seq.numComputed, budget);
            int needed = allocator.blocksFor(seq.numComputed + n) - seq.numBlocks();
            boolean selfPreempted = false;
            while (!allocator.canAllocate(needed)) {
                Sequence victim = running.removeLast();
                preempt(victim);
                preempted.add(victim);
                if (victim == seq) {
                    selfPreempted = true;
                    break;
                }
            }
            if (selfPreempted) {
                break;
            }
            allocate(seq, needed);
            chunks.add(new ScheduledChunk(seq, seq.numComputed, n));
            budget -= n;
            i++;
        }

        if (preempted.isEmpty()) {
            while (!waiting.isEmpty()) {
                Sequence seq = waiting.peek();
                int[] hits = cachedPrefix(seq);
                int start = hits.length * allocator.blockSize();
                int n = Math.min(seq.length() - start, budget);
                int needed = allocator.blocksFor(start + n) - hits.length;
                for (int block : hits) {
                    if (allocator.isFree(block)) {
                        needed++; // taking a free cached block leaves one fewer to allocate
                    }
                }
                if (n == 0 || running.size() >= maxNumSeqs || !allocator.canAllocate(needed)) {
                    Sequence victim = running.isEmpty() ? null : running.getLast();
                    if (victim == null || victim.request.priority().compareTo(seq.request.priority()) <= 0) {
                        break; // strict priority/FIFO: nobody overtakes the head of the queue
                    }
                    // A waiting request of a higher class evicts the lowest-class, newest running one.
                    running.removeLast();
                    budget += unschedule(victim, chunks);
                    preempt(victim);
                    preempted.add(victim);
                    continue;
                }
                waiting.poll();
                for (int block : hits) {
                    allocator.acquire(block);
                    seq.addBlock(block);
                }
                seq.numComputed = start;
                seq.numRegisteredBlocks = hits.length;
                if (seq.cachedPromptTokens < 0) {
                    seq.cachedPromptTokens = Math.min(start, seq.promptLength());
                    if (prefixCaching) {
                        countPrefixLookup(seq.promptLength(), seq.cachedPromptTokens);
                    }
                }
                allocate(seq, allocator.blocksFor(start + n) - seq.numBlocks());
                seq.status = Sequence.Status.RUNNING;
                insertRunning(seq);
                chunks.add(new ScheduledChunk(seq, seq.numComputed, n));
                budget -= n;
            }
        }
        return new Plan(chunks, preempted);
    }

    /**
     * The leading blocks of a sequence about to be (re)admitted that the pool already holds, in order. At least
     * the last token is always left to compute: its logits are needed, and it must not be written into a shared
     * block.
     */
    private int[] cachedPrefix(Sequence seq) {
        if (!prefixCaching || seq.numBlocks() > 0) {
            return new int[0];
        }
        int blockSize = allocator.blockSize();
        int candidates = (seq.length() - 1) / blockSize;
        int[] found = new int[candidates];
        int hits = 0;
        while (hits < candidates) {
            int block = allocator.lookup(seq.blockKey(hits, blockSize));
            if (block < 0) {
                break;
            }
            found[hits++] = block;
        }
        return java.util.Arrays.copyOf(found, hits);
    }

    /** Registers the blocks a step just filled, so later sequences with the same prefix can share them. */
    void onComputed(Sequence seq) {
        if (!prefixCaching) {
            return;
        }
        int blockSize = allocator.blockSize();
        while ((seq.numRegisteredBlocks + 1) * blockSize <= seq.numComputed) {
            int b = seq.numRegisteredBlocks++;
            allocator.register(seq.blockAt(b), seq.blockKey(b, blockSize));
        }
    }

    /** Takes a sequence out of the queues and returns its blocks (finish, cancel, deadline). */
    void remove(Sequence sequence) {
        if (!running.remove(sequence)) {
            waiting.remove(sequence);
        }
        for (int block : sequence.releaseBlocks()) {
            allocator.release(block);
        }
        sequence.status = Sequence.Status.FINISHED;
    }

    /** Drops a sequence's chunk from this step's plan; returns the tokens it would have used. */
    private static int unschedule(Sequence victim, List<ScheduledChunk> chunks) {
        for (int c = 0; c < chunks.size(); c++) {
            if (chunks.get(c).sequence() == victim) {
                return chunks.remove(c).numTokens();
            }
        }
        return 0;
    }

    private void preempt(Sequence victim) {
        for (int block : victim.releaseBlocks()) {
            allocator.release(block);
        }
        victim.numPreemptions++;
        preemptionsTotal++;
        add(victim);
    }

    private void allocate(Sequence seq, int blocks) {
        for (int b = 0; b < blocks; b++) {
            seq.addBlock(allocator.allocate());
        }
    }

    private void insertRunning(Sequence seq) {
        int at = running.size();
        while (at > 0 && PRIORITY_ORDER.compare(running.get(at - 1), seq) > 0) {
            at--;
        }
        running.add(at, seq);
    }

    Collection<Sequence> waiting() {
        return waiting;
    }

    List<Sequence> running() {
        return running;
    }

    int numWaiting() {
        return waiting.size();
    }

    int numRunning() {
        return running.size();
    }

    long preemptionsTotal() {
        return preemptionsTotal;
    }

    /** Prompt tokens looked up in the prefix cache at first admission, and how many were found. */
    void countPrefixLookup(int queried, int hit) {
        prefixQueriedTokens += queried;
        prefixHitTokens += hit;
    }

    long prefixQueriedTokens() {
        return prefixQueriedTokens;
    }

    long prefixHitTokens() {
        return prefixHitTokens;
    }
}
