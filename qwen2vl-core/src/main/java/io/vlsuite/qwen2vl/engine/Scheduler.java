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
    private final int maxNumSeqs;
    private final int maxNumBatchedTokens;
    private final PriorityQueue<Sequence> waiting = new PriorityQueue<>(PRIORITY_ORDER);
    /** Kept sorted by {@link #PRIORITY_ORDER}, so the last one is the preemption victim. */
    private final List<Sequence> running = new ArrayList<>();
    private long preemptionsTotal;

    Scheduler(BlockAllocator allocator, int maxNumSeqs, int maxNumBatchedTokens) {
        this.allocator = allocator;
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
                int n = Math.min(seq.length() - seq.numComputed, budget);
                int needed = allocator.blocksFor(seq.numComputed + n) - seq.numBlocks();
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
                allocate(seq, needed);
                seq.status = Sequence.Status.RUNNING;
                insertRunning(seq);
                chunks.add(new ScheduledChunk(seq, seq.numComputed, n));
                budget -= n;
            }
        }
        return new Plan(chunks, preempted);
    }

    /** Takes a sequence out of the queues and returns its blocks (finish, cancel, deadline). */
    void remove(Sequence sequence) {
        if (!running.remove(sequence)) {
            waiting.remove(sequence);
        }
        for (int block : sequence.releaseBlocks()) {
            allocator.free(block);
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
            allocator.free(block);
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
}
