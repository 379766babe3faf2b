package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.Qwen2VlException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockAllocatorTest {

    @Test
    void thePoolIsSizedFromTheMemoryBudget() {
        // Qwen2-VL-2B: 28 layers x 2 (K,V) x 2 KV heads x 128 dims x 2 bytes (bf16) = 28672 bytes per token
        assertThat(BlockAllocator.blocksForBudget(1L << 30, 28_672, 16)).isEqualTo(2340);
        assertThatThrownBy(() -> BlockAllocator.blocksForBudget(1000, 100, 16))
                .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("kv_cache_too_small");
    }

    @Test
    void blocksAreHandedOutOnceAndCountedBack() {
        BlockAllocator pool = new BlockAllocator(4, 16);
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            taken.add(pool.allocate());
        }
        assertThat(taken).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(pool.canAllocate(1)).isFalse();
        assertThat(pool.usage()).isEqualTo(1.0);
        assertThatThrownBy(pool::allocate).isInstanceOf(IllegalStateException.class);
        pool.release(2);
        assertThat(pool.numFree()).isEqualTo(1);
        assertThat(pool.allocate()).isEqualTo(2);
        assertThat(pool.blocksFor(33)).isEqualTo(3);
        assertThat(pool.capacityTokens()).isEqualTo(64);
    }

    @Test
    void engineConfigDerivesTheBlockCountFromTheRunner() {
        EngineConfig config = EngineConfig.builder().blockSize(16).kvCacheBytes(8L * 16 * 100).build();
        assertThat(config.resolveNumBlocks(new ToyModel())).isEqualTo(100); // ToyModel: 8 bytes per token
        assertThat(EngineConfig.builder().numKvBlocks(7).build().resolveNumBlocks(new ToyModel())).isEqualTo(7);
        assertThatThrownBy(() -> EngineConfig.builder().maxNumSeqs(0).build())
                .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("invalid_engine_config");
        assertThatThrownBy(() -> EngineConfig.builder().maxNumSeqs(8).maxNumBatchedTokens(4).build())
                .hasMessageContaining("must be >= maxNumSeqs");
    }
}
