package io.vlsuite.qwen2vl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bench-tokenizer --tokenizer <path> [--mb N]}: load time, then encode and decode throughput on one thread
 * over deterministic English-like text, printed as one JSON object.
 *
 * <p>The text is cut into 16 KiB documents (prompt-sized) and each is encoded and decoded separately. A warm-up pass
 * over different text lets the JIT compile first; the per-word BPE cache is warm after it, as in a long-running server.
 * Figures are given per wall-clock second and per CPU second of the benchmark thread: on a shared machine the wall
 * figures drop with the load, the CPU ones measure the code.
 */
public final class BenchTokenizerCommand implements CliCommand {

    private static final int DOC_CHARS = 16 * 1024;

    @Override
    public String name() {
        return "bench-tokenizer";
    }

    @Override
    public String summary() {
        return "tokenizer load time and encode/decode MB/s on English text (--tokenizer <path> [--mb N])";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out) throws Exception {
        FlagArgs flags = FlagArgs.parse(args, Set.of("tokenizer", "mb"), Set.of());
        Path path = Path.of(flags.require("tokenizer"));
        double mb = flags.getDouble("mb", 8);
        if (mb <= 0 || mb > 1024) {
            throw new CliUsageException("--mb must be in (0, 1024]");
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        long c0 = cpu.getCurrentThreadCpuTime();
        Qwen2Tokenizer tokenizer = Qwen2Tokenizer.load(path);
        double loadMs = (System.nanoTime() - t0) / 1e6;
        double loadCpuMs = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
        // A second load in the same JVM: the loader's own cost once class loading and JIT warm-up are done.
        long r0 = System.nanoTime();
        Qwen2Tokenizer.load(path);
        double reloadMs = (System.nanoTime() - r0) / 1e6;

        List<String> warmup = documents(SyntheticEnglishText.generate((int) Math.min(mb * 1e6, 4e6), 1));
        List<String> docs = documents(SyntheticEnglishText.generate((int) (mb * 1e6), 2));
        long bytes = 0;
        for (String d : docs) {
            bytes += d.getBytes(StandardCharsets.UTF_8).length;
        }
        List<int[]> warmIds = new ArrayList<>();
        for (String d : warmup) {
            warmIds.add(tokenizer.encode(d));
        }
        for (int[] ids : warmIds) {
            tokenizer.decode(ids);
        }

        List<int[]> encoded = new ArrayList<>(docs.size());
        long e0 = System.nanoTime();
        long ec0 = cpu.getCurrentThreadCpuTime();
        long tokens = 0;
        for (String d : docs) {
            int[] ids = tokenizer.encode(d);
            tokens += ids.length;
            encoded.add(ids);
        }
        double encodeS = (System.nanoTime() - e0) / 1e9;
        double encodeCpuS = (cpu.getCurrentThreadCpuTime() - ec0) / 1e9;

        long d0 = System.nanoTime();
        long dc0 = cpu.getCurrentThreadCpuTime();
        boolean roundTrip = true;
        for (int i = 0; i < encoded.size(); i++) {
            roundTrip &= tokenizer.decode(encoded.get(i)).equals(docs.get(i));
        }
        double decodeS = (System.nanoTime() - d0) / 1e9;
        double decodeCpuS = (cpu.getCurrentThreadCpuTime() - dc0) / 1e9;

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("tokenizer", path.toString());
        report.put("vocab_size", tokenizer.vocabSize());
        report.put("load_ms", round(loadMs));
        report.put("load_cpu_ms", round(loadCpuMs));
        report.put("reload_ms", round(reloadMs));
        report.put("text_mb", round(bytes / 1e6));
        report.put("tokens", tokens);
        report.put("encode_mb_per_s", round(bytes / 1e6 / encodeS));
        report.put("decode_mb_per_s", round(bytes / 1e6 / decodeS));
        report.put("encode_mb_per_cpu_s", round(bytes / 1e6 / encodeCpuS));
        report.put("decode_mb_per_cpu_s", round(bytes / 1e6 / decodeCpuS));
        report.put("round_trip_exact", roundTrip);
        report.put("threads", 1);
        out.println(new ObjectMapper().writeValueAsString(report));
        return roundTrip ? 0 : 1;
    }

    private static List<String> documents(String text) {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < text.length(); i += DOC_CHARS) {
            docs.add(text.substring(i, Math.min(text.length(), i + DOC_CHARS)));
        }
        return docs;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
